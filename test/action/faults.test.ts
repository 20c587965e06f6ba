import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { GitHubStandin, review, type Fault } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess } from "../helpers/action.js";
import { API_TEAMS, pullRequestRepo } from "../scenarios/fixture.js";

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

/** A small deterministic PRNG, so a failing draw can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const ENDPOINTS = [/GET \/repos\/.*\/reviews/, /GET \/orgs\/.*\/members/, /\/comments/, /\/check-runs/];
function randomFaults(next: () => number): Fault[] {
  const faults: Fault[] = [];
  for (const match of ENDPOINTS) {
    const r = next();
    const times = 1 + Math.floor(next() * 8);
    if (r < 0.2) faults.push({ match, status: 500 + Math.floor(next() * 4), times });
    else if (r < 0.35) {
      faults.push({
        match,
        status: next() < 0.5 ? 403 : 429,
        headers: { "retry-after": "0" },
        body: JSON.stringify({ message: "You have exceeded a secondary rate limit." }),
        times,
      });
    } else if (r < 0.45) faults.push({ match, status: 200, body: "[{", times });
    else if (r < 0.55) faults.push({ match, delayMs: 200, times });
    else if (r < 0.6) faults.push({ match, status: 404, times });
  }
  return faults;
}

describe("faults injected at random never turn a block into a pass", () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(seeds)("seed %i: one safety approval short stays blocked", async (seed) => {
    const next = rng(seed);
    api.state.reviews[1] = [review("alice", "APPROVED", head)]; // safety's approval is missing
    api.state.teams = API_TEAMS;
    api.state.faults = randomFaults(next);
    const run = await runActionProcess({
      workspace: repo.dir,
      event: "pull_request",
      payload: pullRequestPayload("opened", { number: 1, base, head, author: "dave" }),
      api: api.url,
    });
    expect(run.outputs.decision).toBe("block");
    expect(run.code).toBe(1);
  });

  it.each(seeds)(
    "seed %i: a change with full evidence either passes or blocks with a reason, never crashes",
    async (seed) => {
      const next = rng(seed * 7919);
      api.state.reviews[2] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
      api.state.faults = randomFaults(next);
      const run = await runActionProcess({
        workspace: repo.dir,
        event: "pull_request",
        payload: pullRequestPayload("opened", { number: 2, base, head, author: "dave" }),
        api: api.url,
      });
      expect(["pass", "block"]).toContain(run.outputs.decision);
      expect(run.code).toBe(run.outputs.decision === "pass" ? 0 : 1);
      if (run.outputs.decision === "block") expect(run.summary.length).toBeGreaterThan(40);
      expect(run.stderr).not.toMatch(/TypeError|ReferenceError|Unhandled/);
    },
  );
});
