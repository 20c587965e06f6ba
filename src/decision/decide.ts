import {
  analyze,
  newMemo,
  type AgentChange,
  type Analysis,
  type AnalysisMemo,
  type ChangeAnalysis,
  type TouchedTier,
} from "../capability/analyze.js";
import type { AgentAtRevision } from "../capability/agent.js";
import type { Escalation } from "../capability/escalation.js";
import { RevisionView } from "../capability/view.js";
import { BASELINE_REASON, baselinePolicy } from "../config/baseline.js";
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import { collectRequirements } from "../requirement/collect.js";
import type { Requirement } from "../requirement/types.js";
import type { Tier } from "../tier/ladder.js";
import type { ConfigSource, DecisionInput } from "./input.js";

export interface Decision {
  decision: "pass" | "block";
  tier: Tier | null;
  touched: TouchedTier[];
  escalations: Escalation[];
  changes: ChangeAnalysis[];
  requirements: Requirement[];
  agents: AgentAtRevision[];
  agentChanges: AgentChange[];
  /** Things worth knowing that do not change the decision. */
  notes: string[];
  base: string;
  head: string;
  /** `file`: a trial config's file on disk. */
  config: { path: string; source: ConfigSource; file?: string };
}

export type Attempt =
  { complete: true; decision: Decision } | { complete: false; missing: Record<"base" | "head", string[]> };

/**
 * The decision as a function of plain data (ENGINEERING: the pure core). When the input lacks a
 * file the decision needs, the attempt names it instead, and the shell gathers it and asks again.
 */
export function attemptDecision(input: DecisionInput, memo: AnalysisMemo = newMemo()): Attempt {
  const config = resolveConfig(input.config.path, input.config.raw);
  const primary = attemptPolicy(input, config, memo);
  // A config the pull request wrote sets no bar on its own: the built-in baseline applies as well.
  const baseline =
    input.config.source === "head"
      ? attemptPolicy(input, resolveConfig(input.config.path, baselinePolicy(input.config.raw)), memo)
      : null;
  if (!primary.complete || (baseline && !baseline.complete)) {
    const missing = [primary, baseline].flatMap((a) => (a && !a.complete ? [a.missing] : []));
    return {
      complete: false,
      missing: {
        base: [...new Set(missing.flatMap((m) => m.base))].sort(),
        head: [...new Set(missing.flatMap((m) => m.head))].sort(),
      },
    };
  }
  const decision = baseline?.complete ? withBaseline(primary.decision, baseline.decision, config) : primary.decision;
  return { complete: true, decision };
}

function attemptPolicy(input: DecisionInput, config: ResolvedConfig, memo: AnalysisMemo): Attempt {
  // Paths whose gatedness the evidence asks about: changed since a review, or edited in the workspace.
  const asked = [
    ...Object.values(input.evidence.approvals?.reviewedCommits ?? {}).flatMap((paths) => paths ?? []),
    ...(input.evidence.checkoutModified ?? []),
  ];
  const { analysis, missing } = analyze(input, config, asked, memo);
  if (!analysis) return { complete: false, missing };
  const headView = new RevisionView("head", input.head);
  const notes: string[] = [];
  const requirements = collectRequirements(input, config, analysis, (p) => headView.file(p), notes);
  const all = {
    base: [...new Set([...missing.base])].sort(),
    head: [...new Set([...missing.head, ...headView.missing])].sort(),
  };
  if (all.base.length || all.head.length) return { complete: false, missing: all };
  return { complete: true, decision: assemble(input, config, analysis, requirements, notes) };
}

/**
 * One decision from the pull request's own config and the built-in baseline's: every requirement
 * of both applies. The baseline's approval rules say why they apply; a rule both produce (an
 * unreadable file, a version) is kept once, at its worse status.
 */
