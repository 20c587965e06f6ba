import * as z from "zod";
import { formatIssues } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { sliceOf, tagsOf, type EvalCase, type ResultSet } from "./cases.js";

const resultSchema = z.looseObject({
  id: z.string().optional(),
  success: z.boolean(),
  testIdx: z.number().optional(),
  promptIdx: z.number().optional(),
  provider: z.looseObject({ id: z.string().optional(), label: z.string().optional() }).optional(),
  namedScores: z.record(z.string(), z.number()).optional(),
  testCase: z
    .looseObject({
      description: z.string().optional(),
      vars: z.record(z.string(), z.unknown()).optional(),
      metadata: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
});
type Result = z.infer<typeof resultSchema>;

const outputSchema = z.looseObject({
  evalId: z.string().optional(),
  results: z.looseObject({ version: z.number().optional(), results: z.array(resultSchema) }),
});

/** promptfoo's `-o results.json` (or `.yaml`): the `results.results` of one run. */
export function parsePromptfoo(path: string, v: unknown): Parsed<ResultSet> {
  const r = outputSchema.safeParse(v);
  if (!r.success) return fail(path, `not a valid promptfoo output: ${formatIssues(r.error.issues)}`);
  return ok(setOf(r.data.results.results));
}

/** promptfoo's `-o results.jsonl`: one result a line. */
export function parsePromptfooLines(path: string, text: string): Parsed<ResultSet> {
  const results: Result[] = [];
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      return fail(path, `malformed: ${(e as Error).message.split("\n")[0]}`, i + 1);
    }
    const r = resultSchema.safeParse(value);
    if (!r.success) return fail(path, `not a promptfoo result: ${formatIssues(r.error.issues)}`, i + 1);
    results.push(r.data);
  }
  if (results.length === 0) return fail(path, "a JSONL file with no promptfoo results");
  return ok(setOf(results));
}

/**
 * Cases named as the config names them — `metadata.id`, else the test's `description`, else its
 * index — with the provider when a run has several (promptfoo's own `id` is new every run); each
 * `namedScores` entry is a metric, its mean over the cases.
 */
function setOf(results: readonly Result[]): ResultSet {
  const providers = new Set(results.map((x) => x.provider?.label || x.provider?.id || ""));
  const named = results.map((x, i) => {
    const meta = x.testCase?.metadata ?? {};
    const base = typeof meta.id === "string" && meta.id ? meta.id : x.testCase?.description || `test ${x.testIdx ?? i}`;
    const provider = x.provider?.label || x.provider?.id;
    const prompt = (x.promptIdx ?? 0) > 0 ? ` prompt ${x.promptIdx}` : "";
    return `${base}${providers.size > 1 && provider ? ` @ ${provider}` : ""}${prompt}`;
  });
  // Two tests of one description stay two cases.
  const count = new Map<string, number>();
  for (const n of named) count.set(n, (count.get(n) ?? 0) + 1);
  const cases: EvalCase[] = results.map((x, i) => {
    const meta = x.testCase?.metadata ?? {};
    const id = count.get(named[i]!)! > 1 ? `${named[i]} #${x.testIdx ?? i}` : named[i]!;
    return { id, pass: x.success, tags: tagsOf(meta), slice: sliceOf(meta) };
  });
  const sums = new Map<string, { total: number; n: number }>();
  for (const x of results)
    for (const [name, value] of Object.entries(x.namedScores ?? {})) {
      const s = sums.get(name) ?? { total: 0, n: 0 };
      sums.set(name, { total: s.total + value, n: s.n + 1 });
    }
  const metrics = Object.fromEntries([...sums].map(([name, s]) => [name, s.total / s.n]));
  return { format: "promptfoo", cases, metrics };
}
