import type { AgentAtRevision } from "../agent/evaluate.js";
import type { Decision } from "../decision/decide.js";

/** The JSON report of `capgate check --json` (PRODUCT §5). */
export interface JsonReport {
  capgate: "report/v1";
  decision: "pass" | "block";
  tier: string | null;
  base: string;
  head: string;
  config: { path: string; source: string; file?: string };
  touched: { tier: string; because: string[] }[];
  escalations: { agent: string; path: string; from: string | null; to: string; reason: string }[];
  changes: {
    path: string;
    old_path?: string;
    kind: string;
    status: string;
    agents: string[];
    tier: string | null;
    /** Every tier it touches: its agents' head tiers (or its own), and governance. */
    touches: string[];
    /** The symbolic link a checkout shows it through, for a change the diff does not name. */
    via?: string;
    why: string;
    /** What it newly lets run without asking, by agent: every rule, where `why` counts the rest. */
    pre_approved?: { agents: string[]; rules: string[] }[];
    /** Every hook, command-running setting or script it changes, where `why` counts the rest. */
    automation?: string[];
  }[];
  requirements: {
    kind: string;
    id: string;
    status: string;
    tiers: string[];
    summary: string;
    detail: string;
    path?: string;
    line?: number;
  }[];
  notes: string[];
}

export function toJsonReport(d: Decision): JsonReport {
  return {
    capgate: "report/v1",
    decision: d.decision,
    tier: d.tier,
    base: d.base,
    head: d.head,
    config: d.config,
    touched: d.touched.map((t) => ({ tier: t.tier, because: t.because })),
    escalations: d.escalations.map((e) => ({ agent: e.agent, path: e.path, from: e.from, to: e.to, reason: e.reason })),
    changes: d.changes.map((c) => ({
      path: c.path,
      ...(c.oldPath !== c.path ? { old_path: c.oldPath } : {}),
      kind: c.kind,
      status: c.status,
      agents: c.agents,
      tier: c.tier,
      touches: c.touches,
      ...(c.via ? { via: c.via } : {}),
      why: c.why,
      ...(c.preApproved ? { pre_approved: c.preApproved } : {}),
      ...(c.automation ? { automation: c.automation } : {}),
    })),
    requirements: d.requirements.map((r) => ({
      kind: r.kind,
      id: r.id,
      status: r.status,
      tiers: r.tiers,
      summary: r.summary,
      detail: r.detail,
      ...(r.path ? { path: r.path } : {}),
      ...(r.line ? { line: r.line } : {}),
    })),
    notes: d.notes,
  };
}

/** `capgate tiers --json`: every agent at a revision, its tier and why. */
export function toTiersJson(t: {
  sha: string;
  config: { path: string; source: string };
  notes: readonly string[];
  agents: readonly Pick<AgentAtRevision, "name" | "path" | "tier" | "reasons" | "errors" | "manifest">[];
  unreferenced: Record<
    "skills" | "tools" | "servers",
    readonly { name: string; path: string; tier: string; why: string }[]
  >;
  runtimes?: readonly { name: string; agents: readonly string[]; plugins: readonly string[] }[];
  unseen?: readonly { path: string; why: string }[];
}): Record<string, unknown> {
  return {
    rev: t.sha,
    config: t.config,
    notes: t.notes,
    runtimes: (t.runtimes ?? []).map((r) => ({ name: r.name, agents: r.agents, plugins: r.plugins })),
    unseen: t.unseen ?? [],
    agents: t.agents.map((a) => ({
      name: a.name,
      path: a.path,
      source: a.manifest?.runtime?.what ?? "capgate agent manifest",
      tier: a.tier,
      reasons: a.reasons,
      errors: a.errors,
    })),
    unreferenced: t.unreferenced,
  };
}

/** How every JSON shape is printed: two-space indented, one trailing newline. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** `capgate init --json`: the config written, and what was found for each source and kind. */
export function toFoundJson(
  path: string,
  found: {
    agents: Record<string, { paths: string[]; globs: string[] }>;
    kinds: Record<string, { paths: string[]; globs: string[] }>;
    suites: unknown[];
    notSuites?: unknown[];
    runtimes?: readonly { name: string; agents: readonly string[]; plugins: readonly string[] }[];
    runtimesMissing?: readonly string[];
  },
): Record<string, unknown> {
  const each = (m: Record<string, { paths: string[]; globs: string[] }>) =>
    Object.fromEntries(
      Object.entries(m).map(([k, f]) => [k, { count: f.paths.length, paths: f.paths, globs: f.globs }]),
    );
  return {
    wrote: path,
    runtimes: found.runtimes ?? [],
    runtimes_not_found: found.runtimesMissing ?? [],
    agents: each(found.agents),
    artifacts: each(found.kinds),
    suites: found.suites,
    not_suites: found.notSuites ?? [],
  };
}
