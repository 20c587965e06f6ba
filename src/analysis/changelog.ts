import type { AgentAtRevision } from "../agent/evaluate.js";
import type { ToolDef } from "../artifact/types.js";
import { isConfirmed, toolCapability, type Capability } from "../capability/tools.js";
import type { CapabilityTier, Tier } from "../config/ladder.js";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import type { SuiteConfig } from "../config/schema.js";
import type { DecisionInput } from "../input/types.js";
import { touchedPaths } from "../reach/reach.js";
import { scopedTo, viewsOf, type ParseCache, type Views } from "../snapshot/view.js";
import { skillTier, toolTier } from "../tier/intrinsic.js";
import { breakingChanges } from "../version/breaking.js";
import type { Analysis } from "./analyze.js";
import { compareText } from "../common/order.js";
import { runtimeFor } from "../runtime/registry.js";
import { serverEntries, type ServerEntry } from "./servers.js";
import { LOCK_PATH, type ToolDifference } from "../artifact/lock.js";
import { lockChanges } from "../runtime/mcp/lock-changes.js";

export type { ServerEntry } from "./servers.js";

/**
 * What a range of history did to the product's capabilities (`capgate changelog`), as plain data:
 * the shape `capgate.changelog/v1` (README, "Release notes"). Every list is sorted and holds
 * each thing once.
 */
export interface Changelog {
  capgate: "changelog/v1";
  from: string;
  to: string;
  /** The highest tier the range touched, or null when nothing gated changed. */
  tier: Tier | null;
  agents: AgentEntry[];
  breaking: { path: string; change: string }[];
  versions: { path: string; from: string; to: string }[];
  servers: ServerEntry[];
  /** The servers whose entries in `capgate.lock` changed: the tools they gained, lost or changed. */
  locked: LockedEntry[];
  evals: EvalEntry[];
  governance: { path: string; status: string }[];
  /** Changed prompts, skills and tool files that no agent uses, at their own tier. */
  artifacts: ArtifactEntry[];
}

/** A tool of a tool file no agent uses: what it does, by its annotations. */
export interface ArtifactTool {
  name: string;
  writing: boolean;
  hints?: { readOnly: boolean; destructive: boolean; openWorld: boolean };
}

export interface ArtifactEntry {
  /** The file, or a skill's folder. */
  path: string;
  kind: "prompt" | "skill" | "tool";
  status: string;
  /** Its own tier at head (at base when it is gone). */
  tier: Tier | null;
  /** A tool file's tools that are new, and gone. */
  gained: ArtifactTool[];
  lost: ArtifactTool[];
}

export interface ToolEntry {
  name: string;
  source: string;
  writing: boolean;
  /** An MCP tool's hints, the MCP defaults filled in. */
  hints?: { readOnly: boolean; destructive: boolean; openWorld: boolean };
  /** Whether a person is asked before each call. */
  confirmed: boolean;
}

export interface AgentEntry {
  name: string;
  path: string;
  /** The runtime that runs it, in words ("Codex"), when one does. */
  runtime?: string;
  from: CapabilityTier | null;
  to: CapabilityTier | null;
  escalation: boolean;
  /** Why, in words: the escalation's reason, else the head's tier reasons. */
  why: string[];
  gained: ToolEntry[];
  lost: ToolEntry[];
  /** Tools it has at both ends whose annotations or writing changed (a tool moved to a file that says less). */
  changed: { from: ToolEntry; to: ToolEntry }[];
  /** Writing tools that now run without a person's yes, and ones that now need it. */
  confirmation: { removed: string[]; added: string[] };
  /** `max_steps` / `maxTurns`, when it changed (null: unlimited). */
  steps: { from: number | null; to: number | null } | null;
}

export interface LockedEntry {
  name: string;
  config: string;
  status: "locked" | "unlocked" | "changed";
  tools: ToolDifference[];
  /** What else changed of the entry: `instructions`, `serverInfo`, `launch`, `package`, `protocolVersion`. */
  other: string[];
}

export interface EvalEntry {
  suite: string;
  files: string[];
  thresholds: { field: string; from: unknown; to: unknown }[];
}

/** The changelog of a decision's input, from the analysis `decide` made of it. */
export function changelogOf(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  cache: ParseCache = new Map(),
): Changelog {
  const views = viewsOf(
    scopedTo(input.base, config),
    scopedTo(input.head, config),
    touchedPaths(input.changes).any,
    cache,
    config.agentSource,
  );
  const mcp = analysis.changes.filter((c) => c.kind === "mcp" && c.path !== LOCK_PATH);
  return {
    capgate: "changelog/v1",
    from: input.base.sha,
    to: input.head.sha,
    tier: analysis.tier,
    agents: agentEntries(analysis),
    breaking: breakingOf(analysis, views),
    versions: analysis.versions
      .filter((v) => v.to !== null && v.to !== v.from)
      .map((v) => ({ path: v.path, from: v.from, to: v.to! }))
      .sort((a, b) => compareText(a.path, b.path)),
    servers: mcp.flatMap((c) => serverEntries(c.oldPath, c.path, c.status, views)),
    locked: analysis.changes.some((c) => c.path === LOCK_PATH || c.oldPath === LOCK_PATH)
      ? lockChanges(views).map((l) => ({
          name: l.name,
          config: l.config,
          status: !l.before ? "locked" : !l.after ? "unlocked" : "changed",
          tools: l.tools,
          other: l.other,
        }))
      : [],
    evals: evalEntries(config, analysis, views),
    governance: analysis.changes
      .filter((c) => c.kind === "governance")
      .map((c) => ({ path: c.path, status: c.status }))
      .sort((a, b) => compareText(a.path, b.path)),
    artifacts: artifactEntries(analysis, views, config),
  };
}

