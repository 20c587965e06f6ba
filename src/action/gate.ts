import { isRepositoryRef, readPolicy } from "../github/policy.js";
import { UsageError, messageOf } from "../common/errors.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { CheckOptions, ApprovalsLoad } from "../gather/check.js";
import type { Git } from "../git/git.js";
import { ensureHistory } from "../git/fetch.js";
import { readAudit } from "../github/audit.js";
import type { GitHubClient } from "../github/client.js";
import { getPull, listReviews, resolveTeams } from "../github/evidence.js";
import type { GateTarget } from "./event.js";
import type { Settings } from "./inputs.js";

/** What the action can reach besides the checkout: the API, and a log. */
export interface Reach {
  git: Git;
  /** Reads; `teams` reads team members (with `teams-token` when given). */
  client: GitHubClient;
  teams: GitHubClient;
  log: (message: string) => void;
}

/**
 * What to gate for an event, as the CLI would be asked to: the two commits (fetched when the
 * checkout lacks them), the reviews and where to read them, the commits results may be bound to,
 * and for a push, the audit of its way in.
 */
export async function optionsFor(target: GateTarget, settings: Settings, r: Reach): Promise<CheckOptions> {
  const common = {
    cwd: settings.workspace,
    configPath: settings.configPath,
    ...(settings.configFile ? { configFile: settings.configFile } : {}),
    // A central policy is read from its repository through the API, never from the workspace,
    // which the pull request writes.
    policy: {
      ...(settings.policy ? { ref: settings.policy } : {}),
      read: async (ref: string) => {
        if (!isRepositoryRef(ref)) throw new Error("the action reads a central policy as OWNER/REPO/PATH@REF");
        return readPolicy(r.client, ref);
      },
    },
    log: r.log,
  };
  if (target.kind === "push") {
    const base = await pushBase(target, r);
    return {
      ...common,
      base,
      head: target.head,
      approvals: { kind: "none", why: "a push has no reviews: the audit asks how it came in" },
      skipEvidence: true,
      audit: (head) => readAudit(r.client, settings.repository, head, settings.checkAppId),
    };
  }
  const pull = target.pull;
  let author = target.kind === "pull_request" ? target.author : undefined;
  let approvalsHead: string | undefined;
  if (target.kind === "merge_group" || (target.kind === "dispatch" && pull !== undefined)) {
    const info = await getPull(r.client, settings.repository, pull!);
    author = info.author;
    if (target.kind === "merge_group") approvalsHead = info.headSha;
  }
  await ensureHistory(r.git, target.base, target.head, r.log, approvalsHead ? [approvalsHead] : []);
  return {
    ...common,
    base: target.base,
    head: target.head,
    ...(settings.resultsDir ? { resultsDir: settings.resultsDir } : {}),
    approvals:
      pull === undefined || author === undefined
        ? { kind: "none", why: "no pull request to read reviews from (set the pull-request input)" }
        : { kind: "load", load: (config, teams) => loadReviews(r, settings, target, pull, author!, config, teams) },
    ...(approvalsHead ? { approvalsHead } : {}),
    extraAcceptedCommits: target.kind === "pull_request" ? target.extraAccepted : [],
  };
}

/** The commit a push is audited from: `before`, or the pushed commit's parent when there is none to have. */
async function pushBase(target: Extract<GateTarget, { kind: "push" }>, r: Reach): Promise<string> {
  await ensureHistory(r.git, target.head, target.head, r.log);
  let base = target.base;
  if (base !== null && target.forced && !(await r.git.resolveCommit(base))) {
    // A force-push can leave `before` unreachable; then the pushed commit is audited on its own.
    await ensureHistory(r.git, target.head, target.head, r.log, [base]);
    if (!(await r.git.resolveCommit(base))) {
      r.log(`the commit before the force-push (${base}) is gone; auditing ${target.head} against its parent`);
      base = null;
    }
  }
  base ??= await r.git.resolveCommit(`${target.head}^`);
  if (!base) throw new UsageError(`${target.head} has no parent to compare with; nothing to audit`);
  await ensureHistory(r.git, base, target.head, r.log);
  return base;
}

async function loadReviews(
  r: Reach,
  settings: Settings,
  target: Exclude<GateTarget, { kind: "push" }>,
  pull: number,
  author: string,
  config: ResolvedConfig,
  codeownersTeams: readonly string[],
): Promise<ApprovalsLoad> {
  try {
    const reviews = await listReviews(r.client, settings.repository, pull);
    const { teams, errors } = await resolveTeams(r.teams, config, codeownersTeams);
    const reviewed = [...new Set(reviews.map((x) => x.commitId).filter((c): c is string => !!c))];
    await ensureHistory(r.git, target.base, target.head, r.log, reviewed).catch(() => undefined);
    return { ok: true, approvals: { author, reviews, teams }, teamErrors: errors };
  } catch (e) {
    return {
      ok: false,
      why: `the reviews of #${pull} could not be read from the GitHub API (${messageOf(e)}); the approvals stay unmet`,
    };
  }
}
