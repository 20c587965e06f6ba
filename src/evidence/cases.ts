/** What every result format is read into. */

/** One evaluated case, whatever tool produced it. */
export interface EvalCase {
  id: string;
  pass: boolean;
  tags: string[];
  slice: Record<string, string>;
}

/** How a result file is read: the score a case needs to pass, for formats that score (Inspect). */
export interface ReadOptions {
  /** A case with a numeric or partial score passes at this score or above (default 1: full credit). */
  passScore?: number;
}

/** A result file read into capgate's terms, with the bindings it carries. */
export interface ResultSet {
  format: "capgate" | "promptfoo" | "inspect" | "gh-models" | "junit";
  suite?: string;
  /** A commit the results claim to be for (full SHA or an abbreviation of at least 7). */
  commit?: string;
  /** path → "sha256:<hex>" of the content evaluated. */
  digests?: Record<string, string>;
  cases: EvalCase[];
  metrics: Record<string, number>;
}

export function tagsOf(meta: Record<string, unknown>): string[] {
  const tags = Array.isArray(meta.tags) ? meta.tags.filter((t): t is string => typeof t === "string") : [];
  if (meta.canary === true) tags.push("canary");
  return tags;
}

export function sliceOf(meta: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) if (typeof v === "string" || typeof v === "number") out[k] = String(v);
  return out;
}
