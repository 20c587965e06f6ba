import { messageOf } from "../common/errors.js";
import type { Audit } from "../input/types.js";
import type { GitHubClient } from "./client.js";
import type { Repo } from "./evidence.js";

/**
 * What a push audit needs to know: the pull requests that merged the pushed commit, and every
 * `capgate` check run on the commit itself (a merge-queue group) and on those pull requests' heads.
 * Whether one of them passed, from the expected app, is the decision's to judge.
 */
export async function readAudit(client: GitHubClient, repo: Repo, sha: string, appId: number): Promise<Audit> {
  try {
    const { data: pulls } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: sha,
      per_page: 100,
    });
    const candidates = [sha];
    for (const p of pulls)
      if (p.merged_at && (p.merge_commit_sha === sha || p.head.sha === sha)) candidates.push(p.head.sha);
    const runs: Extract<Audit, { ok: true }>["runs"] = [];
    for (const c of [...new Set(candidates)]) {
      const { data } = await client.rest.checks.listForRef({ ...repo, ref: c, check_name: "capgate", per_page: 100 });
      for (const r of data.check_runs) runs.push({ sha: c, conclusion: r.conclusion, appId: r.app?.id ?? null });
    }
    return { ok: true, appId, pulls: pulls.map((p) => p.number), candidates: [...new Set(candidates)], runs };
  } catch (e) {
    return { ok: false, appId, why: messageOf(e) };
  }
}
