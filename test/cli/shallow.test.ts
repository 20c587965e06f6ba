import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitIn, TestRepo, type Report } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { agent, BASE } from "../scenarios/fixture.js";

/**
 * A shallow clone of a pull request's head, made after the base branch moved on: the merge base is
 * not in it. The CLI finds it as the action does — deepening from origin a bounded number of
 * times — or says which fetch would; it never reports the change against the base's tip.
 */

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** An origin where main moved on after the pull request's branch left it, and a depth-1 clone of both tips. */
function shallowClone(): { origin: TestRepo; clone: string } {
  const origin = new TestRepo();
  repos.push(origin);
  const fork = origin.commit({
    ...BASE,
    "agents/agent7.yaml": agent({ name: "agent7", version: "1.0.0", maxSteps: 1 }),
  });
  origin.git("checkout", "-q", "-b", "feature");
  origin.commit({ "README.md": "# product\nA typo fixed.\n" }, "the pull request");
  origin.git("checkout", "-q", "main");
  // Main moves on: an agent the pull request never touched gains a writing tool.
  origin.commit(
    { "agents/agent7.yaml": agent({ name: "agent7", version: "2.0.0", tools: ["tools/orders.json"], maxSteps: 8 }) },
    "main moves on",
  );
  origin.commit({ "docs/notes.md": "More.\n" }, "and on");
  expect(fork).toMatch(/^[0-9a-f]{40}$/);
  const dir = tempDir("capgate-shallow-");
  const clone = join(dir, "clone");
  gitIn(dir, "clone", "-q", "--depth=1", "--branch", "feature", `file://${origin.dir}`, "clone");
  gitIn(clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main");
  return { origin, clone };
}

function check(repo: TestRepo, clone: string): { code: number; report: Report | null; stderr: string } {
  const r = repo.capgate(["check", "--base", "origin/main", "--head", "HEAD", "--json"], clone);
  let report: Report | null;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    report = null;
  }
  return { code: r.code, report, stderr: r.stderr + r.stdout };
}

/** What actions/checkout leaves of a pull request by default: its merge commit alone, at depth 1. */
function mergeCommitCheckout(): { origin: TestRepo; clone: string; base: string; head: string } {
  const { origin } = shallowClone();
  const base = origin.git("rev-parse", "main").trim();
  const head = origin.git("rev-parse", "feature").trim();
  // GitHub's refs/pull/N/merge: the head merged into the base's tip, main itself left where it was.
  origin.merge("feature");
  origin.git("update-ref", "refs/pull/1/merge", "HEAD");
  origin.git("reset", "-q", "--hard", base);
  const dir = tempDir("capgate-merge-");
  const clone = join(dir, "clone");
  gitIn(dir, "init", "-q", "clone");
  gitIn(clone, "remote", "add", "origin", `file://${origin.dir}`);
  gitIn(clone, "fetch", "-q", "--depth=1", "origin", "+refs/pull/1/merge:refs/remotes/pull/1/merge");
  gitIn(clone, "checkout", "-q", "--detach", "refs/remotes/pull/1/merge");
  return { origin, clone, base, head };
}

describe("check on a shallow clone", () => {
  it("deepens from origin to the merge base and judges only what the pull request changed", () => {
    const { origin, clone } = shallowClone();
    expect(gitIn(clone, "rev-parse", "--is-shallow-repository")).toBe("true");
    const r = check(origin, clone);
    expect(r.report, r.stderr).not.toBeNull();
    expect(r.report!.changes.map((c) => c.path)).toEqual([]);
    expect(r.report!.tier).toBeNull();
  });

  it("without a way to deepen, exits 2 naming the missing merge base and the fetch that would fix it", () => {
    const { origin, clone } = shallowClone();
    gitIn(clone, "remote", "remove", "origin");
    gitIn(clone, "update-ref", "refs/remotes/origin/main", gitIn(clone, "rev-parse", "FETCH_HEAD"));
    const r = check(origin, clone);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /the clone is shallow and holds no merge base of [0-9a-f]{7} and [0-9a-f]{7}: fetch the history that holds it \(git fetch --deepen=1000 origin/,
    );
    expect(r.stderr).toMatch(/"code": "bad_revision"/);
  });

  it("of a pull request's merge commit alone, exits 2 naming the fetch of the commit it lacks", () => {
    const { origin, clone, base, head } = mergeCommitCheckout();
    const r = origin.capgate(["check", "--base", base, "--head", head, "--json"], clone);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toContain(
      `--base ${base}: no such commit in this repository (the clone is shallow: fetch it with git fetch --depth=1 origin ${base}`,
    );
    // The fetch it names is the one that lets the check run: then it deepens to the merge base
    // itself, and judges the pull request's change (a README), not main's agent7 since the fork.
    gitIn(clone, "fetch", "-q", "--depth=1", "origin", base, head);
    const after = origin.capgate(["check", "--base", base, "--head", head, "--json"], clone);
    expect(after.stdout + after.stderr).not.toMatch(/"error"/);
    const report = JSON.parse(after.stdout) as Report;
    expect(report.changes.map((c) => c.path)).toEqual([]);
    expect(report.tier).toBeNull();
  });
});
