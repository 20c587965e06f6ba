import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { GitHubStandin, review } from "../helpers/github-standin.js";
import { pullRequestPayload } from "../helpers/action.js";
import { API_TEAMS, pullRequestRepo } from "../scenarios/fixture.js";

/** GitHub's own local runner for actions, on the Node it is made for (the `node@24` dev dependency). */
const ROOT = join(import.meta.dirname, "..", "..");
const LOCAL_ACTION = join(ROOT, "node_modules", ".bin", "local-action");
const NODE24_BIN = join(ROOT, "node_modules", "node", "bin");

const api = new GitHubStandin();
const repo = new TestRepo();
const dir = mkdtempSync(join(tmpdir(), "capgate-local-action-"));
beforeAll(async () => {
  await api.start();
  api.reset(API_TEAMS);
});
afterAll(async () => {
  await api.stop();
  repo.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `local-action run . src/action/main.ts <env file>`; returns its output and exit code. */
function localAction(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const file = join(dir, ".env");
  writeFileSync(
    file,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n") + "\n",
  );
  return new Promise((resolve, reject) => {
    const child = spawn(LOCAL_ACTION, ["run", ROOT, "src/action/main.ts", file], {
      cwd: ROOT,
      env: { ...process.env, PATH: `${NODE24_BIN}:${process.env.PATH}`, FORCE_COLOR: "0" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, out }));
  });
}

/** The rows of local-action's "Action Outputs" table. */
function outputsOf(out: string): Record<string, string> {
  const table = out.slice(out.indexOf("Action Outputs"));
  const rows: Record<string, string> = {};
  for (const m of table.matchAll(/│\s*\d+\s*│\s*'([^']+)'\s*│\s*'(.*?)'\s*│/g)) rows[m[1]!] = m[2]!;
  return rows;
}

describe("the action under @github/local-action", () => {
  it("runs the exported run() of its main module, against the API stand-in, and sets its outputs", async () => {
    const { base, head } = pullRequestRepo(repo);
    api.state.reviews[7] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const event = join(dir, "event.json");
    writeFileSync(event, JSON.stringify(pullRequestPayload("opened", { number: 7, base, head, author: "dave" })));
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "");
    const run = await localAction({
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_REPOSITORY: "octo-org/agents",
      GITHUB_API_URL: api.url,
      GITHUB_STEP_SUMMARY: summary,
      RUNNER_TEMP: dir,
      INPUT_TOKEN: "ghs_standintoken",
      CAPGATE_RETRY_BASE_MS: "5",
      CAPGATE_ATTEMPT_TIMEOUT_MS: "120000",
    });
    expect(run.out).toMatch(/Running Action/);
    const outputs = outputsOf(run.out);
    expect(outputs).toMatchObject({ decision: "pass", tier: "write" });
    expect(JSON.parse(readFileSync(outputs.report!, "utf8")).report.decision).toBe("pass");
    expect(readFileSync(summary, "utf8")).toMatch(/capgate: pass/);
    expect(api.state.checkRuns).toEqual([expect.objectContaining({ name: "capgate", conclusion: "success" })]);
    expect(run.code).toBe(0);
  }, 120_000);
});
