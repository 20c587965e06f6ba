import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Decision } from "../decision/decide.js";
import { ensureHistory } from "../git/fetch.js";
import { runCheck, openRepository, type ApprovalsLoad, type Gathered } from "../gather/check.js";
import { UsageError } from "../gather/errors.js";
import { createClient, READ_BUDGET_UNITS, WRITE_BUDGET_UNITS, type GitHubClient } from "../github/client.js";
import { getPull, listReviews, resolveTeams } from "../github/evidence.js";
import { publishCheckRun, upsertComment } from "../github/publish.js";
import { messageOf } from "../parse/document.js";
import { toJsonReport } from "../report/json.js";
import { inert } from "../report/inert.js";
import { toMarkdown } from "../report/markdown.js";
import { auditPush } from "./audit.js";
import { readTarget, type Target } from "./event.js";
import { getInputs, type Settings } from "./inputs.js";

/** GitHub's cap on one step's job summary. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

/** The runner's side of the contract, so the whole action can run against any environment. */
export interface Runner {
  env: NodeJS.ProcessEnv;
  info(message: string): void;
  warning(message: string, props?: { file?: string; startLine?: number; title?: string }): void;
  error(message: string, props?: { file?: string; startLine?: number; title?: string }): void;
  setOutput(name: string, value: string): void;
  summary(markdown: string): Promise<void>;
}

interface Outcome {
  decision: Decision | null;
  reason?: string;
}

/** Runs the action once; returns the process exit code. Never throws. */
export async function runAction(runner: Runner): Promise<number> {
  let settings: Settings | null = null;
  let outcome: Outcome;
  try {
    settings = getInputs(runner.env);
    runner.info(
      `capgate: gating the ${settings.eventName} event of ${settings.repository.owner}/${settings.repository.repo}`,
    );
    outcome = await decideForEvent(settings, runner);
  } catch (e) {
    // Any failure to read what the decision needs blocks, with the reason.
    outcome = {
      decision: null,
      reason: e instanceof UsageError || e instanceof Error ? e.message : `unexpected failure: ${messageOf(e)}`,
    };
  }
  try {
    return await report(settings, outcome, runner);
  } catch (e) {
    runner.error(`capgate could not report its decision: ${messageOf(e)}`);
    return 1;
  }
}