/** What changed that no agent uses: a skill once for its folder, a tool file with its tools gained and lost. */
function artifactEntries(analysis: Analysis, views: Views, config: ResolvedConfig): ArtifactEntry[] {
  const out = new Map<string, ArtifactEntry>();
  // What is gone is said at the tier it had (the decision counts its removal at the lowest).
  const atBase = { base: views.base, head: views.base };
  for (const c of analysis.changes) {
    if (c.agents.length > 0 || (c.kind !== "prompt" && c.kind !== "skill" && c.kind !== "tool")) continue;
    const path = c.kind === "skill" && c.skill ? c.skill : c.path;
    let entry = out.get(path);
    if (!entry) {
      entry = { path, kind: c.kind, status: "modified", tier: c.tier, gained: [], lost: [] };
      if (c.kind === "tool") Object.assign(entry, toolsGainedAndLost(c, views, config));
      out.set(path, entry);
    }
    // A skill is added, deleted or moved with its SKILL.md; any other file of it modifies it.
    const own =
      c.kind !== "skill" || !c.skill || c.path === `${c.skill}/SKILL.md` || c.oldPath === `${c.skill}/SKILL.md`;
    if (!own) continue;
    entry.status = c.status;
    if (c.status === "deleted" && c.kind === "tool") entry.tier = toolTier(c.oldPath, atBase, config).tier;
    if (c.status === "deleted" && c.kind === "skill" && c.skill) entry.tier = skillTier(c.skill, atBase, config).tier;
  }
  return [...out.values()].sort((a, b) => compareText(a.path, b.path));
}

/** The tools a changed tool file defines that it did not, and no longer defines. */
function toolsGainedAndLost(
  c: Analysis["changes"][number],
  views: Views,
  config: ResolvedConfig,
): Pick<ArtifactEntry, "gained" | "lost"> {
  const tools = (view: Views["head"], p: string, there: boolean) => {
    const t = there ? view.tools(p) : null;
    return new Map(t?.state === "parsed" && t.result.ok ? t.result.value.tools.map((x) => [x.name, x]) : []);
  };
  const before = tools(views.base, c.oldPath, c.status !== "added");
  const after = tools(views.head, c.path, c.status !== "deleted");
  const said = (t: ToolDef): ArtifactTool => {
    const cap = toolCapability(t, c.path, config);
    return { name: t.name, writing: cap.writing, ...(cap.hints ? { hints: cap.hints } : {}) };
  };
  return {
    gained: [...after.values()].filter((t) => !before.has(t.name)).map(said),
    lost: [...before.values()].filter((t) => !after.has(t.name)).map(said),
  };
}

function agentEntries(analysis: Analysis): AgentEntry[] {
  const heads = new Map(analysis.headAgents.map((a) => [a.path, a]));
  const out: AgentEntry[] = [];
  for (const change of analysis.agentChanges) {
    const head = heads.get(change.path) ?? null;
    const base = change.removed ?? analysis.baseAgents.get(change.path) ?? null;
    const esc = analysis.escalations.find((e) => e.path === change.path);
    // A declaration that could not be read is the worst case, not a list of tools to diff against.
    const unreadable = [base, head].some((a) => a?.manifest?.runtime?.unreadable);
    const diff = unreadable ? NO_DIFF : capabilityDiff(base, head);
    const steps = base && head && base.maxSteps !== head.maxSteps ? { from: base.maxSteps, to: head.maxSteps } : null;
    const moved =
      change.base !== change.head || diff.gained.length + diff.lost.length + diff.changed.length > 0 || steps !== null;
    if (!moved && diff.confirmation.removed.length + diff.confirmation.added.length === 0) continue;
    const kind = (head ?? base)?.manifest?.runtime?.kind;
    out.push({
      name: change.name,
      path: change.path,
      ...(kind ? { runtime: runtimeFor(kind).name } : {}),
      from: change.base,
      to: change.head,
      escalation: esc !== undefined,
      why: esc ? esc.causes : (head?.reasons ?? []),
      ...diff,
      steps,
    });
  }
  return out.sort((a, b) => compareText(a.name, b.name) || compareText(a.path, b.path));
}

