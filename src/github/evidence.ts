import type { ResolvedConfig } from "../config/resolve.js";
import type { OfflineApprovals } from "../evidence/approvals-file.js";
import { messageOf } from "../common/errors.js";
import { statusOf, type GitHubClient } from "./client.js";

export interface Repo {
  owner: string;
  repo: string;
}

/** The longest review list read; a pull request with more is refused rather than half read. */
const MAX_REVIEWS = 3000;

/** Reads a pull request's reviews, all pages; any failure is thrown (the caller blocks). */
export async function listReviews(
  client: GitHubClient,
  repo: Repo,
  pull: number,
): Promise<OfflineApprovals["reviews"]> {
  const reviews: OfflineApprovals["reviews"] = [];
  for await (const page of client.paginate.iterator(client.rest.pulls.listReviews, {
    ...repo,
    pull_number: pull,
    per_page: 100,
  })) {
    if (!Array.isArray(page.data)) throw new Error("the reviews page is not a list");
    for (const r of page.data) {
      if (!r.user?.login) continue; // a deleted account ("ghost") cannot be anyone's approval
      reviews.push({ user: r.user.login, state: r.state, commitId: r.commit_id ?? null, isBot: r.user.type === "Bot" });
    }
    if (reviews.length > MAX_REVIEWS) throw new Error(`more than ${MAX_REVIEWS} reviews`);
  }
  return reviews;
}

/**
 * Resolves every `@org/team` the config's groups name, once per run. A team that cannot be read
 * is left out with its reason: the rules that need it stay unmet.
 */
export async function resolveTeams(
  client: GitHubClient,
  config: ResolvedConfig,
  more: readonly string[] = [],
): Promise<{ teams: Record<string, string[]>; errors: Record<string, string> }> {
  const slugs = new Set<string>(more);
  for (const members of config.groups.values()) for (const m of members) if (m.startsWith("@")) slugs.add(m);
  const teams: Record<string, string[]> = {};
  const errors: Record<string, string> = {};
  for (const slug of slugs) {
    const [org, team] = slug.slice(1).split("/") as [string, string];
    try {
      const members = await client.paginate(client.rest.teams.listMembersInOrg, {
        org,
        team_slug: team,
        per_page: 100,
      });
      teams[slug] = members.map((m) => m.login);
    } catch (e) {
      const status = statusOf(e);
      errors[slug] =
        status === 403 || status === 404
          ? `the token cannot read this team's members (HTTP ${status}); pass teams-token: a token with members: read on the organization (a GitHub App's, or a fine-grained PAT)`
          : `reading the team failed: ${messageOf(e)}`;
    }
  }
  return { teams, errors };
}

export interface PullInfo {
  number: number;
  author: string;
  headSha: string;
  baseSha: string;
}

export async function getPull(client: GitHubClient, repo: Repo, pull: number): Promise<PullInfo> {
  const { data } = await client.rest.pulls.get({ ...repo, pull_number: pull });
  return { number: data.number, author: data.user.login, headSha: data.head.sha, baseSha: data.base.sha };
}
