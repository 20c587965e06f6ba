import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { agent, BASE, tool, toolFile } from "../scenarios/fixture.js";

/**
 * A blobless clone (`git clone --filter=blob:none`, what `actions/checkout`'s `filter` makes) of
 * a pull request's head: the base's versions of the changed files are not in it. capgate fetches
 * them in one batched request, never one lazy fetch per blob, and reports exactly what a full
 * clone reports. Counted from git's own trace, not timed.
 */

const folders: string[] = [];
const repos: TestRepo[] = [];
afterAll(() => {
  repos.forEach((r) => r.dispose());
  folders.forEach((f) => rmSync(f, { recursive: true, force: true }));
});

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } }).trim();

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
  const dir = tempDir("capgate-blobless-");
  folders.push(dir);
  git(dir, "clone", "-q", "--bare", origin.dir, "remote.git");
  git(join(dir, "remote.git"), "config", "uploadpack.allowFilter", "true");
  git(join(dir, "remote.git"), "config", "uploadpack.allowAnySHA1InWant", "true");
  const clone = (name: string, filter: string[]) => {
    git(dir, "clone", "-q", ...filter, "--branch", "pr", `file://${join(dir, "remote.git")}`, name);
    git(join(dir, name), "fetch", "-q", "origin", "main:refs/remotes/origin/main");
    return join(dir, name);
  };
  const full = clone("full", []);
  const blobless = clone("blobless", ["--filter=blob:none"]);

  it("fetches the missing blobs in one request and reports what a full clone reports", () => {
    const args = ["check", "--base", "origin/main", "--head", "HEAD", "--json"];
    const fromFull = origin.capgate(args, full);
    const trace = join(dir, "trace.txt");
    const fromBlobless = origin.capgate(args, blobless, { GIT_TRACE: trace });
    expect(fromFull.code).toBe(1);
    expect(JSON.parse(fromFull.stdout).changes.length).toBeGreaterThan(20);
    expect(fromBlobless.stdout).toBe(fromFull.stdout);
    const lines = readFileSync(trace, "utf8").split("\n");
    // git's lazy fetches are processes git starts itself; capgate's batch is one it starts.
    const lazy = lines.filter((l) => /run_command: git -c fetch\.negotiationAlgorithm=noop fetch/.test(l));
    const batched = lines.filter((l) => /built-in: git (-c \S+ )?fetch .*--stdin/.test(l));
    expect(lazy).toEqual([]);
    expect(batched).toHaveLength(1);
  });
});
