import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { GitHubStandin, type Fault } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess } from "../helpers/action.js";
import { shown } from "../helpers/markdown.js";
import { API_TEAMS, pullRequestRepo } from "../scenarios/fixture.js";
import { reportCounts, runsFrom } from "./report.js";

/**
 * The unit every wait is counted in: 1000 ms on GitHub (the benchmark runs it so, about a minute
 * and a half), 20 ms in the suite. Reads may spend 60 units, writes 20, one attempt 15. The budget
 * counts what failed, not the clock, so the same outage costs the same attempts on any machine.
 */
const UNIT_MS = runsFrom("CAPGATE_DOWN_UNIT_MS", 20);
/** A guard against a run that never ends, far past anything the budgets allow; not a measure. */
const GUARD_MS = 200 * UNIT_MS + 120_000;

/**
 * The most attempts a budget allows: each retry waits at least one unit (and an attempt that
 * hangs spends 15 more), a request past the budget is not sent, and each request's last try,
 * which finds no room for another, spends nothing.
 */
const most = (units: number, requests: number) => units + requests;

const api = new GitHubStandin();
let repo: TestRepo;
let base = "";
let head = "";
beforeAll(async () => {
  await api.start();
  repo = new TestRepo();
  ({ base, head } = pullRequestRepo(repo));
});
afterAll(async () => {
  await api.stop();
  repo.dispose();
});

const OUTAGES: { name: string; fault: Fault; perAttempt: number }[] = [
  { name: "every request answers 502", fault: { match: /./, status: 502, times: 1_000_000 }, perAttempt: 0 },
  // The answer would come long after the attempt's time is up, however busy the machine is.
  { name: "every request hangs", fault: { match: /./, delayMs: 200 * UNIT_MS, times: 1_000_000 }, perAttempt: 15 },
];

describe("GitHub down", () => {
  it.each(OUTAGES)(
    "$name: the run ends blocked within its budgets, naming the request and what went wrong",
    async ({ name, fault, perAttempt }) => {
      api.reset(API_TEAMS);
      api.state.faults = [{ ...fault }];
      const run = await runActionProcess({
        workspace: repo.dir,
        event: "pull_request",
        payload: pullRequestPayload("opened", { number: 46, base, head, author: "dave" }),
        api: api.url,
        env: { CAPGATE_RETRY_BASE_MS: String(UNIT_MS), CAPGATE_ATTEMPT_TIMEOUT_MS: String(15 * UNIT_MS) },
        timeoutMs: GUARD_MS,
      });
      const reads = api.requests.filter((r) => r.method === "GET");
      const writes = api.requests.filter((r) => r.method !== "GET");
      const distinct = (rs: typeof reads) => new Set(rs.map((r) => `${r.method} ${r.path}`)).size;
      reportCounts("api-down", {
        outage: name,
        unitMs: UNIT_MS,
        seconds: run.ms / 1000,
        reads: reads.length,
        writes: writes.length,
        decision: run.outputs.decision ?? "",
      });
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(1);
      expect(run.outputs.decision).toBe("block");
      const what = fault.status ? "HTTP 502" : "no answer in time";
      const said = `(${what}.*gave up after \\d+ tr|not sent, the [0-9.]+s budget)`;
      expect(shown(run.summary)).toMatch(new RegExp(`GET /repos/octo-org/agents/pulls/46/reviews: ${said}`));
      expect(run.stdout).toMatch(
        new RegExp(
          `could not write the pull-request comment: GET /repos/octo-org/agents/issues/46/comments: (${what}|not sent)`,
        ),
      );
      // Within its budgets, by what they count: 60 units for reads, 20 for writes (the comment's
      // reads among them), each retry a unit at least and each hanging attempt 15 more.
      expect(reads.length).toBeGreaterThan(0);
      expect(api.requests.length).toBeLessThanOrEqual(
        most(Math.floor((60 + 20) / (1 + perAttempt)), distinct(reads) + distinct(writes)),
      );
      // No budget is overrun, not even by its last attempt: what each gave up after is within it.
      const gaveUp = [...`${run.stdout}\n${run.summary}`.matchAll(/of waiting \(the ([0-9.]+)s budget/g)];
      const waited = [
        ...`${run.stdout}\n${run.summary}`.matchAll(/and ([0-9.]+)s of waiting \(the ([0-9.]+)s budget/g),
      ];
      expect(gaveUp.length).toBeGreaterThan(0);
      for (const [said, spent, budget] of waited) expect(Number(spent), said).toBeLessThanOrEqual(Number(budget));
      // The reviews were tried until the budget said no: the backoff 1, 4, 9, 16, 25 units fits
      // five retries into 60, and a hanging attempt's 15 units leaves room for three.
      const reviewTries = reads.filter((r) => r.path.endsWith("/pulls/46/reviews")).length;
      expect(reviewTries).toBeGreaterThanOrEqual(1);
      expect(reviewTries).toBeLessThanOrEqual(perAttempt ? 4 : 6);
    },
    2 * GUARD_MS,
  );
});
