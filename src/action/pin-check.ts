import { readFileSync } from "node:fs";
import { LOCK_PATH } from "../artifact/lock.js";
import { messageOf } from "../common/errors.js";
import { runPinCheck, type PinCheckResult } from "../pin/pin.js";
import { inert } from "../report/inert.js";
import type { Settings } from "./inputs.js";
import type { Runner } from "./run.js";

/** Events whose checkout is a pull request's code: starting its servers would run the author's code. */
const UNTRUSTED_EVENTS = new Set([
  "pull_request",
  "pull_request_target",
  "pull_request_review",
  "pull_request_review_comment",
  "merge_group",
  "issue_comment",
]);

/**
 * `mode: pin-check`: lists the repository's live MCP servers again and fails the step on any
 * difference from `capgate.lock` (a tool added or removed, a description, schema or annotation
 * changed) or on a server that cannot be listed, saying it in the job summary. It starts the
 * servers, so it runs only on the trusted branch: on a schedule, by hand, or on a push to the
 * default branch — never on a pull request's code.
 */
export async function pinCheckAction(settings: Settings, runner: Runner): Promise<number> {
  const refused = untrusted(settings);
  if (refused) {
    runner.error(refused, { title: "capgate: pin-check refused" });
    await runner.summary(`❌ **capgate pin-check refused** — ${inert(refused, 2000)}\n`).catch(() => undefined);
    runner.setOutput("decision", "block");
    return 1;
  }
  let result: PinCheckResult;
  try {
    result = await runPinCheck({ cwd: settings.workspace, timeoutMs: settings.pinTimeoutMs, env: runner.env });
  } catch (e) {
    const reason = messageOf(e);
    runner.error(`capgate pin-check: ${reason}`, { title: "capgate: pin-check failed" });
    await runner.summary(`❌ **capgate pin-check failed** — ${inert(reason, 2000)}\n`).catch(() => undefined);
    runner.setOutput("decision", "block");
    return 1;
  }
  const ok = result.drift.length === 0 && result.failures.length === 0;
  runner.setOutput("decision", ok ? "pass" : "block");
  await runner
    .summary(summaryOf(result, ok))
    .catch((e) => runner.warning(`could not write the job summary: ${messageOf(e)}`));
  for (const d of result.drift)
    runner.error(`MCP server ${d.name} (${d.config}) ${d.said}`, { file: d.config, title: "capgate: server drift" });
  for (const f of result.failures)
    runner.error(`MCP server ${f.name} (${f.config}) could not be listed: ${f.reason}`, {
      file: f.config,
      title: "capgate: server not listed",
    });
  runner.info(`capgate pin-check: ${ok ? "every server matches the lock" : "the servers differ from the lock"}`);
  return ok ? 0 : 1;
}

function untrusted(settings: Settings): string | null {
  const why = "mode: pin-check starts the repository's MCP servers, so it runs on the trusted branch only";
  if (UNTRUSTED_EVENTS.has(settings.eventName))
    return `${why} (on: schedule, workflow_dispatch, or push to the default branch), never on ${settings.eventName}: that would run a pull request's code`;
  if (settings.eventName !== "push") return null;
  let payload: { ref?: unknown; repository?: { default_branch?: unknown } };
  try {
    payload = JSON.parse(readFileSync(settings.eventPath, "utf8")) as typeof payload;
  } catch (e) {
    return `cannot read the event payload ${settings.eventPath}: ${messageOf(e)}`;
  }
  const branch = payload.repository?.default_branch;
  if (typeof branch !== "string" || payload.ref !== `refs/heads/${branch}`)
    return `${why}: this push is to ${String(payload.ref)}, not the default branch`;
  return null;
}

function summaryOf(r: PinCheckResult, ok: boolean): string {
  const lines = [
    ok
      ? `✅ **capgate pin-check** — every MCP server matches \`${LOCK_PATH}\` (${r.matched})`
      : `❌ **capgate pin-check** — the live MCP servers differ from \`${LOCK_PATH}\``,
    "",
  ];
  if (r.drift.length) {
    lines.push("| server | config | difference |", "| --- | --- | --- |");
    for (const d of r.drift) lines.push(`| ${inert(d.name, 200)} | ${inert(d.config, 200)} | ${inert(d.said, 400)} |`);
    lines.push(
      "",
      `Review what changed — a new tool, a lost \`readOnlyHint\`, a rewritten description — then run \`capgate pin\` and commit \`${LOCK_PATH}\` in a pull request: the gate judges it there.`,
      "",
    );
  }
  for (const f of r.failures) {
    lines.push(`- **${inert(f.name, 200)}** (${inert(f.config, 200)}) could not be listed: ${inert(f.reason, 400)}`);
    if (f.stderr) lines.push(`  - its last output: ${inert(f.stderr.split("\n").slice(-3).join(" / "), 400)}`);
  }
  for (const n of r.notes) lines.push(`- note: ${inert(n, 400)}`);
  return `${lines.join("\n")}\n`;
}
