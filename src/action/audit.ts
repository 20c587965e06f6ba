import type { Decision } from "../decision/decide.js";
import type { GitHubClient } from "../github/client.js";
import type { Repo } from "../github/evidence.js";
import { messageOf } from "../parse/document.js";

/**
 * A push to a protected branch is audited: a commit that changed gated artifacts must have
 * reached the branch through a passing `capgate` check — on the commit itself (a merge queue
 * group) or on the head of the pull request that merged it.
 */
export async function auditPush(
  client: GitHubClient,
  repo: Repo,
  decision: Decision,
  /** Only a check run this app wrote counts: any app, or a workflow's job, can name a check `capgate`. */
  appId: number,
): Promise<Decision> {
  if (decision.tier === null) return decision;
  const sha = decision.head;
  let passed: string | null = null;
  let why: string;
  try {
    const candidates = [sha];
    const { data: pulls } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: sha,
      per_page: 100,
    });
    for (const p of pulls)
      if (p.merged_at && (p.merge_commit_sha === sha || p.head.sha === sha)) candidates.push(p.head.sha);
    for (const c of [...new Set(candidates)]) {
      const { data } = await client.rest.checks.listForRef({ ...repo, ref: c, check_name: "capgate", per_page: 100 });
      if (data.check_runs.some((r) => r.conclusion === "success" && r.app?.id === appId)) {
        passed = c;
        break;
      }
    }
    why = `${pulls.length ? `pull requests ${pulls.map((p) => `#${p.number}`).join(", ")}` : "no pull request"}; only check runs of app ${appId} count`;
  } catch (e) {
    why = `the check history could not be read: ${messageOf(e)}`;
  }
  const met = passed !== null;
  return {
    ...decision,
    decision: met ? "pass" : "block",
    requirements: [
      {
        kind: "approval",
        id: "audit:passing-check",
        status: met ? "met" : "failed",
        tiers: decision.tier ? [decision.tier] : [],
        summary: "gated changes reach the branch only through a passing capgate check",
        detail: met
          ? `capgate passed on ${passed!.slice(0, 7)}`
          : `${sha.slice(0, 7)} changed gated artifacts (tier ${decision.tier}) and reached ${"the branch"} without a passing capgate check (${why}); review it and revert or gate it`,
      },
    ],
  };
}
