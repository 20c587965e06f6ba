import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ACTION_BUNDLE, CLI_BUNDLE } from "../setup/build-cli.js";
import { runProbed } from "../helpers/probe.js";

// Each door is a small start and a bundle with the code the build compiled for it (decision 24).
const ROOT = process.cwd();
const NODE24 = join(ROOT, "node_modules", "node", "bin", "node");
const RECORDS = join(ROOT, "scripts", "warm");
const dir = mkdtempSync(join(tmpdir(), "capgate-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loaded before the start: says, when the process ends, which scripts were given compiled code
// and whether V8 took it.
const PROBE = join(dir, "probe.cjs");
writeFileSync(
  PROBE,
  `const vm = require("node:vm");
const Script = vm.Script;
const given = [];
vm.Script = class extends Script {
  constructor(source, options) {
    super(source, options);
    if (options && options.cachedData) given.push({ file: options.filename, taken: !this.cachedDataRejected });
  }
};
process.on("exit", () => require("fs").writeFileSync(process.env.PROBE_OUT, JSON.stringify(given)));
`,
);

interface Run {
  code: number | null;
  stdout: string;
  given: { file: string; taken: boolean }[];
}

function run(node: string, start: string, args: string[]): Run {
  const r = runProbed<Run["given"]>(dir, PROBE, [start, ...args], { node });
  return { code: r.status, stdout: r.stdout, given: r.report };
}

/** A copy of the suite's dist/ whose CLI cache is `cache` (null: none beside the bundle). */
function distWith(cache: Buffer | null): string {
  const copy = mkdtempSync(join(dir, "dist-"));
  cpSync(dirname(CLI_BUNDLE), copy, { recursive: true });
  const at = join(copy, "cli.bundle.cache");
  if (cache === null) rmSync(at);
  else writeFileSync(at, cache);
  return join(copy, "cli.js");
}

const REPLAY = ["replay", join(RECORDS, "refund-unconfirmed.json"), "--json"];

describe("each door starts with the code compiled for it ahead", () => {
  it.each([
    ["the CLI", CLI_BUNDLE, ["--version"], "cli.bundle.js"],
    ["the action", ACTION_BUNDLE, [], "index.bundle.js"],
  ])("%s: GitHub's Node 24 takes the compiled code the build made", (_, start, args, bundle) => {
    const seen = run(NODE24, start, args);
    expect(seen.given).toEqual([{ file: join(dirname(start), bundle), taken: true }]);
  });

  it("code V8 refuses, or none, changes nothing but time: the same report and exit code", () => {
    const compiled = run(NODE24, CLI_BUNDLE, REPLAY);
    expect(compiled.given.map((g) => g.taken)).toEqual([true]);
    expect(compiled.code).toBe(1);
    expect(JSON.parse(compiled.stdout)).toMatchObject({ decision: "block" });
    // Another bundle's code (the action's): V8 refuses it for this source.
    const foreign = run(NODE24, distWith(readFileSync(join(dirname(ACTION_BUNDLE), "index.bundle.cache"))), REPLAY);
    expect(foreign.given.map((g) => g.taken)).toEqual([false]);
    const garbage = run(NODE24, distWith(Buffer.from("not compiled code")), REPLAY);
    expect(garbage.given.map((g) => g.taken)).toEqual([false]);
    const none = run(NODE24, distWith(null), REPLAY);
    expect(none.given).toEqual([]);
    for (const r of [foreign, garbage, none]) {
      expect(r.code).toBe(compiled.code);
      expect(r.stdout).toBe(compiled.stdout);
    }
  });

  it("the example's decision records the build replays still decide as the example does", () => {
    expect(run(NODE24, CLI_BUNDLE, ["replay", join(RECORDS, "refund-unconfirmed.json")]).code).toBe(1);
    expect(run(NODE24, CLI_BUNDLE, ["replay", join(RECORDS, "refund-confirmed.json")]).code).toBe(0);
  });

  it("the build makes the same bytes every time, so check-dist can compare them", () => {
    const again = mkdtempSync(join(dir, "build-"));
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], {
      env: { ...process.env, CAPGATE_BUILD_DIR: again },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    for (const cache of ["cli.bundle.cache", "index.bundle.cache"]) {
      const first = readFileSync(join(dirname(CLI_BUNDLE), cache));
      expect(first.length).toBeGreaterThan(100_000);
      expect(readFileSync(join(again, "dist", cache)).equals(first)).toBe(true);
    }
  });
});
