import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { messageOf } from "../common/errors.js";
import type { Decision } from "../decision/decide.js";
import type { Gathered } from "../gather/check.js";
import type { GitHubClient } from "../github/client.js";
import { labelsFor, syncLabels } from "../github/labels.js";
import { publishCheckRun, upsertComment } from "../github/publish.js";
import { inert } from "../report/inert.js";
import { sarifOf } from "../gather/sarif.js";
import { VERSION } from "../cli/version.js";
import { toMarkdown } from "../report/markdown.js";
import { jsonText } from "../report/json.js";
import { toRecord, unreadRecord } from "../report/record.js";
import type { GateTarget } from "./event.js";
import type { Settings } from "./inputs.js";
import type { Runner } from "./run.js";

/** GitHub's cap on one step's job summary. */
const SUMMARY_LIMIT = 1024 * 1024 - 1024;

/** What running the action came to: a decision, or the reason nothing could be decided. */
export interface Outcome {
  decision: Decision | null;
  reason?: string;
  gathered?: Gathered;
  target?: GateTarget;
}

/**
 * Reports the outcome everywhere it goes — outputs, the decision record, annotations, the job
 * summary, the comment and the check run — and returns the step's exit code. Failing to write
 * never changes the decision.
 */
export async function report(
  settings: Settings | null,
  outcome: Outcome,
  runner: Runner,
  writer: () => GitHubClient,
): Promise<number> {
  const d = outcome.decision;
  const warnOnly = settings?.mode === "warn";
  runner.setOutput("decision", d === null || d.decision === "block" ? "block" : "pass");
  runner.setOutput("tier", d?.tier ?? "");
  runner.setOutput("escalations", JSON.stringify(d?.escalations ?? []));
  if (settings) writeRecordFile(settings, outcome, runner);
  if (settings && d && outcome.gathered) await writeSarifFile(settings, d, outcome.gathered, runner);
  if (d === null) {
    const reason = outcome.reason ?? "unknown failure";
    runner.error(`capgate blocked: ${reason}`, { title: "capgate: blocked" });
    await runner
      .summary(`❌ **capgate: blocked** — nothing could be decided\n\n${inert(reason, 4000)}\n`)
      .catch(() => undefined);
    return warnOnly ? 0 : 1;
  }
  annotate(d, runner);
  const markdown = toMarkdown(d, { limit: SUMMARY_LIMIT, ...(settings?.runUrl ? { moreAt: settings.runUrl } : {}) });
  await runner.summary(markdown).catch((e) => runner.warning(`could not write the job summary: ${messageOf(e)}`));
  if (settings && outcome.target) await publish(settings, outcome.target, d, runner, writer(), writer);
  runner.info(`capgate: ${d.decision}${d.tier ? ` (tier ${d.tier})` : ""}`);
  if (d.decision === "pass") return 0;
  const unmet = d.requirements.filter((r) => r.status !== "met").map((r) => r.detail);
  const message = `capgate blocked this change (tier ${d.tier}): ${[...new Set(unmet)].join("; ")}`;
  if (warnOnly) {
    runner.warning(message);
    return 0;
  }
  runner.error(message, { title: "capgate: blocked" });
  return 1;
}

function annotate(d: Decision, runner: Runner): void {
  for (const r of d.requirements) {
    if (r.kind !== "artifact" || r.status !== "failed") continue;
    runner.error(r.detail, {
      ...(r.path ? { file: r.path } : {}),
      ...(r.line ? { startLine: r.line } : {}),
      title: "capgate: unreadable artifact",
    });
  }
  for (const e of d.escalations)
    runner.warning(e.reason, { file: e.path, title: `capgate: ${e.from ?? "new"} → ${e.to}` });
}

async function publish(
  settings: Settings,
  target: GateTarget,
  d: Decision,
  runner: Runner,
  client: GitHubClient,
  labeler: () => GitHubClient,
) {
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
  if (settings.labels && target.kind === "pull_request") {
    // Labels are a write of their own, with a budget of their own.
    const r = await syncLabels(labeler(), settings.repository, target.pull, labelsFor(d));
    (r.ok ? runner.info : runner.warning)(r.detail);
  }
}

/** The decision as SARIF 2.1.0, for github/codeql-action/upload-sarif: its path is the `sarif` output. */
async function writeSarifFile(settings: Settings, d: Decision, g: Gathered, runner: Runner): Promise<void> {
  const path = join(
    settings.runnerTemp ?? join(settings.workspace, ".."),
    "capgate",
    `capgate-${d.head.slice(0, 12)}.sarif`,
  );
  try {
    const log = sarifOf(d, g.input, g.configText, VERSION);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, jsonText(log));
    runner.setOutput("sarif", path);
  } catch (e) {
    runner.warning(`could not write the SARIF file ${path}: ${messageOf(e)}`);
  }
}

/** The decision record, for `capgate replay` and for audit; written wherever the record input says. */
function writeRecordFile(settings: Settings, outcome: Outcome, runner: Runner): void {
  const d = outcome.decision;
  const path =
    settings.recordPath ??
    join(
      settings.runnerTemp ?? join(settings.workspace, ".."),
      "capgate",
      `decision-${(d?.head ?? "unknown").slice(0, 12)}.json`,
    );
  const g = outcome.gathered;
  const context = {
    event: settings.eventName,
    repository: `${settings.repository.owner}/${settings.repository.repo}`,
    run: settings.runUrl ?? null,
    target: outcome.target ?? null,
    config_blob: g?.configBlob ?? null,
  };
  const body = g && d ? toRecord(g.input, d, context) : unreadRecord(context, outcome.reason ?? null);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, jsonText(body));
    runner.setOutput("report", path);
  } catch (e) {
    runner.warning(`could not write the decision record ${path}: ${messageOf(e)}`);
  }
}
