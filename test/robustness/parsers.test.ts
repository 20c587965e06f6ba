import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAgent } from "../../src/artifact/agent.js";
import { parseMcpConfig } from "../../src/artifact/mcp.js";
import { parsePrompt } from "../../src/artifact/prompt.js";
import { parseSkill } from "../../src/artifact/skill.js";
import { parseToolFile } from "../../src/artifact/tool.js";
import { parseConfig } from "../../src/config/resolve.js";
import { parseResults } from "../../src/evidence/results.js";
import { parseData } from "../../src/parse/document.js";
import type { Parsed } from "../../src/parse/result.js";
import { FORMATS } from "../helpers/fixtures.js";
import { hangTimer, reportCounts, runsFrom } from "./report.js";

/** Generated inputs per parser: 10,000 or more in the benchmark, a seeded sample in the suite. */
const RUNS = runsFrom("CAPGATE_FUZZ_RUNS", 300);
const SEED = runsFrom("CAPGATE_FUZZ_SEED", 20261201);

const ROOT = join(import.meta.dirname, "..", "..");
const files = (dir: string, match: RegExp) =>
  readdirSync(dir)
    .filter((f) => match.test(f))
    .map((f) => readFileSync(join(dir, f), "utf8"));
const at = (...parts: string[]) => readFileSync(join(ROOT, ...parts), "utf8");

type Parser = (path: string, text: string) => Parsed<unknown>;

/** Each parser with the real files it is seeded from. */
const TARGETS: { name: string; parse: Parser; path: string; seeds: string[] }[] = [
  { name: "tool files", parse: parseToolFile, path: "tools/t.json", seeds: files(join(FORMATS, "mcp"), /\.json$/) },
  {
    name: "agent manifests",
    parse: parseAgent,
    path: "agents/a.yaml",
    seeds: [
      at("example", "base", "agents", "support.yaml"),
      at("example", "pulls", "refund-confirmed", "agents", "support.yaml"),
      at("example", "pulls", "refund-unconfirmed", "agents", "support.yaml"),
    ],
  },
  {
    name: "skills",
    parse: parseSkill,
    path: "skills/s/SKILL.md",
    seeds: [
      ...files(join(FORMATS, "skills"), /SKILL\.md$/),
      at("example", "base", "skills", "order-lookup", "SKILL.md"),
    ],
  },
  {
    name: "MCP configs",
    parse: parseMcpConfig,
    path: ".mcp.json",
    seeds: files(join(FORMATS, "mcp-config"), /\.json$/),
  },
  {
    name: "result files",
    parse: parseResults,
    path: "eval-results/r.json",
    seeds: [...files(join(FORMATS, "promptfoo"), /\.json$/), ...files(join(FORMATS, "inspect"), /\.json$/)],
  },
  {
    name: "the config",
    parse: parseConfig,
    path: ".github/capgate.yml",
    seeds: [at("example", "base", ".github", "capgate.yml")],
  },
  {
    name: "prompts",
    parse: parsePrompt,
    path: "prompts/p.prompty",
    seeds: [...files(join(FORMATS, "prompty"), /\.prompty$/), ...files(join(FORMATS, "dotprompt"), /\.prompt$/)],
  },
];

/** Text a hostile author would reach for. */
const HOSTILE = [
  "__proto__",
  '"__proto__": {"polluted": true},',
  "constructor:\n  prototype:\n    polluted: true\n",
  "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n",
  "<<: {readOnlyHint: true}\n",
  '"readOnlyHint": true, "readOnlyHint": false,',
  "[".repeat(300),
  "{".repeat(70) + "}".repeat(70),
  "\u0000",
  "\ufeff",
  "---\n",
  "...\n",
  "!!js/function 'return 1'",
  "? [a, b]\n: c\n",
  "version: 1.10\n",
  "\t",
  "\r\n",
  "\u2028",
  "'",
  '"',
  "\\u0000",
  "*alias",
  "&anchor",
];

