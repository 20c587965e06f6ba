import type { ResolvedSuite } from "../config/resolve.js";
import { namesOneOf, short } from "../common/ids.js";
import { own } from "../common/records.js";
import type { Evidence, FileState, ResultFile } from "../input/types.js";
import { parseResults, type EvalCase, type ResultSet } from "../evidence/results.js";
import { describeError } from "../parse/result.js";
import type { Tier } from "../config/ladder.js";
import type { Requirement } from "./types.js";
import { compareText } from "../common/order.js";
import { pushTo } from "../common/maps.js";
import { sha256 } from "../common/digest.js";

export interface BindingContext {
  evidence: Evidence;
  /** The head commit being gated. */
  head: string;
  /** Head content at a path, for digest bindings. */
  headFile(path: string): FileState;
  /** The gated paths among those the workspace holds other content for. */
  gated: ReadonlySet<string>;
  /** Every change the decision gates, with the tiers each touches. */
  changes: readonly { path: string; status: string; touches: readonly Tier[] }[];
  /** The tiers whose requirements name a suite. */
  tiersRequiring(suite: string): readonly Tier[];
}

interface Counted {
  path: string;
  set: ResultSet;
  binding: string;
}

type Binding = { bound: true; how: string } | { bound: false; why: string };

/** Whether a result file is bound to the content being gated, and how (PRODUCT §4). */
export function bindResult(
  file: ResultFile,
  set: ResultSet,
  suite: {
    trustCommitted: boolean;
    /** Changed gated files touching a tier that requires the suite. */ mustName: readonly string[];
  },
  ctx: BindingContext,
): Binding {
  const where = whereProduced(file, set, suite.trustCommitted, ctx);
  if ("why" in where) return { bound: false, why: where.why };
  const hows = [...where.hows];
  if (set.commit !== undefined) {
    const c = set.commit;
    if (!namesOneOf(c, ctx.evidence.acceptedCommits))
      return { bound: false, why: `bound to commit ${short(c)}, not the gated head ${short(ctx.head)}` };
    hows.push(`commit ${short(c)}`);
  }
  if (set.digests !== undefined) {
    // Digests bind only what they name: as the only binding, they must name every changed file
    // the suite's evidence is asked for.
    const wholeHead = hows.length > 0;
    const d = digestBinding(set.digests, wholeHead ? [] : suite.mustName, ctx);
    if (!d.bound) return d;
    hows.push(d.how);
  }
  if (hows.length === 0) {
    return {
      bound: false,
      why: "tracked by git and carries no commit or digests, so nothing binds it to this content",
    };
  }
  return { bound: true, how: hows.join(", ") };
}

/**
 * What where the file was produced says: committed (the author's claim unless the suite trusts
 * it), outside the working tree (only what it carries can bind it), or untracked in the workspace
 * (bound to the checkout if the checkout is the head and holds its content). Each `how` binds all
 * of the head.
 */
function whereProduced(
  file: ResultFile,
  set: ResultSet,
  trustCommitted: boolean,
  ctx: BindingContext,
): { hows: string[] } | { why: string } {
  if (file.tracked || file.committedInChange) {
    if (!trustCommitted)
      return {
        why: `${file.committedInChange ? "committed in the change under review" : "committed to the repository (tracked in git at head)"}: a committed result is its author's claim, not a run of this job; produce it in the job (and keep it out of git), or set trust_committed_results: true, which gates changes to result files`,
      };
    return {
      hows: file.committedInChange ? ["committed in the change (trusted by the suite; the change to it is gated)"] : [],
    };
  }
  if (!file.inWorkspace) {
    if (set.commit === undefined && set.digests === undefined)
      return {
        why: "outside the repository's working tree and carries no commit or digests, so nothing binds it to this content",
      };
    return { hows: [] };
  }
  const checkout = ctx.evidence.checkout;
  if (checkout === null) return { why: "untracked, and the workspace's checked-out commit is unknown" };
  if (!ctx.evidence.acceptedCommits.includes(checkout))
    return { why: `produced in a workspace checked out at ${short(checkout)}, not the gated head ${short(ctx.head)}` };
  if (ctx.evidence.checkoutModified === null)
    return { why: "untracked, and whether the workspace holds its checked-out commit is unknown" };
  const modified = (ctx.evidence.checkoutModified ?? []).filter((p) => ctx.gated.has(p));
  if (modified.length > 0)
    return {
      why: `produced in a workspace where ${listed(modified)} differ from the checked-out commit: commit them, or produce the results from a clean checkout`,
    };
  return { hows: [`produced in the workspace at ${short(checkout)}`] };
}

