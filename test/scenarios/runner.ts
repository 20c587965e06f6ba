import { afterAll, expect } from "vitest";
import { createHash } from "node:crypto";
import { appendFileSync, rmSync, symlinkSync } from "node:fs";
import { replayRecord } from "../../src/cli/record.js";
import { jsonText, toJsonReport } from "../../src/report/json.js";
import { fixtureBytes } from "../helpers/fixtures.js";
import { TestRepo, unmetKinds, withReport, type FileSpec, type Files, type Report } from "../helpers/repo.js";
import { main } from "../../src/cli/main.js";
import { BASE, results, TEAMS, writeResults, type SuiteResult } from "./fixture.js";

/**
 * The end-to-end scenarios' runner: a scenario is a small description of base and head files,
 * results, reviews and what is expected; each is built as a real git repository and checked by the
 * CLI's entry point (`main`, with the arguments a user types and the repository as its folder),
 * its decision record replayed. The entry runs in this process: the CLI as a process — arguments,
 * exit codes, output streams, the bundle — is what test/cli tests, and a process per scenario
 * would cost each one Node's start and the bundle's load again.
 */

export type ReviewSpec = { user: string; state?: string; at?: "head" | number | null; bot?: boolean };

/**
 * A result file by what it is; the scenario makes its bytes once the commits exist. A plain string
 * or Buffer is written as it is.
 */
export type MadeResult =
  | { made: "results"; suite: string; boundTo: "base" | null }
  | { made: "digests"; suite: string; of: string[]; content: "head" | "base" }
  | { made: "sample"; file: string; rebindToHead: boolean };
export type ScenarioFiles = Record<string, FileSpec | MadeResult>;

/** A results file for `suite` with 25 passing cases, carrying no commit or the base's. */
export function resultFile(suite: string, opts: { boundTo?: "base" } = {}): MadeResult {
  return { made: "results", suite, boundTo: opts.boundTo ?? null };
}
/** A results file for `suite` carrying only digests of the named files' head (or base) content. */
export function digestsOf(suite: string, of: string[], opts: { content?: "base" } = {}): MadeResult {
  return { made: "digests", suite, of, content: opts.content ?? "head" };
}
/** A real sample file, byte for byte; `rebindToHead` rewrites an Inspect log's commit to the head. */
export function sampleFile(file: string, opts: { rebindToHead?: boolean } = {}): MadeResult {
  return { made: "sample", file, rebindToHead: opts.rebindToHead === true };
}
const isMade = (v: unknown): v is MadeResult => typeof v === "object" && v !== null && "made" in v;

export interface Scenario {
  name: string;
  base?: ScenarioFiles;
  /** Commits on the pull request before its head, in order. */
  steps?: ScenarioFiles[];
  head: ScenarioFiles;
  /** Result files produced at the head checkout, each suite's with these cases. */
  results?: Record<string, SuiteResult>;
  /** Further files written into the workspace (or the outside results folder), left untracked. */
  untracked?: Record<string, string | MadeResult>;
  reviews?: ReviewSpec[];
  author?: string;
  teams?: Record<string, string[]>;
  checkoutBase?: boolean;
  /** Files edited in the workspace after the head is committed, left uncommitted. */
  dirty?: Files;
  /** Check out a merge of the head into the base (as refs/pull/N/merge), or into another commit. */
  checkoutMerge?: "base" | "other";
  /** Pass --results as a symbolic link to the repository's own folder. */
  resultsViaLink?: boolean;
  /** Write the untracked result files into a folder outside the repository and pass it as --results. */
  resultsOutside?: boolean;
  expect: {
    decision: "pass" | "block";
    tier: string | null;
    escalations?: string[];
    unmet?: string[];
    statuses?: Record<string, string>;
    reason?: RegExp;
    detail?: Record<string, RegExp>;
    /** Changed paths: the agents each reaches (sorted), the tiers it touches, and what its reason says. */
    changes?: Record<string, { agents?: string[]; touches?: string[]; why?: RegExp }>;
    /** Changed paths that must not be gated (the runtime does not load them). */
    ungated?: string[];
  };
}

