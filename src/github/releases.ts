import valid from "semver/functions/valid.js";
import compare from "semver/functions/compare.js";
import { statusOf, type GitHubClient } from "./client.js";
import type { Repo } from "./evidence.js";
import { explainWriteFailure, type WriteOutcome } from "./publish.js";

export interface Release {
  id: number;
  tag: string;
  draft: boolean;
  prerelease: boolean;
  /** When it was published (or created, for a draft). */
  at: string;
  body: string;
}

function releaseOf(r: {
  id: number;
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  published_at: string | null;
  created_at: string;
  body?: string | null;
}): Release {
  return {
    id: r.id,
    tag: r.tag_name,
    draft: r.draft,
    prerelease: r.prerelease,
    at: r.published_at ?? r.created_at,
    body: r.body ?? "",
  };
}

export async function releaseByTag(client: GitHubClient, repo: Repo, tag: string): Promise<Release> {
  const { data } = await client.rest.repos.getReleaseByTag({ ...repo, tag });
  return releaseOf(data);
}

export async function releaseById(client: GitHubClient, repo: Repo, id: number): Promise<Release> {
  const { data } = await client.rest.repos.getRelease({ ...repo, release_id: id });
  return releaseOf(data);
}

/**
 * The release before this one: the latest published release that is neither a draft nor a
 * prerelease and whose tag is older — by semver when both tags are versions, else by when it was
 * published. Null when there is none.
 */
export async function previousRelease(client: GitHubClient, repo: Repo, current: Release): Promise<Release | null> {
  const all: Release[] = [];
  for await (const page of client.paginate.iterator(client.rest.repos.listReleases, { ...repo, per_page: 100 }))
    all.push(...page.data.map(releaseOf));
  // By semver when both tags are versions, else by when each was published.
  const order = (x: Release, y: Release) => {
    const a = valid(x.tag);
    const b = valid(y.tag);
    if (a && b) return compare(a, b);
    return x.at < y.at ? -1 : x.at > y.at ? 1 : 0;
  };
  const candidates = all.filter(
    (r) => r.id !== current.id && r.tag !== current.tag && !r.draft && !r.prerelease && order(r, current) < 0,
  );
  candidates.sort((x, y) => order(y, x));
  return candidates[0] ?? null;
}

export async function updateReleaseBody(
  client: GitHubClient,
  repo: Repo,
  id: number,
  body: string,
): Promise<WriteOutcome> {
  try {
    await client.rest.repos.updateRelease({ ...repo, release_id: id, body });
    return { ok: true, detail: `wrote the capability changes into release ${id}` };
  } catch (e) {
    const status = statusOf(e);
    if (status === 403 || status === 404)
      return {
        ok: false,
        detail: `could not write the release notes (HTTP ${status}): the token cannot write releases here (it needs contents: write); the notes are in the job summary`,
      };
    return { ok: false, detail: explainWriteFailure("the release notes", e) };
  }
}
