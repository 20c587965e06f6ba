import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { GitHubStandin, review, type Fault } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess, type ActionRun } from "../helpers/action.js";
import { API_TEAMS, pullRequestRepo } from "../scenarios/fixture.js";
import { reportCounts, runsFrom } from "./report.js";

/** Runs of the bundled action with faults injected: 300 or more in the benchmark, a sample here. */
const RUNS = runsFrom("CAPGATE_FAULT_RUNS", 12);
const SEED = runsFrom("CAPGATE_FAULT_SEED", 7);
/** Two workers, each with its own repository and API stand-in, as the machine has two cores. */
const WORKERS = 2;
/** A run that has not ended by then is a hang (the read and write budgets end far sooner). */
const HANG_MS = 60_000;

/** A small deterministic PRNG, so a failing draw can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const ENDPOINTS = [/GET \/repos\/.*\/reviews/, /GET \/orgs\/.*\/members/, /\/comments/, /\/check-runs/];

/** 5xx, rate limits with retry-after, truncated and dropped answers, slow answers, and 404s. */
function randomFaults(next: () => number): Fault[] {
  const faults: Fault[] = [];
  for (const match of ENDPOINTS) {
    const r = next();
    const times = 1 + Math.floor(next() * 8);
    if (r < 0.15) faults.push({ match, status: 500 + Math.floor(next() * 4), times });
    else if (r < 0.25)
      faults.push({
        match,
        status: 429,
        headers: { "retry-after": String(Math.floor(next() * 3)) },
        body: JSON.stringify({ message: "API rate limit exceeded" }),
        times,
      });
    else if (r < 0.35)
      faults.push({
        match,
        status: 403,
        headers: { "retry-after": String(Math.floor(next() * 3)) },
        body: JSON.stringify({ message: "You have exceeded a secondary rate limit." }),
        times,
      });
    else if (r < 0.45) faults.push({ match, status: 200, body: '[{"id": 1, "user": {"login": "carol"', times });
    else if (r < 0.55) faults.push({ match, drop: true, times });
    else if (r < 0.65) faults.push({ match, delayMs: 50 + Math.floor(next() * 250), times });
    else if (r < 0.7) faults.push({ match, status: 404, times });
  }
  return faults;
}

interface Case {
  name: string;
  reviews(head: string): unknown[];
}

/** Pull requests whose fault-free decision is known: faults may only turn a pass into a block. */
const CASES: Case[] = [
  { name: "one safety approval short", reviews: (h) => [review("alice", "APPROVED", h)] },
  { name: "full evidence", reviews: (h) => [review("alice", "APPROVED", h), review("carol", "APPROVED", h)] },
  {
    name: "safety requested changes",
    reviews: (h) => [
      review("alice", "APPROVED", h),
      review("carol", "APPROVED", h),
      review("erin", "CHANGES_REQUESTED", h),
    ],
  },
];

interface Worker {
  api: GitHubStandin;
  repo: TestRepo;
  base: string;
  head: string;
}

const workers: Worker[] = [];
beforeAll(async () => {
  for (let i = 0; i < WORKERS; i++) {
    const api = new GitHubStandin();
    await api.start();
    const repo = new TestRepo();
    workers.push({ api, repo, ...pullRequestRepo(repo) });
  }
});
afterAll(async () => {
  for (const w of workers) {
    await w.api.stop();
    w.repo.dispose();
  }
});

async function runOnce(w: Worker, c: Case, pull: number, faults: Fault[]): Promise<ActionRun> {
  w.api.reset(API_TEAMS);
  w.api.state.reviews[pull] = c.reviews(w.head);
  w.api.state.faults = faults;
  return runActionProcess({
    workspace: w.repo.dir,
    event: "pull_request",
    payload: pullRequestPayload("opened", { number: pull, base: w.base, head: w.head, author: "dave" }),
    api: w.api.url,
    timeoutMs: HANG_MS,
  });
}

const crashed = (run: ActionRun) =>
  !run.timedOut &&
  (![0, 1].includes(run.code) ||
    !["pass", "block"].includes(run.outputs.decision ?? "") ||
    run.code !== (run.outputs.decision === "pass" ? 0 : 1) ||
    /TypeError|ReferenceError|RangeError|Unhandled|^\s+at /m.test(run.stderr) ||
    (run.outputs.decision === "block" && run.summary.length < 40));

describe("faults injected at random never turn a block into a pass", () => {
  it(
    `${RUNS} seeded runs: no crash, no hang, no pass the fault-free run would not give`,
    async () => {
      const expected = new Map<string, string>();
      for (const [i, c] of CASES.entries()) {
        const clean = await runOnce(workers[0]!, c, 1000 + i, []);
        expected.set(c.name, clean.outputs.decision ?? "none");
      }
      expect([...expected.values()]).toEqual(["block", "pass", "block"]);

      const counts = { runs: 0, crashes: 0, hangs: 0, falsePasses: 0, passes: 0, blocks: 0, slowestMs: 0 };
      const failures: string[] = [];
      const next = rng(SEED);
      const draws = Array.from({ length: RUNS }, (_, i) => ({
        i,
        c: CASES[i % CASES.length]!,
        faults: randomFaults(next),
      }));
      await Promise.all(
        workers.map(async (w, k) => {
          for (const d of draws.filter((x) => x.i % WORKERS === k)) {
            const run = await runOnce(w, d.c, 1 + d.i, d.faults);
            counts.runs++;
            counts.slowestMs = Math.max(counts.slowestMs, run.ms);
            const why = `run ${d.i} (${d.c.name}, seed ${SEED})`;
            if (run.timedOut) {
              counts.hangs++;
              failures.push(`${why}: no end in ${HANG_MS} ms`);
            } else if (crashed(run)) {
              counts.crashes++;
              failures.push(`${why}: exit ${run.code}, decision ${run.outputs.decision}, ${run.stderr.slice(0, 300)}`);
            } else if (run.outputs.decision === "pass") {
              counts.passes++;
              if (expected.get(d.c.name) !== "pass") {
                counts.falsePasses++;
                failures.push(`${why}: passed, though the fault-free run blocks`);
              }
            } else counts.blocks++;
          }
        }),
      );
      reportCounts("faults", counts);
      expect(failures.slice(0, 5)).toEqual([]);
      expect(counts).toMatchObject({ runs: RUNS, crashes: 0, hangs: 0, falsePasses: 0 });
    },
    60_000 + RUNS * 5_000,
  );
});
