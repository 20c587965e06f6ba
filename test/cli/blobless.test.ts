import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitIn, TestRepo } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { agent, BASE, tool, toolFile } from "../scenarios/fixture.js";

/**
 * A blobless clone (`git clone --filter=blob:none`, what `actions/checkout`'s `filter` makes) of
 * a pull request's head: the base's versions of the changed files are not in it. capgate fetches
 * them in one batched request, never one lazy fetch per blob, and reports exactly what a full
 * clone reports. Counted from git's own trace, not timed.
 */

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/**
 * A bare remote of `origin` that serves partial clones, and a clone of it as a runner's checkout
 * is: `branch` checked out, the other of `main` and `pr` fetched beside it.
 */
function served(origin: TestRepo): (name: string, filter: string[], branch?: string) => string {
  const dir = tempDir("capgate-blobless-");
  gitIn(dir, "clone", "-q", "--bare", origin.dir, "remote.git");
  gitIn(join(dir, "remote.git"), "config", "uploadpack.allowFilter", "true");
  gitIn(join(dir, "remote.git"), "config", "uploadpack.allowAnySHA1InWant", "true");
  return (name, filter, branch = "pr") => {
    gitIn(dir, "clone", "-q", ...filter, "--branch", branch, `file://${join(dir, "remote.git")}`, name);
    const other = branch === "pr" ? "main" : "pr";
    gitIn(join(dir, name), "fetch", "-q", "origin", `${other}:refs/remotes/origin/${other}`);
    return join(dir, name);
  };
}

/** git's lazy fetches (processes git starts itself), and capgate's batches (ones it starts). */
function fetches(trace: string) {
  const lines = readFileSync(trace, "utf8").split("\n");
  return {
    lazy: lines.filter((l) => /run_command: git -c fetch\.negotiationAlgorithm=noop fetch/.test(l)),
    batched: lines.filter((l) => /built-in: git (-c \S+ )?fetch .*--stdin/.test(l)),
    requests: lines.filter((l) => /run_command: .*git-upload-pack/.test(l)),
    maintenance: lines.filter((l) => /run_command: .*git (maintenance|gc)\b/.test(l)),
  };
}

describe("check on a blobless clone", () => {
  const origin = new TestRepo();
  repos.push(origin);
  origin.commit(BASE, "base");
  origin.git("checkout", "-q", "-b", "pr");
  const changed: Record<string, string> = {
    "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }),
    "tools/refunds.json": toolFile(tool("issue_refund")),
  };
  for (let i = 0; i < 20; i++) changed[`prompts/p${i}.md`] = `Prompt ${i}, edited.\n`;
  origin.commit(changed, "the pull request");
  origin.git("checkout", "-q", "main");
  // Main moves on after the fork: a checkout of main lacks the pull request's older version.
  origin.commit({ "agents/support.yaml": agent({ version: "1.5.0", tools: ["tools/orders.json"], maxSteps: 8 }) });
  const clone = served(origin);
  const full = clone("full", []);
  const blobless = clone("blobless", ["--filter=blob:none"]);
  const onMain = clone("on-main", ["--filter=blob:none"], "main");

  it("fetches the missing blobs in one request and reports what a full clone reports", () => {
    const args = ["check", "--base", "origin/main", "--head", "HEAD", "--json"];
    const fromFull = origin.capgate(args, full);
    const trace = join(tempDir("capgate-trace-"), "trace.txt");
    const fromBlobless = origin.capgate(args, blobless, { GIT_TRACE: trace });
    expect(fromFull.code).toBe(1);
    expect(JSON.parse(fromFull.stdout).changes.length).toBeGreaterThan(20);
    expect(fromBlobless.stdout).toBe(fromFull.stdout);
    const { lazy, batched, requests, maintenance } = fetches(trace);
    expect(lazy).toEqual([]);
    // The fetches leave the clone's upkeep to its owner: no maintenance run follows them.
    expect(maintenance).toEqual([]);
    // Each reading asks for its blobs together; only one that lacks some reaches the remote.
    expect(batched.length).toBeGreaterThanOrEqual(1);
    expect(requests.length, batched.join("\n")).toBeGreaterThanOrEqual(1);
    expect(requests.length, batched.join("\n")).toBeLessThanOrEqual(2);
  });

  it("with main checked out (as the action checks out a merge), fetches the pull request's older blobs together too", () => {
    const args = ["check", "--base", "main", "--head", "origin/pr", "--json"];
    const fromFull = origin.capgate(["check", "--base", "origin/main", "--head", "pr", "--json"], full);
    const trace = join(tempDir("capgate-trace-"), "trace.txt");
    const r = origin.capgate(args, onMain, { GIT_TRACE: trace });
    expect(JSON.parse(r.stdout).changes).toEqual(JSON.parse(fromFull.stdout).changes);
    expect(fetches(trace).lazy).toEqual([]);
  });
});

describe("check on a blobless clone of a plugin marketplace", () => {
  it("never fetches a manifest on its own to list ahead: the marketplace comes in the batched reads", () => {
    const origin = new TestRepo();
    repos.push(origin);
    const marketplace = (plugins: string[]) =>
      JSON.stringify({ name: "acme", plugins: plugins.map((p) => ({ name: p, source: `./external/${p}` })) });
    const command = (line: string) => `---\ndescription: Summarise\nallowed-tools: Read\n---\n${line}\n`;
    origin.commit(
      {
        ...BASE,
        ".claude-plugin/marketplace.json": marketplace(["helper"]),
        "external/helper/commands/summarise.md": command("Summarise the file."),
        "external/other/commands/list.md": command("List the files."),
      },
      "base",
    );
    origin.git("checkout", "-q", "-b", "pr");
    origin.commit({ ".claude-plugin/marketplace.json": marketplace(["helper", "other"]) }, "the pull request");
    origin.git("checkout", "-q", "main");
    const clone = served(origin);
    // Main checked out: the pull request's marketplace is not in the clone.
    const onMain = clone("on-main", ["--filter=blob:none"], "main");
    const full = clone("full", []);
    const trace = join(tempDir("capgate-trace-"), "trace.txt");
    const args = ["check", "--base", "origin/main", "--head", "origin/pr", "--json"];
    const r = origin.capgate(args, onMain, { GIT_TRACE: trace });
    const fromFull = origin.capgate(args, full);
    expect(fromFull.code, fromFull.stdout).toBe(1);
    // The new plugin's command is what the change gives the session that installs the marketplace.
    expect(fromFull.stdout).toContain("external/other/commands/list.md");
    expect(r.stdout).toBe(fromFull.stdout);
    expect(fetches(trace).lazy).toEqual([]);
  });
});