export function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

const repos: TestRepo[] = [];
const folders: string[] = [];
afterAll(() => {
  repos.forEach((r) => r.dispose());
  folders.forEach((f) => rmSync(f, { recursive: true, force: true }));
});

/** Builds the scenario as a real repository and runs `capgate check --json` on it. */
export async function run(s: Scenario): Promise<{
  code: number;
  report: Report;
  stdout: string;
  stderr: string;
  replayed: { code: number; stdout: string };
}> {
  const repo = new TestRepo();
  repos.push(repo);
  // What a made file's bytes are: digests of the head content (or the base's, stale once head changes it).
  const contentOf = (path: string, at: "head" | "base") =>
    (at === "head" && typeof s.head[path] === "string" ? s.head[path] : BASE[path]) as string;
  const make = (m: MadeResult, commits: { base?: string; head?: string }): string | Buffer => {
    if (m.made === "results") return results(m.suite, {}, m.boundTo === "base" ? commits.base : undefined);
    if (m.made === "digests") {
      const digests = Object.fromEntries(m.of.map((p) => [p, sha256(contentOf(p, m.content))]));
      return results(m.suite, { digests }, undefined);
    }
    const bytes = fixtureBytes(m.file);
    if (!m.rebindToHead) return bytes;
    return Buffer.from(
      bytes.toString("utf8").replace(/"commit": "02526f4c"/, `"commit": "${commits.head!.slice(0, 8)}"`),
    );
  };
  const expand = (files: ScenarioFiles): Files =>
    Object.fromEntries(Object.entries(files).map(([p, v]) => [p, isMade(v) ? make(v, {}) : v]));
  // The history in one fast-import, and the pull request's head checked out.
  const shas = repo.importCommits([
    { branch: "main", files: { ...BASE, ...expand(s.base ?? {}) }, message: "base" },
    ...(s.steps ?? []).map((files, i) => ({ branch: "pr", from: "main", files: expand(files), message: `step ${i}` })),
    { branch: "pr", from: "main", files: expand(s.head), message: "head" },
  ]);
  const [base, head] = [shas[0]!, shas.at(-1)!];
  const steps = shas.slice(1, -1);
  repo.git("checkout", "-q", "-f", "pr");
  if (s.checkoutBase) repo.checkout(base);
  if (s.checkoutMerge) {
    repo.checkout(base);
    if (s.checkoutMerge === "other") repo.commit({ "docs/other.md": "Another line of work.\n" }, "other");
    repo.merge(head);
  }
  const raw: Record<string, string | Buffer> = {};
  for (const [suite, r] of Object.entries(s.results ?? {})) raw[`eval-results/${suite}.json`] = results(suite, r, head);
  for (const [p, v] of Object.entries(s.untracked ?? {})) raw[p] = isMade(v) ? make(v, { base, head }) : v;
  if (s.dirty) repo.write(s.dirty);
  let resultsDir: string | undefined;
  if (s.resultsOutside) {
    resultsDir = `${repo.dir}-results`;
    folders.push(resultsDir);
    writeResults({ dir: resultsDir }, raw);
  } else writeResults(repo, raw);
  if (s.resultsViaLink) {
    resultsDir = `${repo.dir}-link`;
    symlinkSync(repo.dir, resultsDir);
    folders.push(resultsDir);
  }
  const commitOf = (at: ReviewSpec["at"]) =>
    at === null ? null : at === undefined || at === "head" ? head : steps[at]!;
  const approvals = {
    author: s.author ?? "dave",
    reviews: (s.reviews ?? []).map((r) => ({
      user: r.bot ? { login: r.user, type: "Bot" } : r.user,
      state: r.state ?? "APPROVED",
      commit_id: commitOf(r.at),
    })),
    teams: s.teams ?? TEAMS,
  };
  // Every decision is recorded, and decided again from its record alone.
  const record = `${repo.dir}-record.json`;
  folders.push(record);
  const extra = ["--record", record];
  const args = repo.checkArgs(
    base,
    head,
    resultsDir ? { approvals, results: resultsDir, extra } : { approvals, extra },
  );
  const checked = withReport(await capgateHere(repo.dir, args));
  // SCENARIO_REPORTS=FILE keeps each scenario's report, to read while writing one.
  if (process.env.SCENARIO_REPORTS)
    appendFileSync(process.env.SCENARIO_REPORTS, `=== ${s.name}\n${checked.stdout}${checked.stderr}\n`);
  return { ...checked, replayed: replayInProcess(record) };
}