const NO_DIFF: Pick<AgentEntry, "gained" | "lost" | "changed" | "confirmation"> = {
  gained: [],
  lost: [],
  changed: [],
  confirmation: { removed: [], added: [] },
};

function capabilityDiff(
  base: AgentAtRevision | null,
  head: AgentAtRevision | null,
): Pick<AgentEntry, "gained" | "lost" | "changed" | "confirmation"> {
  const entry = (a: AgentAtRevision, c: Capability): ToolEntry => ({
    name: c.name,
    source: c.source,
    writing: c.writing,
    ...(c.hints ? { hints: c.hints } : {}),
    confirmed: !c.writing || isConfirmed(c, a.confirm),
  });
  // One tool by any of its names (Copilot's `execute` is `shell`).
  const byName = (a: AgentAtRevision | null) => {
    const kind = a?.manifest?.runtime?.kind;
    const runtime = kind ? runtimeFor(kind) : null;
    const builtin = runtime ? `${runtime.name} built-in` : null;
    return new Map((a?.capabilities ?? []).map((c) => [c.source === builtin ? runtime!.canonical(c.name) : c.name, c]));
  };
  const before = byName(base);
  const after = byName(head);
  const gained = head ? [...after].filter(([k]) => !before.has(k)).map(([, c]) => entry(head, c)) : [];
  const lost = base ? [...before].filter(([k]) => !after.has(k)).map(([, c]) => entry(base, c)) : [];
  const removed: string[] = [];
  const added: string[] = [];
  const changed: AgentEntry["changed"] = [];
  const kind = (c: Capability) => JSON.stringify([c.writing, c.hints ?? null]);
  for (const [key, h] of after) {
    const b = before.get(key);
    if (b && base && head && kind(b) !== kind(h)) changed.push({ from: entry(base, b), to: entry(head, h) });
    if (!b || !base || !head || !b.writing || !h.writing) continue;
    const was = isConfirmed(b, base.confirm);
    const is = isConfirmed(h, head.confirm);
    if (was && !is) removed.push(h.name);
    if (!was && is) added.push(h.name);
  }
  const sort = <T extends { name: string }>(l: T[]) => l.sort((x, y) => compareText(x.name, y.name));
  return {
    gained: sort(gained),
    lost: sort(lost),
    changed: changed.sort((x, y) => compareText(x.to.name, y.to.name)),
    confirmation: { removed: removed.sort(), added: added.sort() },
  };
}

function breakingOf(analysis: Analysis, views: Views): Changelog["breaking"] {
  const out = new Map<string, { path: string; change: string }>();
  const tools = analysis.changes.filter((c) => c.kind === "tool" && c.status !== "added" && c.status !== "deleted");
  const headNames = new Set(
    analysis.changes
      .filter((c) => c.kind === "tool" && c.status !== "deleted")
      .flatMap((c) => {
        const t = views.head.tools(c.path);
        return t.state === "parsed" && t.result.ok ? t.result.value.tools.map((x) => x.name) : [];
      }),
  );
  for (const c of tools) {
    const b = views.base.tools(c.oldPath);
    const h = views.head.tools(c.path);
    if (b.state !== "parsed" || !b.result.ok || h.state !== "parsed" || !h.result.ok) continue;
    for (const change of breakingChanges(b.result.value.tools, h.result.value.tools, headNames))
      out.set(`${c.path}\0${change}`, { path: c.path, change });
  }
  return [...out.values()].sort((a, b) => compareText(a.path, b.path) || compareText(a.change, b.change));
}

/** The thresholds of a suite, as its config writes them. */
const THRESHOLDS = [
  "min_pass_rate",
  "min_cases",
  "canaries",
  "slices",
  "metrics",
  "max_drop",
  "pass_score",
  "holdout",
  "results",
] as const;

function evalEntries(config: ResolvedConfig, analysis: Analysis, views: Views): EvalEntry[] {
  // The thresholds at the end of the range: the config's own file at head, when it is there.
  const headConfig = (() => {
    const f = views.head.has(config.path) ? views.head.file(config.path) : null;
    if (!f || f.state !== "file") return null;
    const parsed = parseConfig(config.path, f.text);
    return parsed.ok ? parsed.value : null;
  })();
  const suites = new Set([
    ...config.suites.keys(),
    ...(headConfig?.suites.keys() ?? []),
    ...analysis.suiteChanges.keys(),
  ]);
  const out: EvalEntry[] = [];
  for (const suite of [...suites].sort()) {
    const before: Partial<SuiteConfig> = config.suites.get(suite)?.config ?? {};
    const after: Partial<SuiteConfig> = headConfig ? (headConfig.suites.get(suite)?.config ?? {}) : before;
    const thresholds = THRESHOLDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f])).map(
      (field) => ({
        field,
        from: before[field] ?? null,
        to: after[field] ?? null,
      }),
    );
    const files = [...new Set(analysis.suiteChanges.get(suite) ?? [])].sort();
    if (files.length || thresholds.length) out.push({ suite, files, thresholds });
  }
  return out;
}
