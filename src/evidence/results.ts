import * as z from "zod";
import { formatIssues, parseData } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { ReadOptions, ResultSet } from "./cases.js";
import { parseGhModels } from "./gh-models.js";
import { parseInspect } from "./inspect.js";
import { parseJunit } from "./junit.js";
import { parsePromptfoo, parsePromptfooLines } from "./promptfoo.js";

export type { EvalCase, ReadOptions, ResultSet } from "./cases.js";

const hexCommit = z.string().regex(/^[0-9a-f]{7,64}$/, "a commit SHA (7 to 64 lowercase hex digits)");

const nativeSchema = z.strictObject({
  capgate: z.literal("results/v1"),
  suite: z.string().min(1),
  commit: hexCommit.optional(),
  digests: z.record(z.string().min(1), z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256:<64 hex digits>")).optional(),
  cases: z.array(
    z.strictObject({
      id: z.string().min(1),
      pass: z.boolean(),
      tags: z.array(z.string()).optional(),
      slice: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      score: z.number().optional(),
      detail: z.string().optional(),
    }),
  ),
  metrics: z.record(z.string(), z.number()).optional(),
  produced_at: z.string().optional(),
  tool: z.string().optional(),
});

export const INSPECT_ZIP_REASON =
  "is a zip archive that was not read as an Inspect .eval log (header.json and samples/*.json)";

/** Whether the bytes are a zip archive, as Inspect's `.eval` logs are. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}

/**
 * Reads a result file, detecting its format: capgate's native results/v1, promptfoo's `-o` output
 * (JSON, YAML or JSONL), an Inspect log (JSON; a `.eval` log arrives here as the JSON of its
 * header and samples), `gh models eval --json`, or JUnit XML. A format that is not read says so,
 * and what is.
 */
export function parseResults(path: string, text: string, opts: ReadOptions = {}): Parsed<ResultSet> {
  if (text.startsWith("PK\u0003\u0004")) return fail(path, INSPECT_ZIP_REASON);
  const unread = unreadFormat(path, text);
  if (unread) return fail(path, unread);
  if (/\.xml$/i.test(path) || text.trimStart().startsWith("<")) return parseJunit(path, text);
  if (/\.jsonl$/i.test(path)) return parsePromptfooLines(path, text);
  const data = parseData(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!v || typeof v !== "object" || Array.isArray(v)) return fail(path, "unknown result format: not a JSON object");
  const obj = v as Record<string, unknown>;
  if ("capgate" in obj) return parseNative(path, v);
  if ("evalId" in obj || (obj.results && typeof obj.results === "object" && "results" in (obj.results as object)))
    return parsePromptfoo(path, v);
  if ("eval" in obj && "status" in obj) return parseInspect(path, v, opts);
  if ("testResults" in obj && "summary" in obj) return parseGhModels(path, v);
  return fail(path, `unknown result format; ${READ_FORMATS}`);
}

/** What capgate reads, as an error says it. */
export const READ_FORMATS =
  "capgate reads capgate results/v1, promptfoo -o output (.json, .yaml, .jsonl), Inspect logs (.eval, or --log-format=json), gh models eval --json, and JUnit XML";

/** Outputs the tools write that capgate does not read, by what they are. */
function unreadFormat(path: string, text: string): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  const what: Record<string, string> = { csv: "CSV", html: "HTML", htm: "HTML", txt: "plain text", md: "Markdown" };
  if (ext && what[ext])
    return `a ${what[ext]} file is not a result format capgate reads; ${READ_FORMATS} (promptfoo: -o results.json)`;
  if (text.trimStart().startsWith("<!") || /<html[\s>]/i.test(text.slice(0, 1000)))
    return `an HTML file is not a result format capgate reads; ${READ_FORMATS}`;
  return null;
}

function parseNative(path: string, v: unknown): Parsed<ResultSet> {
  const r = nativeSchema.safeParse(v);
  if (!r.success) return fail(path, `not valid capgate results/v1: ${formatIssues(r.error.issues)}`);
  const set: ResultSet = {
    format: "capgate",
    suite: r.data.suite,
    cases: r.data.cases.map((c) => ({
      id: c.id,
      pass: c.pass,
      tags: c.tags ?? [],
      slice: Object.fromEntries(Object.entries(c.slice ?? {}).map(([k, x]) => [k, String(x)])),
    })),
    metrics: r.data.metrics ?? {},
  };
  if (r.data.commit) set.commit = r.data.commit;
  if (r.data.digests) set.digests = r.data.digests;
  return ok(set);
}