function withBaseline(primary: Decision, baseline: Decision, config: ResolvedConfig): Decision {
  const ladder = config.ladder;
  const requirements = new Map<string, Requirement>();
  const add = (r: Requirement) => {
    const prev = requirements.get(r.id);
    if (!prev || STATUS_ORDER[r.status] < STATUS_ORDER[prev.status]) requirements.set(r.id, r);
  };
  primary.requirements.forEach(add);
  for (const r of baseline.requirements) {
    if (r.kind === "approval" && r.id.startsWith("approval:")) {
      add({ ...r, id: `baseline:${r.id}`, summary: `${BASELINE_REASON}: ${r.summary}` });
    } else add(r);
  }
  const touched = new Map<Tier, string[]>();
  for (const t of [...primary.touched, ...baseline.touched])
    touched.set(t.tier, [...new Set([...(touched.get(t.tier) ?? []), ...t.because])]);
  const escalations = new Map<string, Escalation>();
  for (const e of [...primary.escalations, ...baseline.escalations]) {
    const prev = escalations.get(e.path);
    if (!prev || ladder.compare(e.to, prev.to) > 0) escalations.set(e.path, e);
  }
  const changes = new Map<string, ChangeAnalysis>();
  for (const c of [...primary.changes, ...baseline.changes]) {
    const prev = changes.get(c.path);
    if (!prev || (c.tier !== null && (prev.tier === null || ladder.compare(c.tier, prev.tier) > 0)))
      changes.set(c.path, c);
  }
  const sorted = sortRequirements([...requirements.values()]);
  const tiers = [primary.tier, baseline.tier].filter((t): t is Tier => t !== null);
  return {
    ...primary,
    decision: sorted.some((r) => r.status !== "met") ? "block" : "pass",
    tier: ladder.max(tiers),
    touched: ladder.sortDescending(touched.keys()).map((tier) => ({ tier, because: touched.get(tier)! })),
    escalations: [...escalations.values()],
    changes: [...changes.values()],
    requirements: sorted,
    notes: [
      `${BASELINE_REASON} as well as ${primary.config.path} from head: 1 approval for chat, tools and governance, 2 for write and autonomous, from reviewers other than the author`,
      ...primary.notes.filter((n) => n !== "nothing gated changed" || changes.size === 0),
    ],
  };
}

/** Decides, or throws when the input is incomplete (a shell bug: it must gather what is asked). */
export function decide(input: DecisionInput): Decision {
  const a = attemptDecision(input);
  if (!a.complete) {
    throw new Error(
      `decision input is incomplete: base ${a.missing.base.join(", ")} head ${a.missing.head.join(", ")}`,
    );
  }
  return a.decision;
}

const KIND_ORDER = { artifact: 0, version: 1, holdout: 2, eval: 3, approval: 4, file: 5 } as const;
const STATUS_ORDER = { failed: 0, missing: 1, met: 2 } as const;

function sortRequirements(requirements: Requirement[]): Requirement[] {
  return requirements.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      a.id.localeCompare(b.id),
  );
}

function assemble(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  requirements: Requirement[],
  notes: string[],
): Decision {
  sortRequirements(requirements);
  const blocked = requirements.some((r) => r.status !== "met");
  if (analysis.tier === null && analysis.changes.length === 0) notes.push("nothing gated changed");
  if (analysis.ungated.length > 0) {
    const some = analysis.ungated.slice(0, 3).join(", ");
    const more = analysis.ungated.length > 3 ? ` and ${analysis.ungated.length - 3} more` : "";
    notes.push(`${analysis.ungated.length} changed file(s) are not gated artifacts: ${some}${more}`);
  }
  // Compared from the merge base: a head the base already contains has nothing new in it.
  const tip = (input.evidence.baseCommits ?? []).find((c) => c !== input.base.sha);
  if (input.base.sha === input.head.sha && tip !== undefined)
    notes.push(
      `the base ${tip.slice(0, 7)} already contains the head, so nothing in it is new (are the base and head swapped?)`,
    );
  if (input.config.source === "file")
    notes.unshift(
      `trial config: read from ${input.config.file ?? config.path} on disk, not from the base revision; in CI the gate reads the base's config`,
    );
  return {
    decision: blocked ? "block" : "pass",
    tier: analysis.tier,
    touched: analysis.touched,
    escalations: analysis.escalations,
    changes: analysis.changes,
    requirements,
    agents: analysis.headAgents,
    agentChanges: analysis.agentChanges,
    notes,
    base: input.base.sha,
    head: input.head.sha,
    config: {
      path: config.path,
      source: input.config.source,
      ...(input.config.file !== undefined ? { file: input.config.file } : {}),
    },
  };
}
