import { readFileSync } from "node:fs";
import { UsageError, messageOf } from "../common/errors.js";
import { runCheck } from "../gather/check.js";
import { openRepository } from "../gather/open.js";
import { createClient, READ_BUDGET_UNITS, WRITE_BUDGET_UNITS, type GitHubClient } from "../github/client.js";
import { readTarget, type GateTarget, type Target } from "./event.js";
import { optionsFor } from "./gate.js";
import { getInputs, type Settings } from "./inputs.js";
import { releaseNotes } from "./release.js";
import { report, type Outcome } from "./report.js";

/** The runner's side of the contract, so the whole action can run against any environment. */
export interface Runner {
  env: NodeJS.ProcessEnv;
  info(message: string): void;
  warning(message: string, props?: { file?: string; startLine?: number; title?: string }): void;
  error(message: string, props?: { file?: string; startLine?: number; title?: string }): void;
  setOutput(name: string, value: string): void;
  summary(markdown: string): Promise<void>;
}

/** Runs the action once; returns the process exit code. Never throws. */
export async function runAction(runner: Runner): Promise<number> {
  let settings: Settings | null = null;
  let outcome: Outcome;
  try {
    settings = getInputs(runner.env);
    // The MCP client is loaded only by the mode that starts servers: a gate's run never pays for it.
    if (settings.mode === "pin-check") return await (await import("./pin-check.js")).pinCheckAction(settings, runner);
    runner.info(
      `capgate: gating the ${settings.eventName} event of ${settings.repository.owner}/${settings.repository.repo}`,
    );
    if (settings.configFile)
      runner.warning(
        `capgate: a trial with ${settings.configFile} from the workspace, not the base's config: this run only reports (mode warn) and publishes no check run`,
      );
    const event = readEvent(settings);
    if (event.kind === "release") {
      const s = settings;
      // Opened inside the release flow, which never fails the release.
      return await releaseNotes(s, event, runner, {
        git: async () => (await openRepository(s.workspace)).git,
        read: clientFor(s, runner, "read"),
        write: () => clientFor(s, runner, "write"),
      });
    }
    outcome = await decideForEvent(settings, event, runner);
  } catch (e) {
    // Any failure to read what the decision needs blocks, with the reason.
    outcome = {
      decision: null,
      reason: e instanceof UsageError || e instanceof Error ? e.message : `unexpected failure: ${messageOf(e)}`,
    };
  }
  try {
    return await report(settings, outcome, runner, () => clientFor(settings!, runner, "write"));
  } catch (e) {
    runner.error(`capgate could not report its decision: ${messageOf(e)}`);
    return 1;
  }
}

function readEvent(settings: Settings): Target {
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(settings.eventPath, "utf8"));
  } catch (e) {
    throw new UsageError(`cannot read the event payload ${settings.eventPath}: ${messageOf(e)}`);
  }
  return readTarget(settings, payload);
}

async function decideForEvent(settings: Settings, target: GateTarget, runner: Runner): Promise<Outcome> {
  const client = clientFor(settings, runner, "read");
  const teams = settings.teamsToken ? clientFor({ ...settings, token: settings.teamsToken }, runner, "read") : client;
  const { git } = await openRepository(settings.workspace);
  const gathered = await runCheck(await optionsFor(target, settings, { git, client, teams, log: runner.info }));
  return { decision: gathered.decision, gathered, target };
}

/** Reads share one budget of about a minute; writes, best effort, a short one of their own. */
function clientFor(settings: Settings, runner: Runner, use: "read" | "write"): GitHubClient {
  return createClient({
    token: settings.token,
    baseUrl: settings.apiUrl,
    retryBaseMs: settings.retryBaseMs,
    ...(settings.attemptTimeoutMs !== undefined ? { attemptTimeoutMs: settings.attemptTimeoutMs } : {}),
    budgetUnits: use === "read" ? READ_BUDGET_UNITS : WRITE_BUDGET_UNITS,
    purpose: use === "read" ? "reading from GitHub" : "writing to GitHub",
    log: runner.info,
  });
}