async function decideForEvent(
  settings: Settings,
  runner: Runner,
): Promise<Outcome & { gathered?: Gathered; target?: Target }> {
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(settings.eventPath, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the event payload ${settings.eventPath}: ${messageOf(e)}`);
  }
  const target = readTarget(settings, payload);
  const client = clientFor(settings, runner, "read");
  const { git } = await openRepository(settings.workspace);
  const repo = settings.repository;

  if (target.kind === "push") {
    await ensureHistory(git, target.head, target.head, runner.info);
    let base = target.base;
    if (base !== null && target.forced && !(await git.resolveCommit(base))) {
      // A force-push can leave `before` unreachable; then the pushed commit is audited on its own.
      await ensureHistory(git, target.head, target.head, runner.info, [base]);
      if (!(await git.resolveCommit(base))) {
        runner.info(`the commit before the force-push (${base}) is gone; auditing ${target.head} against its parent`);
        base = null;
      }
    }
    base ??= await git.resolveCommit(`${target.head}^`);
    if (!base) throw new UsageError(`${target.head} has no parent to compare with; nothing to audit`);
    await ensureHistory(git, base, target.head, runner.info);
    const gathered = await runCheck({
      cwd: settings.workspace,
      base,
      head: target.head,
      configPath: settings.configPath,
      approvals: null,
      skipEvidence: true,
    });
    return {
      decision: await auditPush(client, repo, gathered.decision, settings.checkAppId),
      gathered,
      target,
    };
  }

  const pull: number | undefined = target.pull;
  let author = target.kind === "pull_request" ? target.author : undefined;
  let approvalsHead: string | undefined;
  if (target.kind === "merge_group" || (target.kind === "dispatch" && pull !== undefined)) {
    const info = await getPull(client, repo, pull!);
    author = info.author;
    if (target.kind === "merge_group") approvalsHead = info.headSha;
  }
  await ensureHistory(git, target.base, target.head, runner.info, approvalsHead ? [approvalsHead] : []);

  const loader = async (config: Parameters<typeof resolveTeams>[1]): Promise<ApprovalsLoad> => {
    if (pull === undefined || author === undefined) {
      return { approvals: null, error: "no pull request to read reviews from (set the pull-request input)" };
    }
    try {
      const reviews = await listReviews(client, repo, pull);
      const teamsClient = settings.teamsToken
        ? clientFor({ ...settings, token: settings.teamsToken }, runner, "read")
        : client;
      const { teams, errors } = await resolveTeams(teamsClient, config);
      const reviewed = [...new Set(reviews.map((r) => r.commitId).filter((c): c is string => !!c))];
      await ensureHistory(git, target.base, target.head, runner.info, reviewed).catch(() => undefined);
      return { approvals: { author, reviews, teams }, teamErrors: errors };
    } catch (e) {
      return {
        approvals: null,
        error: `the reviews of #${pull} could not be read from the GitHub API (${messageOf(e)}); the approvals stay unmet`,
      };
    }
  };
  const gathered = await runCheck({
    cwd: settings.workspace,
    base: target.base,
    head: target.head,
    configPath: settings.configPath,
    ...(settings.resultsDir ? { resultsDir: settings.resultsDir } : {}),
    approvals: loader,
    ...(approvalsHead ? { approvalsHead } : {}),
    extraAcceptedCommits: target.kind === "pull_request" ? target.extraAccepted : [],
  });
  return { decision: gathered.decision, gathered, target };
}

/** Reads share one budget of about a minute; writes, best effort, a short one of their own. */
function clientFor(settings: Settings, runner: Runner, use: "read" | "write"): GitHubClient {
  return createClient({
    token: settings.token,
    baseUrl: settings.apiUrl,
    retryBaseMs: settings.retryBaseMs,
    budgetUnits: use === "read" ? READ_BUDGET_UNITS : WRITE_BUDGET_UNITS,
    purpose: use === "read" ? "reading from GitHub" : "writing to GitHub",
    log: runner.info,
  });
}

