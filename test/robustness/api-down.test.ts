import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { GitHubStandin, type Fault } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess } from "../helpers/action.js";
import { shown } from "../helpers/markdown.js";
import { API_TEAMS, pullRequestRepo } from "../scenarios/fixture.js";
import { reportCounts, runsFrom } from "./report.js";

/**
 * The unit every wait is counted in: 1000 ms on GitHub (the benchmark runs it so, about a minute
 * and a half), 20 ms in the suite. Reads may spend 60 units, writes 20, one attempt 15.
 */
const UNIT_MS = runsFrom("CAPGATE_DOWN_UNIT_MS", 20);
/** The whole run must end within 90 units, git's own work aside. */
const LIMIT_MS = 90 * UNIT_MS + 3000;

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

const OUTAGES: { name: string; fault: Fault }[] = [
  { name: "every request answers 502", fault: { match: /./, status: 502, times: 1_000_000 } },
  { name: "every request hangs", fault: { match: /./, delayMs: 200 * UNIT_MS, times: 1_000_000 } },
];

describe("GitHub down", () => {
  it.each(OUTAGES)(
    "$name: the run ends blocked within its budgets, naming the request and what went wrong",
    async ({ name, fault }) => {
      api.reset(API_TEAMS);
      api.state.faults = [{ ...fault }];
      const run = await runActionProcess({
        workspace: repo.dir,
        event: "pull_request",
        payload: pullRequestPayload("opened", { number: 46, base, head, author: "dave" }),
        api: api.url,
        env: { CAPGATE_RETRY_BASE_MS: String(UNIT_MS) },
        timeoutMs: 2 * LIMIT_MS,
      });
      reportCounts("api-down", {
        outage: name,
        unitMs: UNIT_MS,
        seconds: run.ms / 1000,
        decision: run.outputs.decision ?? "",
      });
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(1);
      expect(run.outputs.decision).toBe("block");
      const what = fault.status ? "HTTP 502" : "no answer in time";
      // On a loaded machine the budget may be spent before a request is sent: that is said too.
      const said = `(${what}.*gave up after \\d+ tr|not sent, the [0-9.]+s budget)`;
      expect(shown(run.summary)).toMatch(new RegExp(`GET /repos/octo-org/agents/pulls/46/reviews: ${said}`));
      expect(run.stdout).toMatch(
        new RegExp(
          `could not write the pull-request comment: GET /repos/octo-org/agents/issues/46/comments: (${what}|not sent)`,
        ),
      );
      expect(run.ms).toBeLessThan(LIMIT_MS);
    },
    4 * LIMIT_MS,
  );
});