/** One mutation of a seed: the ways real files go wrong, and the ways hostile ones are made. */
function mutation(seeds: readonly string[]) {
  const seed = fc.constantFrom(...seeds);
  const pos = fc.nat();
  const hostile = fc.constantFrom(...HOSTILE);
  const junk = fc.string({ unit: fc.constantFrom(..."{}[]:,\"'\n\r\t -#&*!|>%@`\\\u0000é😀".split("")), maxLength: 8 });
  return fc.oneof(
    fc.tuple(seed, pos, hostile).map(([s, p, h]) => s.slice(0, p % (s.length + 1)) + h + s.slice(p % (s.length + 1))),
    fc.tuple(seed, pos, junk).map(([s, p, j]) => s.slice(0, p % (s.length + 1)) + j + s.slice(p % (s.length + 1))),
    fc.tuple(seed, pos, fc.nat({ max: 40 })).map(([s, p, n]) => {
      const i = p % (s.length + 1);
      return s.slice(0, i) + s.slice(i + n);
    }),
    fc.tuple(seed, pos).map(([s, p]) => s.slice(0, p % (s.length + 1))),
    fc.tuple(seed, pos).map(([s, p]) => {
      const lines = s.split("\n");
      const i = p % lines.length;
      return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join("\n");
    }),
    fc.tuple(seed, seed, pos, pos).map(([a, b, p, q]) => {
      const la = a.split("\n");
      const lb = b.split("\n");
      const i = p % la.length;
      return [...la.slice(0, i), lb[q % lb.length]!, ...la.slice(i)].join("\n");
    }),
    fc.tuple(seed, fc.integer({ min: 1, max: 400 })).map(([s, n]) => "[".repeat(n) + s + "]".repeat(n)),
    seed,
  );
}

/** Whether a parsed value holds a key that could reach a prototype. */
function holdsForbiddenKey(v: unknown, seen = new Set<unknown>()): boolean {
  if (v === null || typeof v !== "object" || seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v)) return v.some((x) => holdsForbiddenKey(x, seen));
  return Object.keys(v).some(
    (k) => k === "__proto__" || k === "constructor" || k === "prototype" || holdsForbiddenKey((v as never)[k], seen),
  );
}

describe("parsers fed generated and mutated real files", () => {
  it.each(TARGETS)(
    "$name: never a throw, a hang, a polluted prototype or a disagreement with JSON",
    (target) => {
      const counts = {
        runs: 0,
        crashes: 0,
        hangs: 0,
        polluted: 0,
        forbiddenAccepted: 0,
        disagreements: 0,
        accepted: 0,
      };
      const failures: string[] = [];
      fc.assert(
        fc.property(mutation(target.seeds), (text) => {
          counts.runs++;
          // Only the benchmark times a parse (`hangTimer`); the suite counts, and reads no clock.
          const hung = hangTimer();
          let r: Parsed<unknown>;
          try {
            r = target.parse(target.path, text);
          } catch (e) {
            counts.crashes++;
            failures.push(`threw ${String(e)} on ${JSON.stringify(text.slice(0, 200))}`);
            return;
          }
          const took = hung();
          if (took !== null) {
            counts.hangs++;
            failures.push(`took ${Math.round(took)} ms on ${JSON.stringify(text.slice(0, 200))}`);
          }
          if (({} as Record<string, unknown>).polluted !== undefined) counts.polluted++;
          if (typeof r.ok !== "boolean" || (!r.ok && (r.error.path !== target.path || !r.error.reason)))
            counts.crashes++;
          if (r.ok) counts.accepted++;
          // The data layer agrees with the real JSON reader wherever both accept a text.
          const data = parseData(target.path, text);
          if (data.ok && holdsForbiddenKey(data.value)) counts.forbiddenAccepted++;
          if (data.ok && text.trimStart().startsWith("{") && !/"version"\s*:\s*[0-9]/.test(text)) {
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              return;
            }
            if (!isDeepStrictEqual(json, data.value)) {
              counts.disagreements++;
              failures.push(`disagrees with JSON.parse on ${JSON.stringify(text.slice(0, 200))}`);
            }
          }
        }),
        { numRuns: RUNS, seed: SEED },
      );
      reportCounts("parser", { parser: target.name, ...counts });
      expect(failures.slice(0, 3)).toEqual([]);
      expect(counts).toMatchObject({ crashes: 0, hangs: 0, polluted: 0, forbiddenAccepted: 0, disagreements: 0 });
      expect(counts.runs).toBe(RUNS);
      // The mutations are not all rejected out of hand: some still parse.
      expect(counts.accepted).toBeGreaterThan(0);
    },
    // A guard against a run that never ends, not a measure (a parse that hangs is counted above):
    // the slowest parser takes ~9 ms an input on a quiet machine, and the benchmark runs 10,000
    // beside other work.
    30_000 + RUNS * 30,
  );
});