async function report(
  settings: Settings | null,
  outcome: Outcome & { gathered?: Gathered; target?: Target },
  runner: Runner,
): Promise<number> {
  const d = outcome.decision;
  const blocked = d === null || d.decision === "block";
  const warnOnly = settings?.mode === "warn";
  runner.setOutput("decision", blocked ? "block" : "pass");
  runner.setOutput("tier", d?.tier ?? "");
  runner.setOutput("escalations", JSON.stringify(d?.escalations ?? []));

  const recordPath = settings ? recordFile(settings, d) : null;
  if (recordPath && settings) {
    try {
      mkdirSync(dirname(recordPath), { recursive: true });
      writeFileSync(recordPath, JSON.stringify(record(settings, outcome), null, 2) + "\n");
      runner.setOutput("report", recordPath);
    } catch (e) {
      runner.warning(`could not write the decision record ${recordPath}: ${messageOf(e)}`);
    }
  }

  if (d === null) {
    const reason = outcome.reason ?? "unknown failure";
    runner.error(`capgate blocked: ${reason}`, { title: "capgate: blocked" });
    await runner
      .summary(`❌ **capgate: blocked** — nothing could be decided\n\n${inert(reason, 4000)}\n`)
      .catch(() => undefined);
    return warnOnly ? 0 : 1;
  }

  for (const r of d.requirements) {
    if (r.kind === "artifact" && r.status === "failed") {
      runner.error(r.detail, {
        ...(r.path ? { file: r.path } : {}),
        ...(r.line ? { startLine: r.line } : {}),
        title: "capgate: unreadable artifact",
      });
    }
  }
  for (const e of d.escalations)
    runner.warning(e.reason, { file: e.path, title: `capgate: ${e.from ?? "new"} → ${e.to}` });

  const markdown = toMarkdown(d, { limit: SUMMARY_LIMIT, ...(settings?.runUrl ? { moreAt: settings.runUrl } : {}) });
  await runner.summary(markdown).catch((e) => runner.warning(`could not write the job summary: ${messageOf(e)}`));

  const { target } = outcome;
  if (settings && target) {
    const client = clientFor(settings, runner, "write");
    const pull = target.kind === "push" ? undefined : target.pull;
    if (settings.comment !== "never" && pull !== undefined && target.kind !== "merge_group") {
      const r = await upsertComment(client, settings.repository, pull, d, {
        moreAt: settings.runUrl,
        author: settings.commentAuthor,
        onlyWhenBlocked: settings.comment === "on-failure",
      });
      (r.ok ? runner.info : runner.warning)(r.detail);
    }
    if (settings.checkRun && target.kind !== "push") {
      const r = await publishCheckRun(client, settings.repository, target.head, d);
      (r.ok ? runner.info : runner.warning)(r.detail);
    }
  }
  runner.info(`capgate: ${d.decision}${d.tier ? ` (tier ${d.tier})` : ""}`);
  if (d.decision === "block") {
    const unmet = d.requirements.filter((r) => r.status !== "met").map((r) => r.detail);
    const message = `capgate blocked this change (tier ${d.tier}): ${unmet.join("; ")}`;
    if (warnOnly) {
      runner.warning(message);
      return 0;
    }
    runner.error(message, { title: "capgate: blocked" });
    return 1;
  }
  return 0;
}

function recordFile(settings: Settings, d: Decision | null): string {
  if (settings.recordPath) return settings.recordPath;
  const dir = settings.runnerTemp ?? join(settings.workspace, "..");
  return join(dir, "capgate", `decision-${(d?.head ?? "unknown").slice(0, 12)}.json`);
}

/** The audit record: what was compared, with which config, which evidence counted and why. */
function record(settings: Settings, outcome: Outcome & { gathered?: Gathered; target?: Target }) {
  const g = outcome.gathered;
  const d = outcome.decision;
  return {
    capgate: "record/v1",
    event: settings.eventName,
    repository: `${settings.repository.owner}/${settings.repository.repo}`,
    run: settings.runUrl ?? null,
    target: outcome.target ?? null,
    compared: g ? { base: g.input.base.sha, head: g.input.head.sha } : null,
    config: g ? { path: g.input.config.path, source: g.input.config.source, blob: g.configBlob } : null,
    changed_files: g ? g.input.changes.map((c) => ({ path: c.path, old_path: c.oldPath, status: c.status })) : [],
    evidence: g
      ? {
          accepted_commits: g.input.evidence.acceptedCommits,
          checkout: g.input.evidence.checkout,
          result_files: Object.fromEntries(
            Object.entries(g.input.evidence.results).map(([suite, files]) => [
              suite,
              files.map((f) => ({
                path: f.path,
                tracked: f.tracked,
                committed_in_change: f.committedInChange,
                readable: f.content.ok,
              })),
            ]),
          ),
          approvals: g.input.evidence.approvals
            ? {
                author: g.input.evidence.approvals.author,
                reviews: g.input.evidence.approvals.reviews,
                judged_against: g.input.evidence.approvals.approvedHead ?? g.input.head.sha,
                reviewed_commits: g.input.evidence.approvals.reviewedCommits,
                team_errors: g.input.evidence.approvals.teamErrors ?? {},
              }
            : { error: g.input.evidence.approvalsError ?? null },
        }
      : null,
    decision: d ? toJsonReport(d) : { decision: "block", reason: outcome.reason ?? null },
  };
}
