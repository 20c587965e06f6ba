import { z } from "zod";
import { formatIssues, parseData } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";

/** One evaluated case, whatever tool produced it. */
export interface EvalCase {
  id: string;
  pass: boolean;
  tags: string[];
  slice: Record<string, string>;
}

/** A result file read into capgate's terms, with the bindings it carries. */
export interface ResultSet {
  format: "capgate" | "promptfoo" | "inspect";
  suite?: string;
  /** A commit the results claim to be for (full SHA or an abbreviation of at least 7). */
  commit?: string;
  /** path → "sha256:<hex>" of the content evaluated. */
  digests?: Record<string, string>;
  cases: EvalCase[];
  metrics: Record<string, number>;
}

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

const promptfooSchema = z.looseObject({
  evalId: z.string().optional(),
  results: z.looseObject({
    version: z.number().optional(),
    results: z.array(
      z.looseObject({
        id: z.string().optional(),
        success: z.boolean(),
        testIdx: z.number().optional(),
        promptIdx: z.number().optional(),
        provider: z.looseObject({ id: z.string().optional() }).optional(),
        testCase: z
          .looseObject({
            description: z.string().optional(),
            vars: z.record(z.string(), z.unknown()).optional(),
            metadata: z.record(z.string(), z.unknown()).optional(),
          })
          .optional(),
      }),
    ),
  }),
});

const inspectSchema = z.looseObject({
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

export const INSPECT_ZIP_REASON =
  "is an Inspect .eval (zip) log; write JSON logs (inspect eval --log-format=json) for capgate to read";

/** Whether the bytes are a zip archive, as Inspect's `.eval` logs are. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}

/** Reads a result file, detecting capgate's native format, promptfoo's `-o` output or an Inspect log. */
export function parseResults(path: string, text: string): Parsed<ResultSet> {
  if (text.startsWith("PK\u0003\u0004")) return fail(path, INSPECT_ZIP_REASON);
  const data = parseData(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!v || typeof v !== "object" || Array.isArray(v)) return fail(path, "unknown result format: not a JSON object");
  const obj = v as Record<string, unknown>;
  if ("capgate" in obj) {
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
  if ("evalId" in obj || (obj.results && typeof obj.results === "object" && "results" in (obj.results as object))) {
    const r = promptfooSchema.safeParse(v);
    if (!r.success) return fail(path, `not a valid promptfoo output: ${formatIssues(r.error.issues)}`);
    return ok({
      format: "promptfoo",
      cases: r.data.results.results.map((x, i) => {
        const meta = x.testCase?.metadata ?? {};
        const id = x.id ?? `${x.testIdx ?? i}:${x.promptIdx ?? 0}:${x.provider?.id ?? ""}`;
        return { id, pass: x.success, tags: tagsOf(meta), slice: sliceOf(meta) };
      }),
      metrics: {},
    });
  }
  if ("eval" in obj && "status" in obj) {
    const r = inspectSchema.safeParse(v);
    if (!r.success) return fail(path, `not a valid Inspect log: ${formatIssues(r.error.issues)}`);
    if (r.data.status !== "success") return fail(path, `Inspect log status is "${r.data.status}", not "success"`);
    const samples = r.data.samples ?? [];
    const cases: EvalCase[] = [];
    for (const s of samples) {
      const scores = Object.values(s.scores ?? {});
      const passes = scores.map((sc) => inspectPass(sc.value));
      if (passes.length === 0 || passes.some((p) => p === null)) {
        return fail(path, `sample ${s.id}: a score is not pass/fail (C/I, true/false, 1/0)`);
      }
      const meta = s.metadata ?? {};
      cases.push({
        id: `${s.id}#${s.epoch ?? 1}`,
        pass: passes.every(Boolean),
        tags: tagsOf(meta),
        slice: sliceOf(meta),
      });
    }
    // Metrics by `<scorer>/<metric>`, and by the metric's own name where only one scorer reports it.
    const metrics: Record<string, number> = {};
    const bare = new Map<string, number[]>();
    for (const score of r.data.results?.scores ?? []) {
      for (const [name, m] of Object.entries(score.metrics ?? {})) {
        metrics[`${score.name}/${name}`] = m.value;
        bare.set(name, [...(bare.get(name) ?? []), m.value]);
      }
    }
    for (const [name, values] of bare)
      if (values.length === 1 && !Object.hasOwn(metrics, name)) metrics[name] = values[0]!;
    const set: ResultSet = { format: "inspect", cases, metrics };
    const commit = r.data.eval.revision?.commit;
    if (commit) set.commit = commit.toLowerCase();
    return ok(set);
  }
  return fail(path, "unknown result format (expected capgate results/v1, promptfoo -o output or an Inspect JSON log)");
}

function inspectPass(value: unknown): boolean | null {
  if (value === "C" || value === true || value === 1) return true;
  if (value === "I" || value === false || value === 0) return false;
  return null;
}

function tagsOf(meta: Record<string, unknown>): string[] {
  const tags = Array.isArray(meta.tags) ? meta.tags.filter((t): t is string => typeof t === "string") : [];
  if (meta.canary === true) tags.push("canary");
  return tags;
}

function sliceOf(meta: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) if (typeof v === "string" || typeof v === "number") out[k] = String(v);
  return out;
}
