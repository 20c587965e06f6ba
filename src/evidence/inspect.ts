import * as z from "zod";
import { formatIssues } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { sliceOf, tagsOf, type EvalCase, type ReadOptions, type ResultSet } from "./cases.js";
import { pushTo } from "../common/maps.js";

const logSchema = z.looseObject({
  version: z.number(),
  status: z.string(),
  eval: z.looseObject({
    task: z.string().optional(),
    revision: z.looseObject({ commit: z.string().optional() }).nullable().optional(),
  }),
  results: z
    .looseObject({
      scores: z
        .array(
          z.looseObject({
            name: z.string(),
            metrics: z.record(z.string(), z.looseObject({ value: z.number() })).optional(),
          }),
        )
        .optional(),
    })
    .nullable()
    .optional(),
  samples: z
    .array(
      z.looseObject({
        id: z.union([z.string(), z.number()]),
        epoch: z.number().optional(),
        scores: z
          .record(z.string(), z.looseObject({ value: z.unknown() }))
          .nullable()
          .optional(),
        metadata: z.record(z.string(), z.unknown()).nullable().optional(),
      }),
    )
    .optional(),
});

/**
 * An Inspect log's value as a score from 0 to 1: Inspect's own `value_to_float` reading — `C`
 * correct, `P` partial (0.5), `I` incorrect, `N` no answer — booleans, and numbers as they are.
 */
export function inspectScore(value: unknown): number | null {
  if (value === "C" || value === true) return 1;
  if (value === "P") return 0.5;
  if (value === "I" || value === "N" || value === false) return 0;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  return null;
}

/**
 * An Inspect eval log: each sample (per epoch) a case, passing when every scorer's score reaches
 * the suite's `pass_score` (default 1); the log's metrics by `<scorer>/<metric>`, and by the
 * metric's own name where one scorer alone reports it.
 */
export function parseInspect(path: string, v: unknown, opts: ReadOptions = {}): Parsed<ResultSet> {
  const r = logSchema.safeParse(v);
  if (!r.success) return fail(path, `not a valid Inspect log: ${formatIssues(r.error.issues)}`);
  if (r.data.status !== "success") return fail(path, `Inspect log status is "${r.data.status}", not "success"`);
  const threshold = opts.passScore ?? 1;
  const cases: EvalCase[] = [];
  for (const s of r.data.samples ?? []) {
    const scores = Object.values(s.scores ?? {}).map((sc) => inspectScore(sc.value));
    if (scores.length === 0 || scores.some((x) => x === null))
      return fail(path, `sample ${s.id}: a score is neither a number nor C, P, I or N`);
    const meta = s.metadata ?? {};
    cases.push({
      id: `${s.id}#${s.epoch ?? 1}`,
      pass: scores.every((x) => x! >= threshold),
      tags: tagsOf(meta),
      slice: sliceOf(meta),
    });
  }
  const metrics: Record<string, number> = {};
  const bare = new Map<string, number[]>();
  for (const score of r.data.results?.scores ?? []) {
    for (const [name, m] of Object.entries(score.metrics ?? {})) {
      metrics[`${score.name}/${name}`] = m.value;
      pushTo(bare, name, m.value);
    }
  }
  for (const [name, values] of bare)
    if (values.length === 1 && !Object.hasOwn(metrics, name)) metrics[name] = values[0]!;
  const set: ResultSet = { format: "inspect", cases, metrics };
  const commit = r.data.eval.revision?.commit;
  if (commit) set.commit = commit.toLowerCase();
  return ok(set);
}
