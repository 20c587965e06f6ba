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
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import { collectRequirements } from "../requirement/collect.js";
import type { Requirement } from "../requirement/types.js";
import type { Tier } from "../tier/ladder.js";
import type { DecisionInput, Side } from "./input.js";

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
  config: { path: string; source: Side };
}

export type Attempt = { complete: true; decision: Decision } | { complete: false; missing: Record<Side, string[]> };

/**
 * The decision as a function of plain data (ENGINEERING: the pure core). When the input lacks a
 * file the decision needs, the attempt names it instead, and the shell gathers it and asks again.
 */
export function attemptDecision(input: DecisionInput, memo: AnalysisMemo = newMemo()): Attempt {
  const config = resolveConfig(input.config.path, input.config.raw);
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

function assemble(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  requirements: Requirement[],
  notes: string[],
): Decision {
  const order = { artifact: 0, version: 1, holdout: 2, eval: 3, approval: 4, file: 5 } as const;
  const statusOrder = { failed: 0, missing: 1, met: 2 } as const;
  requirements.sort(
    (a, b) =>
      statusOrder[a.status] - statusOrder[b.status] || order[a.kind] - order[b.kind] || a.id.localeCompare(b.id),
  );
  const blocked = requirements.some((r) => r.status !== "met");
  if (analysis.tier === null && analysis.changes.length === 0) notes.push("nothing gated changed");
  if (analysis.ungated > 0) notes.push(`${analysis.ungated} changed file(s) are not gated artifacts`);
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
    config: { path: config.path, source: input.config.source },
  };
}
