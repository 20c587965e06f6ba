import type { Decision } from "../decision/decide.js";
import { COMMENT_MARKER, toMarkdown } from "../report/markdown.js";
import { messageOf } from "../common/errors.js";
import { statusOf, type GitHubClient } from "./client.js";
import type { Repo } from "./evidence.js";

/** GitHub's limit on an issue comment's body. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit on a check run's output summary. */
export const CHECK_SUMMARY_LIMIT = 65_535;

export type WriteOutcome = { ok: true; detail: string } | { ok: false; detail: string };

/**
 * Creates or updates the one capgate comment on a pull request: the comment written by capgate's
 * own login that starts with the marker. A marker in anyone else's comment is ignored, so nobody
 * can have capgate edit a comment they can edit too. With `onlyWhenBlocked`, a passing change
 * gets no new comment, but an earlier one is brought up to date.
 */
export async function upsertComment(
  client: GitHubClient,
  repo: Repo,
  pull: number,
  decision: Decision,
  opts: { moreAt: string | undefined; author: string; onlyWhenBlocked: boolean },
): Promise<WriteOutcome> {
  const body = toMarkdown(decision, { limit: COMMENT_LIMIT - 100, ...(opts.moreAt ? { moreAt: opts.moreAt } : {}) });
  const author = opts.author.toLowerCase();
  try {
    let existing: number | undefined;
    for await (const page of client.paginate.iterator(client.rest.issues.listComments, {
      ...repo,
      issue_number: pull,
      per_page: 100,
    })) {
      const found = page.data.find(
        (c) => c.user?.login.toLowerCase() === author && (c.body ?? "").startsWith(COMMENT_MARKER),
      );
      if (found) {
        existing = found.id;
        break;
      }
    }
    if (existing !== undefined) {
      await client.rest.issues.updateComment({ ...repo, comment_id: existing, body });
      return { ok: true, detail: `updated comment ${existing}` };
    }
    if (opts.onlyWhenBlocked && decision.decision === "pass")
      return { ok: true, detail: "no comment: the change passes and comment is on-failure" };
    const { data } = await client.rest.issues.createComment({ ...repo, issue_number: pull, body });
    return { ok: true, detail: `created comment ${data.id}` };
  } catch (e) {
    return { ok: false, detail: explainWriteFailure("the pull-request comment", e) };
  }
}

/** Publishes the decision as the `capgate` check run on the gated commit. */
export async function publishCheckRun(
  client: GitHubClient,
  repo: Repo,
  sha: string,
  decision: Decision,
): Promise<WriteOutcome> {
  const summary = toMarkdown(decision, { limit: CHECK_SUMMARY_LIMIT, heading: "" });
  try {
    const { data } = await client.rest.checks.create({
      ...repo,
      name: "capgate",
      head_sha: sha,
      status: "completed",
      conclusion: decision.decision === "pass" ? "success" : "failure",
      output: {
        title:
          decision.decision === "pass"
            ? `pass — ${decision.tier ?? "nothing gated changed"}`
            : `blocked — ${decision.tier}`,
        summary,
      },
    });
    return { ok: true, detail: `check run ${data.id}` };
  } catch (e) {
    return { ok: false, detail: explainWriteFailure("the capgate check run", e) };
  }
}

export function explainWriteFailure(what: string, e: unknown): string {
  const status = statusOf(e);
  if (status === 403 || status === 404) {
    return `could not write ${what} (HTTP ${status}): the token is read-only here (a pull request from a fork?); the decision stands and is in the job summary`;
  }
  return `could not write ${what}: ${messageOf(e)}; the decision stands`;
}
