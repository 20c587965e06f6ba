// Robustness figures, measured where CI has no time for them:
//
//   parsers   10,000 generated and mutated inputs per parser (tool files, agent manifests, skills,
//             MCP configs, result files, the config, prompts), seeded from the real sample files:
//             crashes, hangs, polluted prototypes, forbidden keys accepted, disagreements with JSON;
//   faults    300 seeded runs of the bundled action against the GitHub API stand-in with 5xx,
//             429/403 with retry-after, truncated and dropped answers and slow answers injected,
//             with a fast retry base: crashes, hangs, and passes where the fault-free run blocks;
//   api-down  GitHub answering 502 to everything, and hanging on everything, with the real waits
//             (a 1 s unit): the wall time to a blocked decision.
//
// They are the suite's own robustness tests (test/robustness/), run with these counts; the suite
// runs a small seeded sample of each. Every count of a failure must be 0.
//
// Usage: node bench/robustness.mjs [--parser-runs N] [--fault-runs N] [--unit-ms N]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const opts = { parserRuns: 10_000, faultRuns: 300, unitMs: 1000 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const [flag, inline] = argv[i].split("=");
  const value = Number(inline ?? argv[++i]);
  const key = { "--parser-runs": "parserRuns", "--fault-runs": "faultRuns", "--unit-ms": "unitMs" }[flag];
  if (!key || !Number.isInteger(value) || value < 1) {
    console.error("usage: node bench/robustness.mjs [--parser-runs N] [--fault-runs N] [--unit-ms N]");
    process.exit(2);
  }
  opts[key] = value;
}

const dir = mkdtempSync(join(tmpdir(), "capgate-robustness-"));
const report = join(dir, "counts.jsonl");
console.log(
  `robustness: ${opts.parserRuns} inputs per parser, ${opts.faultRuns} fault runs, GitHub down with a ${opts.unitMs} ms unit`,
);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [join(root, "node_modules", "vitest", "vitest.mjs"), "run", "test/robustness", "--reporter=dot"],
  {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      CAPGATE_FUZZ_RUNS: String(opts.parserRuns),
      CAPGATE_FAULT_RUNS: String(opts.faultRuns),
      CAPGATE_DOWN_UNIT_MS: String(opts.unitMs),
      CAPGATE_ROBUSTNESS_REPORT: report,
    },
  },
);
let lines = [];
try {
  lines = readFileSync(report, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
} catch {
  // no counts: the tests did not get that far; vitest said why
}
rmSync(dir, { recursive: true, force: true });

const pad = (s, n) => String(s).padEnd(n);
const num = (s, n) => String(s).padStart(n);
console.log("\nparsers (generated and mutated inputs)");
console.log(
  `  ${pad("parser", 18)}${num("inputs", 8)}${num("parsed", 8)}${num("crashes", 9)}${num("hangs", 7)}${num("polluted", 10)}${num("forbidden", 11)}${num("vs JSON", 9)}`,
);
for (const p of lines.filter((l) => l.kind === "parser"))
  console.log(
    `  ${pad(p.parser, 18)}${num(p.runs, 8)}${num(p.accepted, 8)}${num(p.crashes, 9)}${num(p.hangs, 7)}${num(p.polluted, 10)}${num(p.forbiddenAccepted, 11)}${num(p.disagreements, 9)}`,
  );
for (const f of lines.filter((l) => l.kind === "faults"))
  console.log(
    `\nfaults: ${f.runs} runs of the bundled action: ${f.crashes} crashes, ${f.hangs} hangs, ${f.falsePasses} passes the fault-free run would not give (${f.passes} passes, ${f.blocks} blocks; slowest ${(f.slowestMs / 1000).toFixed(1)} s)`,
  );
for (const d of lines.filter((l) => l.kind === "api-down"))
  console.log(
    `api down (${d.outage}, ${d.unitMs} ms unit): ${d.decision} after ${d.seconds.toFixed(1)} s (target: under 90 s)`,
  );
const bad = lines.some(
  (l) =>
    (l.kind === "parser" && (l.crashes || l.hangs || l.polluted || l.forbiddenAccepted || l.disagreements)) ||
    (l.kind === "faults" && (l.crashes || l.hangs || l.falsePasses)) ||
    (l.kind === "api-down" && (l.decision !== "block" || l.seconds >= 90 * (opts.unitMs / 1000))),
);
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s in all`);
process.exit(run.status !== 0 || bad || lines.length === 0 ? 1 : 0);
