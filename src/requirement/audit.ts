import { short } from "../common/ids.js";
import type { Tier } from "../config/ladder.js";
import type { Audit } from "../input/types.js";
import type { Requirement } from "./types.js";

/**
 * A push audit's one requirement: a commit that changed gated artifacts reached the branch
 * through a passing `capgate` check of the expected app — on the commit itself (a merge-queue
 * group) or on the head of the pull request that merged it.
 */
export function auditRequirement(audit: Audit, tier: Tier, head: string): Requirement {
  const base = {
    kind: "approval" as const,
    id: "audit:passing-check",
    tiers: [tier],
    summary: "gated changes reach the branch only through a passing capgate check",
  };
  if (!audit.ok)
    return {
      ...base,
      status: "failed",
      detail: `${short(head)} changed gated artifacts (tier ${tier}), and whether it came through a passing capgate check is unknown: the check history could not be read: ${audit.why}`,
    };
  const passed = audit.candidates.find((sha) =>
    audit.runs.some((r) => r.sha === sha && r.conclusion === "success" && r.appId === audit.appId),
  );
  if (passed !== undefined) return { ...base, status: "met", detail: `capgate passed on ${short(passed)}` };
  const via = audit.pulls.length ? `pull requests ${audit.pulls.map((p) => `#${p}`).join(", ")}` : "no pull request";
  return {
    ...base,
    status: "failed",
    detail: `${short(head)} changed gated artifacts (tier ${tier}) and reached the branch without a passing capgate check (${via}; only check runs of app ${audit.appId} count); review it and revert or gate it`,
  };
}
