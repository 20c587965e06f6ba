import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ACTION_BUNDLE, CLI_BUNDLE } from "../setup/build-cli.js";
import { runProbed } from "../helpers/probe.js";

const dir = mkdtempSync(join(tmpdir(), "capgate-engine-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loaded before the bundle; when the process ends, asks V8 whether a function it was told to
// optimize was, and how large the young space grows under a stream of short-lived objects, and
// says which of Node's own modules the process loaded.
const PROBE = join(dir, "probe.cjs");
writeFileSync(
  PROBE,
  `process.on("exit", () => {
  function hot(a, b) { return a * b + 1; }
  %PrepareFunctionForOptimization(hot);
  hot(1, 2); hot(3, 4);
  %OptimizeFunctionOnNextCall(hot);
  hot(5, 6);
  const optimized = (%GetOptimizationStatus(hot) & 16) !== 0;
  let keep = [];
  for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 1e5) keep = []; }
  const young = require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13));
  require("fs").writeFileSync(process.env.PROBE_OUT, JSON.stringify({ optimized, young, builtins }));
});
`,
);

interface Probed {
  optimized: boolean;
  young: number;
  builtins: string[];
}

function probe(args: string[]): Probed {
  return runProbed<Probed>(dir, PROBE, args, { flags: ["--allow-natives-syntax"] }).report;
}

describe("the engine a check runs on", () => {
  it("is V8 as Node sets it in a process that is not capgate (the probe can tell)", () => {
    const plain = probe(["-e", "0"]);
    expect(plain.optimized).toBe(true);
    expect(plain.young).toBeGreaterThan(8 * 1024 * 1024);
  });

  it.each([
    ["the CLI", [CLI_BUNDLE, "--version"]],
    ["the action", [ACTION_BUNDLE]],
  ])("%s keeps the young space at its first size and functions off the optimizing compilers", (_, args) => {
    const seen = probe(args);
    expect(seen.optimized).toBe(false);
    expect(seen.young).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it("the CLI starts without Node's crypto and promise-based file system, which only some runs need", () => {
    // The probe loads `fs` and `v8` itself; these two only a run that hashes or reads with promises would.
    const loaded = probe([CLI_BUNDLE, "--version"]).builtins;
    expect(loaded).toContain("child_process");
    expect(loaded).not.toContain("crypto");
    expect(loaded).not.toContain("fs/promises");
    expect(probe(["-e", "require('node:crypto'); require('node:fs/promises')"]).builtins).toEqual(
      expect.arrayContaining(["crypto", "fs/promises"]),
    );
  });
});