/** Digests bind when each matches the head's content and they name every path in `mustName`. */
function digestBinding(digests: Record<string, string>, mustName: readonly string[], ctx: BindingContext): Binding {
  const named = Object.keys(digests);
  if (named.length === 0) return { bound: false, why: "carries an empty digests map, which binds it to nothing" };
  for (const [path, digest] of Object.entries(digests)) {
    const f = ctx.headFile(path);
    if (f.state !== "file")
      return {
        bound: false,
        why: `digest for ${path}, which ${f.state === "absent" ? "does not exist" : "cannot be read"} at head`,
      };
    const actual = sha256(f.text);
    if (actual !== digest) return { bound: false, why: `digest for ${path} does not match its content at head` };
  }
  const unnamed = mustName.filter((p) => !Object.hasOwn(digests, p));
  if (unnamed.length > 0)
    return {
      bound: false,
      why: `its digests do not name ${listed(unnamed)}, changed here at a tier that requires the suite: digests bind a result only to the files they name`,
    };
  return { bound: true, how: `digests of ${named.length} file(s)` };
}

/** Up to three paths, then how many more. */
function listed(paths: readonly string[]): string {
  return paths.slice(0, 3).join(", ") + (paths.length > 3 ? ` and ${paths.length - 3} more` : "");
}

/** A suite's result files, sorted: unusable (an error), not bound (not counted), or counted. */
function sortResults(
  suite: ResolvedSuite,
  mustName: readonly string[],
  ctx: BindingContext,
): { errors: string[]; notCounted: string[]; counted: Counted[]; files: number } {
  const files = own(ctx.evidence.results, suite.name) ?? [];
  const out = { errors: [] as string[], notCounted: [] as string[], counted: [] as Counted[], files: files.length };
  for (const file of files) {
    if (!file.content.ok) {
      out.errors.push(`${file.path}: ${file.content.reason}`);
      continue;
    }
    const parsed = parseResults(file.path, file.content.text, readOptions(suite));
    if (!parsed.ok) {
      out.errors.push(describeError(parsed.error));
      continue;
    }
    const named = parsed.value.suite;
    if (named !== undefined && named !== suite.name) {
      // Suites may share a results glob: a file that suite's glob also matches is judged there.
      const theirs = own(ctx.evidence.results, named) ?? [];
      if (theirs.some((f) => f.path === file.path)) continue;
      out.errors.push(`${file.path}: holds results for suite "${named}", not "${suite.name}"`);
      continue;
    }
    const trustCommitted = suite.config.trust_committed_results === true;
    const b = bindResult(file, parsed.value, { trustCommitted, mustName }, ctx);
    if (b.bound) out.counted.push({ path: file.path, set: parsed.value, binding: b.how });
    else out.notCounted.push(`${file.path}: ${b.why}`);
  }
  return out;
}

/** Judges one suite's results against its thresholds. */
export function evalRequirement(suite: ResolvedSuite, tiers: Tier[], ctx: BindingContext): Requirement {
  const cfg = suite.config;
  const req: Requirement = {
    kind: "eval",
    id: `eval:${suite.name}`,
    status: "met",
    tiers,
    summary: describeSuite(suite),
    detail: "",
  };
  const requiring = new Set(ctx.tiersRequiring(suite.name));
  const mustName = ctx.changes
    .filter((c) => c.status !== "deleted" && c.touches.some((t) => requiring.has(t)))
    .map((c) => c.path);
  const { errors, notCounted, counted, files } = sortResults(suite, mustName, ctx);
  const wanted = `results for suite ${suite.name} bound to ${short(ctx.head)} (${suite.results.join(", ")})`;
  if (errors.length > 0)
    return {
      ...req,
      status: "failed",
      path: errors[0]!.split(":")[0],
      detail: `cannot use result files: ${errors.join("; ")}`,
    };
  if (counted.length === 0) {
    const detail =
      files === 0
        ? `no result files match ${suite.results.join(", ")}; produce ${wanted}`
        : `none of the result files count (${notCounted.join("; ")}); produce ${wanted}`;
    return { ...req, status: "missing", detail };
  }
  const baseline = cfg.max_drop === undefined ? { rate: null } : baselineOf(suite, ctx);
  if ("error" in baseline)
    return { ...req, status: "failed", path: baseline.path, detail: `cannot use the baseline: ${baseline.error}` };
  const merged = mergeCases(counted.map((c) => ({ path: c.path, cases: c.set.cases })));
  if ("conflict" in merged)
    return { ...req, status: "failed", path: merged.path, detail: `cannot use result files: ${merged.conflict}` };
  const { cases } = merged;
  const failures = judge(
    suite,
    cases,
    counted.map((c) => c.set.metrics),
    baseline.rate,
  );
  const passed = cases.filter((c) => c.pass).length;
  const rate = cases.length ? passed / cases.length : 0;
  const found = `${passed}/${cases.length} passed (${pct(rate)}) from ${counted.map((c) => `${c.path} [${c.binding}]`).join(", ")}`;
  const ignored = notCounted.length ? `; not counted: ${notCounted.join("; ")}` : "";
  if (failures.length > 0) return { ...req, status: "failed", detail: `${failures.join("; ")} — ${found}${ignored}` };
  return { ...req, detail: `${found}${ignored}` };
}

