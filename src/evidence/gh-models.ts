import * as z from "zod";
import { formatIssues } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { ResultSet } from "./cases.js";

const outputSchema = z.looseObject({
  name: z.string().optional(),
  testResults: z.array(
    z.looseObject({
      testCase: z.record(z.string(), z.unknown()).optional(),
      evaluationResults: z.array(z.looseObject({ evaluatorName: z.string(), score: z.number(), passed: z.boolean() })),
    }),
  ),
  summary: z.looseObject({ totalTests: z.number() }),
});

/**
 * `gh models eval --json`: each test a case, passing when every evaluator passed (as gh models
 * counts it); each evaluator's mean score a metric. A test is named by its `id` or `name`
 * variable, else by its place.
 */
export function parseGhModels(path: string, v: unknown): Parsed<ResultSet> {
  const r = outputSchema.safeParse(v);
  if (!r.success) return fail(path, `not a valid gh models eval --json output: ${formatIssues(r.error.issues)}`);
  const sums = new Map<string, { total: number; n: number }>();
  const cases = r.data.testResults.map((t, i) => {
    for (const e of t.evaluationResults) {
      const s = sums.get(e.evaluatorName) ?? { total: 0, n: 0 };
      sums.set(e.evaluatorName, { total: s.total + e.score, n: s.n + 1 });
    }
    const tc = t.testCase ?? {};
    const label = typeof tc.id === "string" ? tc.id : typeof tc.name === "string" ? tc.name : `test ${i + 1}`;
    return { id: label, pass: t.evaluationResults.every((e) => e.passed), tags: [], slice: {} };
  });
  const metrics = Object.fromEntries([...sums].map(([name, s]) => [name, s.total / s.n]));
  return ok({ format: "gh-models", cases, metrics });
}
