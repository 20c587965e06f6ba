import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp.js";
import { ACTION_BUNDLE } from "../setup/build-cli.js";
import { GitHubStandin, sample } from "./github-standin.js";
import { TestRepo } from "./repo.js";

/**
 * A GitHub stand-in for one test file: started before its tests, reset to `teams` before each one
 * and stopped after them all; `newRepo` makes a repository that is removed then too.
 */
export function standinForFile(teams: Record<string, string[]>): { api: GitHubStandin; newRepo(): TestRepo } {
  const api = new GitHubStandin();
  const repos: TestRepo[] = [];
  beforeAll(() => api.start());
  afterAll(async () => {
    await api.stop();
    repos.forEach((r) => r.dispose());
  });
  beforeEach(() => api.reset(teams));
  return {
    api,
    newRepo() {
      const repo = new TestRepo();
      repos.push(repo);
      return repo;
    },
  };
}

export interface ActionRun {
  code: number;
  /** Killed after `timeoutMs` without ending. */
  timedOut: boolean;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
}

/** Reads a GITHUB_OUTPUT file (`name<<delimiter` blocks, or `name=value` lines). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delim] = heredoc;
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== delim) value.push(lines[i]!);
      out[name!] = value.join("\n");
    } else if (line.includes("=")) {
      out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
    }
  }
  return out;
}

/**
 * Runs the bundled action as the runner does: a child process with the event payload on disk,
 * INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files to read back.
 */
export async function runActionProcess(opts: {
  workspace: string;
  event: string;
  payload: unknown;
  api: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  node?: string;
  bundle?: string;
  /** Kill the process if it has not ended by then. */
  timeoutMs?: number;
}): Promise<ActionRun> {
  const dir = tempDir("capgate-runner-");
  const eventPath = join(dir, "event.json");
  const outputPath = join(dir, "output.txt");
  const summaryPath = join(dir, "summary.md");
  writeFileSync(eventPath, JSON.stringify(opts.payload));
  writeFileSync(outputPath, "");
  writeFileSync(summaryPath, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: opts.event,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: "octo-org/agents",
    GITHUB_API_URL: opts.api,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_RUN_ID: "4242",
    RUNNER_TEMP: dir,
    INPUT_TOKEN: "ghs_standintoken",
    // Waits shrink to milliseconds; an answer may still take as long as a busy machine needs.
    CAPGATE_RETRY_BASE_MS: "5",
    CAPGATE_ATTEMPT_TIMEOUT_MS: "120000",
    ...Object.fromEntries(Object.entries(opts.inputs ?? {}).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...(opts.env ?? {}),
  };
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(opts.node ?? process.execPath, [opts.bundle ?? ACTION_BUNDLE], { cwd: opts.workspace, env });
    let timedOut = false;
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill("SIGKILL");
        }, opts.timeoutMs)
      : undefined;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? -1,
        timedOut,
        ms: Date.now() - started,
        outputs: parseOutputFile(readFileSync(outputPath, "utf8")),
        summary: readFileSync(summaryPath, "utf8"),
        stdout,
        stderr,
      });
    });
  });
}

type Payload = Record<string, unknown> & { pull_request: Record<string, unknown> };

/** A real pull_request payload from GitHub's examples, pointed at our commits. */
export function pullRequestPayload(
  kind: "opened" | "synchronize" | "review_submitted" | "review_dismissed",
  pr: { number: number; base: string; head: string; author: string },
): Payload {
  const file = {
    opened: "octokit-webhooks__payload-examples__api.github.com__pull_request__opened.payload.json",
    synchronize: "octokit-webhooks__payload-examples__api.github.com__pull_request__synchronize.payload.json",
    review_submitted: "octokit-webhooks__payload-examples__api.github.com__pull_request_review__submitted.payload.json",
    review_dismissed: "octokit-webhooks__payload-examples__api.github.com__pull_request_review__dismissed.payload.json",
  }[kind];
  const p = sample<Payload>(file);
  const pull = p.pull_request as Record<string, Record<string, unknown>>;
  return {
    ...p,
    pull_request: {
      ...p.pull_request,
      number: pr.number,
      user: { ...pull.user, login: pr.author },
      base: { ...pull.base, sha: pr.base },
      head: { ...pull.head, sha: pr.head },
    },
  };
}