function judge(
  suite: ResolvedSuite,
  cases: EvalCase[],
  metrics: Record<string, number>[],
  baseline: number | null,
): string[] {
  const cfg = suite.config;
  const out: string[] = [];
  const passed = cases.filter((c) => c.pass).length;
  const rate = cases.length ? passed / cases.length : 0;
  if (cfg.min_cases !== undefined && cases.length < cfg.min_cases)
    out.push(`${cases.length} cases, at least ${cfg.min_cases} needed`);
  if (cases.length === 0) out.push("no cases");
  if (cfg.min_pass_rate !== undefined && rate + 1e-12 < cfg.min_pass_rate) {
    out.push(`pass rate ${pct(rate)} is below ${pct(cfg.min_pass_rate)}`);
  }
  if (cfg.canaries) {
    const canaries = cases.filter((c) => c.tags.includes("canary"));
    const failed = canaries.filter((c) => !c.pass).map((c) => c.id);
    if (canaries.length === 0) out.push("no cases tagged canary (canaries: true needs at least one)");
    else if (failed.length) out.push(`canary cases failed: ${failed.join(", ")}`);
  }
  if (cfg.slices) {
    const { by, min_pass_rate } = cfg.slices;
    const groups = new Map<string, EvalCase[]>();
    for (const c of cases) {
      const key = c.slice[by];
      if (key === undefined) continue;
      pushTo(groups, key, c);
    }
    if (groups.size === 0) out.push(`no cases carry slice "${by}"`);
    for (const [key, list] of [...groups].sort(([a], [b]) => compareText(a, b))) {
      const r = list.filter((c) => c.pass).length / list.length;
      if (r + 1e-12 < min_pass_rate) out.push(`slice ${by}=${key}: pass rate ${pct(r)} is below ${pct(min_pass_rate)}`);
    }
  }
  for (const [name, bound] of Object.entries(cfg.metrics ?? {})) {
    const values = metrics.map((m) => own(m, name)).filter((v): v is number => typeof v === "number");
    if (values.length === 0) {
      out.push(`metric ${name} is not reported`);
      continue;
    }
    const worstHigh = Math.max(...values);
    const worstLow = Math.min(...values);
    if (bound.max !== undefined && worstHigh > bound.max)
      out.push(`metric ${name} = ${worstHigh} is above ${bound.max}`);
    if (bound.min !== undefined && worstLow < bound.min) out.push(`metric ${name} = ${worstLow} is below ${bound.min}`);
  }
  if (cfg.max_drop !== undefined && baseline !== null && baseline - rate > cfg.max_drop + 1e-12) {
    out.push(
      `pass rate dropped ${pct(baseline - rate)} from the baseline ${pct(baseline)} (at most ${pct(cfg.max_drop)})`,
    );
  }
  return out;
}

/**
 * The pass rate at the base, from the suite's baseline files. A baseline is the base's bar, so it
 * counts only when the change cannot have set it: tracked and untouched by the change, or carrying
 * the base's commit. A baseline the change adds, edits or removes, or one that cannot be read, is an
 * error (a pull request cannot lower its own bar), unless the suite trusts committed results.
 */
