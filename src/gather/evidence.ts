import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ancestors } from "../common/paths.js";
import { globMatcher } from "../config/glob.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { OfflineApprovals } from "../evidence/approvals-file.js";
import type { Git, TreeEntry } from "../git/git.js";
import type { Approvals, Change, ResultFile } from "../input/types.js";
import { findResultFiles, type FoundFile } from "./results.js";
import { isObjectId } from "../common/ids.js";

/** Where the reviews come from: given (a file), not at hand (why), or read once the config is known. */
export type ApprovalsSource =
  | { kind: "given"; approvals: OfflineApprovals }
  | { kind: "none"; why: string }
  | {
      kind: "load";
      /** `teams`: further `@org/team`s whose members are needed (those CODEOWNERS names). */
      load: (config: ResolvedConfig, teams: readonly string[]) => Promise<ApprovalsLoad>;
    };

export type ApprovalsLoad =
  { ok: true; approvals: OfflineApprovals; teamErrors?: Record<string, string> } | { ok: false; why: string };

/** The result and baseline files the suites' globs find, before git says which are committed. */
export interface FoundResults {
  /** The results folder and the repository, as the filesystem resolves them. */
  realTop: string;
  realResults: string;
  found: { suite: string; baseline: boolean; file: FoundFile; repoPath: string | null }[];
}

/** Finds every suite's result and baseline files (the filesystem only; git comes later). */
export async function findResults(top: string, resultsDir: string, config: ResolvedConfig): Promise<FoundResults> {
  // Paths are compared as the filesystem resolves them: a results folder reached through a
  // symbolic link is still inside the repository if that is where it leads.
  const realTop = realPath(top);
  const found: FoundResults["found"] = [];
  for (const suite of config.suites.values()) {
    for (const [baseline, globs] of [
      [false, suite.results],
      [true, suite.baseline],
    ] as const)
      for (const file of await findResultFiles(resultsDir, globs))
        found.push({ suite: suite.name, baseline, file, repoPath: pathInside(realTop, realPath(file.absolute)) });
  }
  return { realTop, realResults: realPath(resultsDir), found };
}

/** The repository paths of found result files. */
export function resultPaths(results: FoundResults): string[] {
  return [...new Set(results.found.flatMap((f) => (f.repoPath === null ? [] : [f.repoPath])))];
}

/** The repository paths of found result files, and the folders above them (a submodule among them?). */
export function resultLookups(results: FoundResults): string[] {
  return [...new Set(resultPaths(results).flatMap((p) => [p, ...ancestors(p)]))];
}

/** A path the checked-out commit holds, with its mode (160000: a submodule). */
export interface IndexEntry {
  path: string;
  mode: string;
}

/**
 * Which found result files are committed rather than produced: in the checked-out commit's tree
 * (`index`: what a fresh checkout's index holds) or the head's, or inside a submodule of either.
 * `index` and `atHead` are what git listed for `resultLookups`.
 */
export function resultFiles(
  results: FoundResults,
  index: readonly IndexEntry[],
  atHead: readonly TreeEntry[],
  changes: readonly Change[],
): { results: Record<string, ResultFile[]>; baselines: Record<string, ResultFile[]>; untracked: string[] } {
  const committed = new Set([
    ...index.filter((e) => e.mode !== "160000").map((e) => e.path),
    ...atHead.filter((e) => e.type === "blob").map((e) => e.path),
  ]);
  const submodules = new Set([
    ...index.filter((e) => e.mode === "160000").map((e) => e.path),
    ...atHead.filter((e) => e.type === "commit").map((e) => e.path),
  ]);
  const isCommitted = (p: string) => committed.has(p) || ancestors(p).some((d) => submodules.has(d));
  // Added, edited, or moved into place by the change.
  const changedInHead = new Set(
    changes.filter((c) => c.status !== "deleted" && (c.contentChanged || c.path !== c.oldPath)).map((c) => c.path),
  );
  // Keyed by names users choose (suites), so with no prototype to collide with.
  const out = {
    results: Object.create(null) as Record<string, ResultFile[]>,
    baselines: Object.create(null) as Record<string, ResultFile[]>,
    untracked: [] as string[],
  };
  for (const { suite, baseline, file, repoPath } of results.found) {
    const tracked = repoPath !== null && isCommitted(repoPath);
    if (repoPath !== null && !tracked) out.untracked.push(repoPath);
    (baseline ? out.baselines : out.results)[suite] ??= [];
    (baseline ? out.baselines : out.results)[suite]!.push({
      path: file.path,
      content: file.content,
      tracked,
      inWorkspace: repoPath !== null,
      committedInChange: repoPath !== null && changedInHead.has(repoPath),
    });
  }
  return out;
}

/** Per suite, the baseline files (as its globs see them, relative to the results folder) a change touches. */
export function changedBaselines(
  config: ResolvedConfig,
  changes: readonly Change[],
  results: FoundResults,
): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const toResults = (repoPath: string) => pathInside(results.realResults, resolve(results.realTop, repoPath));
  for (const suite of config.suites.values()) {
    if (suite.baseline.length === 0) continue;
    const match = globMatcher(suite.baseline);
    const hits = new Set<string>();
    for (const c of changes) {
      if (!c.contentChanged && c.path === c.oldPath) continue;
      for (const p of new Set([c.path, c.oldPath])) {
        const rel = toResults(p);
        if (rel !== null && match(rel)) hits.add(rel);
      }
    }
    if (hits.size > 0) out[suite.name] = [...hits].sort();
  }
  return out;
}

/**
 * The pull request's reviews: a review counts only against a commit this repository has
 * (abbreviations resolved), and what changed since each reviewed commit is listed.
 */
export async function approvalsOf(
  git: Git,
  source: ApprovalsSource,
  config: ResolvedConfig,
  approvedHead: string,
  teams: readonly string[] = [],
): Promise<Approvals> {
  const loaded: ApprovalsLoad =
    source.kind === "given"
      ? { ok: true, approvals: source.approvals }
      : source.kind === "none"
        ? { ok: false, why: source.why }
        : await source.load(config, teams);
  if (!loaded.ok) return { ok: false, why: loaded.why };
  const given = loaded.approvals;
  const reviewedCommits: Record<string, string[] | null> = Object.create(null) as Record<string, string[] | null>;
  const reviews = [];
  for (const r of given.reviews) {
    let commitId = r.commitId;
    if (commitId && /^[0-9a-f]{7,64}$/i.test(commitId)) commitId = (await git.resolveCommit(commitId)) ?? commitId;
    reviews.push({ ...r, commitId });
    if (!commitId || commitId === approvedHead || Object.hasOwn(reviewedCommits, commitId)) continue;
    const known = isObjectId(commitId) && (await git.resolveCommit(commitId)) === commitId;
    reviewedCommits[commitId] = known ? await git.changedPaths(commitId, approvedHead) : null;
  }
  return {
    ok: true,
    author: given.author,
    reviews,
    teams: given.teams,
    reviewedCommits,
    approvedHead,
    ...(loaded.teamErrors ? { teamErrors: loaded.teamErrors } : {}),
  };
}

/** A path as the filesystem resolves it, or as given when it does not resolve. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `path` relative to `root`, `/`-separated, or null when it is not inside `root`. */
export function pathInside(root: string, path: string): string | null {
  const rel = relative(root, path);
  return rel.startsWith("..") || isAbsolute(rel) ? null : rel.split(sep).join("/");
}
