import { BASELINE_REASON } from "../config/baseline.js";
import type { Tier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Escalation } from "../escalation/escalation.js";
import type { Requirement } from "../requirement/types.js";
import type { ChangeAnalysis } from "../tier/changes.js";
import { sortRequirements, STATUS_ORDER, type Decision } from "./decision.js";

/** How a policy applied beside the config is named in the decision: its approval rules' ids and why they apply. */
export interface OtherPolicy {
  /** Prefixed to the ids of its approval rules, so that the config's and its own both stand. */
  prefix: string;
  /** Why its rules apply, said before each of its approval rules. */
  reason: string;
  /** The note the decision carries. */
  note: string;
}

/** The built-in baseline, applied beside a config the pull request wrote (no config at base). */
export function baselineNamed(config: ResolvedConfig): OtherPolicy {
  return {
    prefix: "baseline:",
    reason: BASELINE_REASON,
    note: `${BASELINE_REASON} as well as ${config.path} from head: 1 approval for chat, tools and governance, 2 for write and autonomous, from reviewers other than the author`,
  };
}

/** A central policy the config extends (`extends:`): every requirement of both applies. */
export function centralPolicy(ref: string): OtherPolicy {
  return {
    prefix: "policy:",
    reason: `the central policy ${ref}`,
    note: `the central policy ${ref} applies as well as the repository's config: every requirement of both`,
  };
}

/**
 * One decision from two policies' decisions (the config's, and the central policy's or the built-in
 * baseline's): every requirement of both applies (the other's approval rules under its prefix,
 * saying why), a rule both produce (an unreadable file, a version) is kept once at its worse
 * status, and each change and escalation at the higher tier either gives it.
 */
export function withOtherPolicy(
  primary: Decision,
  other: Decision,
  config: ResolvedConfig,
  named: OtherPolicy,
): Decision {
  const ladder = config.ladder;
  const requirements = new Map<string, Requirement>();
  const add = (r: Requirement) => {
    const prev = requirements.get(r.id);
    if (!prev || STATUS_ORDER[r.status] < STATUS_ORDER[prev.status]) requirements.set(r.id, r);
  };
  primary.requirements.forEach(add);
  for (const r of other.requirements) {
    if (r.kind === "approval" && r.id.startsWith("approval:")) {
      add({ ...r, id: `${named.prefix}${r.id}`, summary: `${named.reason}: ${r.summary}` });
    } else add(r);
  }
  const touched = new Map<Tier, string[]>();
  for (const t of [...primary.touched, ...other.touched])
    touched.set(t.tier, [...new Set([...(touched.get(t.tier) ?? []), ...t.because])]);
  const escalations = new Map<string, Escalation>();
  for (const e of [...primary.escalations, ...other.escalations]) {
    const prev = escalations.get(e.path);
    if (!prev || ladder.compare(e.to, prev.to) > 0) escalations.set(e.path, e);
  }
  const changes = new Map<string, ChangeAnalysis>();
  for (const c of [...primary.changes, ...other.changes]) {
    const prev = changes.get(c.path);
    if (!prev || (c.tier !== null && (prev.tier === null || ladder.compare(c.tier, prev.tier) > 0)))
      changes.set(c.path, c);
  }
  const sorted = sortRequirements([...requirements.values()]);
  const tiers = [primary.tier, other.tier].filter((t): t is Tier => t !== null);
  return {
    ...primary,
    decision: sorted.some((r) => r.status !== "met") ? "block" : "pass",
    tier: ladder.max(tiers),
    touched: ladder.sortDescending(touched.keys()).map((tier) => ({ tier, because: touched.get(tier)! })),
    escalations: [...escalations.values()],
    changes: [...changes.values()],
    requirements: sorted,
    notes: [named.note, ...primary.notes.filter((n) => n !== "nothing gated changed" || changes.size === 0)],
  };
}