function baselineOf(
  suite: ResolvedSuite,
  ctx: BindingContext,
): { rate: number | null } | { error: string; path: string } {
  const trust = suite.config.trust_committed_results === true;
  const changed = own(ctx.evidence.changedBaselines, suite.name) ?? [];
  if (changed.length > 0 && !trust)
    return {
      path: changed[0]!,
      error: `${changed.join(", ")} ${changed.length > 1 ? "are" : "is"} changed by this pull request; the baseline must be the base's (set trust_committed_results: true to accept it)`,
    };
  const baseCommits = ctx.evidence.baseCommits ?? [];
  const sets: { path: string; cases: EvalCase[] }[] = [];
  for (const f of own(ctx.evidence.baselines, suite.name) ?? []) {
    if (!f.content.ok) return { path: f.path, error: `${f.path}: ${f.content.reason}` };
    const p = parseResults(f.path, f.content.text, readOptions(suite));
    if (!p.ok) return { path: f.path, error: describeError(p.error) };
    if (p.value.suite !== undefined && p.value.suite !== suite.name)
      return { path: f.path, error: `${f.path}: holds results for suite "${p.value.suite}", not "${suite.name}"` };
    const c = p.value.commit;
    const atBase = c !== undefined && namesOneOf(c, baseCommits);
    if (c !== undefined && !atBase)
      return {
        path: f.path,
        error: `${f.path}: bound to commit ${short(c)}, not the base ${short(baseCommits[0] ?? "")}`,
      };
    if (!atBase && !(f.tracked && (!f.committedInChange || trust)))
      return {
        path: f.path,
        error: `${f.path}: not tracked at the base and carries no commit, so nothing binds it to the base (add "commit": "${baseCommits[0] ?? "<base sha>"}")`,
      };
    sets.push({ path: f.path, cases: p.value.cases });
  }
  const merged = mergeCases(sets);
  if ("conflict" in merged) return { path: merged.path, error: merged.conflict };
  const { cases } = merged;
  if (cases.length === 0) return { rate: null };
  return { rate: cases.filter((c) => c.pass).length / cases.length };
}

/**
 * Merges cases from several files, whatever their order: a case id seen twice passes only if it
 * passed every time, carries every tag it was given, and sits in one slice — a case two files put
 * in different slices (of the same key) is an error, since either answer would be the files' order.
 */
function mergeCases(
  sets: readonly { path: string; cases: readonly EvalCase[] }[],
): { cases: EvalCase[] } | { conflict: string; path: string } {
  const byId = new Map<string, { merged: EvalCase; from: string }>();
  for (const { path, cases } of sets) {
    for (const c of cases) {
      const prev = byId.get(c.id);
      if (!prev) {
        byId.set(c.id, { merged: { ...c, tags: [...c.tags], slice: { ...c.slice } }, from: path });
        continue;
      }
      for (const [key, value] of Object.entries(c.slice)) {
        const had = own(prev.merged.slice, key);
        if (had !== undefined && had !== value)
          return {
            path,
            conflict: `case ${c.id} is in slice ${key}=${had} in ${prev.from} and ${key}=${value} in ${path}`,
          };
      }
      prev.merged = {
        ...prev.merged,
        pass: prev.merged.pass && c.pass,
        tags: [...new Set([...prev.merged.tags, ...c.tags])].sort(compareText),
        slice: { ...prev.merged.slice, ...c.slice },
      };
    }
  }
  return { cases: [...byId.values()].map((e) => e.merged) };
}

function describeSuite(suite: ResolvedSuite): string {
  const c = suite.config;
  const parts = [`suite ${suite.name}`];
  if (c.min_pass_rate !== undefined) parts.push(`pass rate ≥ ${pct(c.min_pass_rate)}`);
  if (c.min_cases !== undefined) parts.push(`≥ ${c.min_cases} cases`);
  if (c.canaries) parts.push("all canaries pass");
  if (c.slices) parts.push(`every ${c.slices.by} slice ≥ ${pct(c.slices.min_pass_rate)}`);
  for (const [m, b] of Object.entries(c.metrics ?? {})) {
    parts.push(`${m}${b.min !== undefined ? ` ≥ ${b.min}` : ""}${b.max !== undefined ? ` ≤ ${b.max}` : ""}`);
  }
  if (c.max_drop !== undefined) parts.push(`drop ≤ ${pct(c.max_drop)} from baseline`);
  return parts.join(", ");
}

function pct(x: number): string {
  return `${(Math.round(x * 10000) / 100).toString()}%`;
}

/** How a suite's result files are read. */
function readOptions(suite: ResolvedSuite): { passScore?: number } {
  return suite.config.pass_score === undefined ? {} : { passScore: suite.config.pass_score };
}