/** The CLI's entry point run in this process, in `cwd`, as `capgate ARGS` would run it there. */
async function capgateHere(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    cwd,
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    outIsTTY: false,
    env: process.env,
  });
  return { code, stdout, stderr };
}

/** Runs a scenario and checks what the product contract says of it. */
export async function checkScenario(s: Scenario): Promise<void> {
  const { code, report, stdout, stderr, replayed } = await run(s);
  expect(stderr).toBe("");
  // The record replays to the same report, byte for byte, with the same exit code.
  expect(replayed.stdout).toBe(stdout);
  expect(replayed.code).toBe(code);
  expect(report, "a JSON report").toBeDefined();
  const explain = JSON.stringify(
    report.requirements.filter((r) => r.status !== "met"),
    null,
    1,
  );
  expect(report.decision, explain).toBe(s.expect.decision);
  expect(code).toBe(s.expect.decision === "pass" ? 0 : 1);
  expect(report.tier).toBe(s.expect.tier);
  if (s.expect.escalations) {
    expect(report.escalations.map((e) => `${e.agent}:${e.from}>${e.to}`).sort()).toEqual(
      [...s.expect.escalations].sort(),
    );
  }
  if (s.expect.unmet) expect(unmetKinds(report), explain).toEqual([...s.expect.unmet].sort());
  for (const [id, status] of Object.entries(s.expect.statuses ?? {})) {
    expect(report.requirements.find((r) => r.id === id)?.status, id).toBe(status);
  }
  for (const [id, re] of Object.entries(s.expect.detail ?? {})) {
    const r = report.requirements.find((x) => x.id === id);
    expect(r?.detail, `${id} in ${JSON.stringify(report.requirements.map((x) => x.id))}`).toMatch(re);
  }
  if (s.expect.reason) expect(report.escalations.map((e) => e.reason).join("\n")).toMatch(s.expect.reason);
  for (const [path, want] of Object.entries(s.expect.changes ?? {})) {
    const c = report.changes.find((x) => x.path === path);
    expect(c, `${path} in ${JSON.stringify(report.changes.map((x) => x.path))}`).toBeDefined();
    if (want.agents) expect([...c!.agents].sort(), path).toEqual([...want.agents].sort());
    if (want.touches) expect(c!.touches, path).toEqual(want.touches);
    if (want.why) expect(c!.why, path).toMatch(want.why);
  }
  for (const path of s.expect.ungated ?? [])
    expect(
      report.changes.map((c) => c.path),
      `${path} is not gated`,
    ).not.toContain(path);
  if (report.decision === "block") {
    for (const r of report.requirements.filter((x) => x.status !== "met")) expect(r.detail.length).toBeGreaterThan(10);
  }
}

/**
 * The record decided again by the code `capgate replay` runs (test/cli/replay.test.ts runs the
 * command itself): the JSON report it prints, and its exit code.
 */
function replayInProcess(record: string): { code: number; stdout: string } {
  const decision = replayRecord(record);
  return { code: decision.decision === "pass" ? 0 : 1, stdout: jsonText(toJsonReport(decision)) };
}
