import type { AgentAtRevision } from "../agent/evaluate.js";
import type { Tier } from "../config/ladder.js";
import type { Escalation } from "../escalation/escalation.js";
import type { ConfigSource } from "../input/types.js";
import type { Requirement } from "../requirement/types.js";
import type { ChangeAnalysis, TouchedTier } from "../tier/changes.js";
import type { AgentChange } from "../analysis/analyze.js";
import { compareText } from "../common/order.js";

/** A decision: the verdict, what the change touched, and every requirement with its status. */
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

const KIND_ORDER = { artifact: 0, version: 1, holdout: 2, pin: 3, eval: 4, approval: 5, file: 6 } as const;
export const STATUS_ORDER = { failed: 0, missing: 1, met: 2 } as const;

/** Failed first, then missing, then met; by kind, then id. */
export function sortRequirements(requirements: Requirement[]): Requirement[] {
  return requirements.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      compareText(a.id, b.id),
  );
}
