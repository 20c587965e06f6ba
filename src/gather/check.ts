import { realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { baselinePolicy } from "../config/baseline.js";
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { globMatcher } from "../config/glob.js";
import { newMemo } from "../capability/analyze.js";
import { attemptDecision, type Decision } from "../decision/decide.js";
import type {
  ApprovalsEvidence,
  Change,
  DecisionInput,
  Evidence,
  FileState,
  ResultFileInput,
  Side,
} from "../decision/input.js";
import type { OfflineApprovals } from "../evidence/approvals-file.js";
import { Git, GitError, type RawChange } from "../git/git.js";
import { UsageError } from "./errors.js";
import { loadConfig, loadConfigFile } from "./config.js";
import { findResultFiles } from "./results.js";
import { pathsAtBase, RevisionReader } from "./revision.js";

export interface CheckOptions {
  /** Any folder inside the repository. */
  cwd: string;
  base: string;
  head: string;
  configPath?: string;
  /** A trial config read from this file on disk instead of the base revision. */
  configFile?: string;
  /** Folder the suites' `results` globs are relative to (default: the repository's top level). */
  resultsDir?: string;
  /** The reviews, or how to read them once the config is known (teams come from its groups). */
  approvals: OfflineApprovals | null | ((config: ResolvedConfig) => Promise<ApprovalsLoad>);
  approvalsError?: string;
  /** The commit approvals are judged against (a queued pull request's own head); default: the head. */
  approvalsHead?: string;
  /** Further commits results may be bound to (a pull request's merge commit). */
  extraAcceptedCommits?: string[];
  /** How the command line spelled the two revisions, for messages (default --base and --head). */
  flags?: { base: string; head: string };
  /** Skip reading results and reviews (release notes need only the capability changes). */
  skipEvidence?: boolean;
}

export interface ApprovalsLoad {
  approvals: OfflineApprovals | null;
  /** Why the reviews could not be read. */
  error?: string;
  teamErrors?: Record<string, string>;
}

export interface Gathered {
  input: DecisionInput;
  /** The config's blob id, for the decision record. */
  configBlob: string;
  decision: Decision;
  git: Git;
  top: string;
}

const MAX_ROUNDS = 8;

/** The shell around the core: reads two revisions and the evidence, then decides. */
export async function runCheck(opts: CheckOptions): Promise<Gathered> {
  const { git, top } = await openRepository(opts.cwd);
  const baseSha = await resolveRev(git, opts.base, opts.flags?.base ?? "--base");
  const headSha = await resolveRev(git, opts.head, opts.flags?.head ?? "--head");
  const loaded = opts.configFile
    ? loadConfigFile(resolve(opts.cwd, opts.configFile), top, opts.configPath, DEFAULT_CONFIG_PATH)
    : await loadConfig(git, opts.configPath ?? DEFAULT_CONFIG_PATH, baseSha, headSha, opts.cwd);
  const { config, source, blob: configBlob } = loaded;
  const configPath = config.path;

  // Every manifest and MCP config is listed and read at head, while the diff is taken: a path the
  // change did not touch reads the same at base, and the diff says how the base's listing differs.
  const blobs = new Map<string, FileState>(); // a blob the two revisions share is read once
  const head = new RevisionReader(git, headSha, blobs);
  // With no config at base the baseline applies too, and it sees what either policy gates.
  const listing = source === "head" ? resolveConfig(configPath, baselinePolicy(config.raw)) : config;
  const listed = Promise.all([head.list(listing.artifactGlobs.agent), head.list(listing.artifactGlobs.mcp)]);
  const manifestsRead = listed.then(([agents, mcp]) => head.readEntries([...mcp, ...agents]));

  const diffed = (async () => {
    // Artifacts are compared from where the head branched off the base, as a pull request shows them.
    const diffBase = (await git.mergeBase(baseSha, headSha)) ?? baseSha;
    const raw = await git.diffRaw(diffBase, headSha);
    const base = new RevisionReader(git, diffBase, blobs);
    const gatedByGlob = (p: string) => p === configPath || Object.values(listing.artifact).some((m) => m(p));
    await Promise.all([
      base.readEntries(
        raw
          .filter((c) => c.status !== "A" && gatedByGlob(c.oldPath))
          .map((c) => ({ path: c.oldPath, mode: c.oldMode, oid: c.oldOid })),
      ),
      head.readEntries(
        raw
          .filter((c) => c.status !== "D" && gatedByGlob(c.path))
          .map((c) => ({ path: c.path, mode: c.newMode, oid: c.newOid })),
      ),
    ]);
    const changes = raw.map(toChange);
    const evidence: Evidence = opts.skipEvidence
      ? {
          acceptedCommits: [headSha],
          checkout: null,
          results: {},
          baselines: {},
          approvals: null,
          baseCommits: [...new Set([diffBase, baseSha])],
        }
      : await gatherEvidence(git, top, opts, config, { head: headSha, base: baseSha, diffBase }, changes);
    return { diffBase, raw, base, changes, evidence };
  })();

  const [[headAgents, headMcp], , { diffBase, raw, base, changes, evidence }] = await Promise.all([
    listed,
    manifestsRead,
    diffed,
  ]);
  const readers: Record<Side, RevisionReader> = { base, head };
  const heads = (entries: readonly { path: string }[]) => entries.map((e) => e.path);
  const baseAgents = pathsAtBase(heads(headAgents), raw, listing.artifact.agent);
  const baseMcp = pathsAtBase(heads(headMcp), raw, listing.artifact.mcp);
  const input: DecisionInput = {
    config: { path: configPath, raw: config.raw, source, ...(loaded.file ? { file: loaded.file } : {}) },
    base: {
      sha: diffBase,
      files: readers.base.files,
      agents: baseAgents,
      mcpConfigs: baseMcp,
    },
    head: {
      sha: headSha,
      files: readers.head.files,
      agents: heads(headAgents),
      mcpConfigs: heads(headMcp),
    },
    changes,
    evidence,
  };
  const memo = newMemo();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const attempt = attemptDecision(input, memo);
    if (attempt.complete) return { input, configBlob, decision: attempt.decision, git, top };
    await Promise.all([readers.base.readPaths(attempt.missing.base), readers.head.readPaths(attempt.missing.head)]);
  }
  throw new Error(`the files the decision needs were still incomplete after ${MAX_ROUNDS} rounds of reading`);
}

export async function openRepository(cwd: string): Promise<{ git: Git; top: string }> {
  let top: string;
  try {
    top = await new Git(cwd).topLevel();
  } catch (e) {
    throw new UsageError(
      `${cwd} is not inside a git repository (${e instanceof GitError ? e.stderr || e.message : String(e)})`,
      "bad_input",
    );
  }
  return { git: new Git(top), top };
}

export async function resolveRev(git: Git, rev: string, flag: string): Promise<string> {
  const sha = await git.resolveCommit(rev);
  if (!sha) {
    const shallow = await git.isShallow().catch(() => false);
    throw new UsageError(
      `${flag} ${rev}: no such commit in this repository` +
        (shallow ? " (the clone is shallow: fetch more history, e.g. git fetch --unshallow)" : ""),
      "bad_revision",
    );
  }
  return sha;
}

/** Per suite, the baseline files (as its globs see them, relative to the results folder) a change touches. */
function changedBaselines(
  config: ResolvedConfig,
  changes: readonly Change[],
  toResults: (repoPath: string) => string | null,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
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

/** A path as the filesystem resolves it, or as given when it does not resolve. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `path` relative to `root`, `/`-separated, or null when it is not inside `root`. */
function pathInside(root: string, path: string): string | null {
  const rel = relative(root, path);
  return rel.startsWith("..") || isAbsolute(rel) ? null : rel.split(sep).join("/");
}

function toChange(c: RawChange): Change {
  const status = c.status === "A" ? "added" : c.status === "D" ? "deleted" : c.status === "R" ? "renamed" : "modified";
  return {
    path: c.path,
    oldPath: c.oldPath,
    status,
    contentChanged: c.oldOid !== c.newOid,
    headMode: status === "deleted" ? null : c.newMode,
  };
}

async function gatherEvidence(
  git: Git,
  top: string,
  opts: CheckOptions,
  config: ResolvedConfig,
  shas: { head: string; base: string; diffBase: string },
  changes: Change[],
): Promise<Evidence> {
  const headSha = shas.head;
  const resultsDir = resolve(opts.cwd, opts.resultsDir ?? top);
  // Added, edited, or moved into place by the change.
  const changedInHead = new Set(
    changes.filter((c) => c.status !== "deleted" && (c.contentChanged || c.path !== c.oldPath)).map((c) => c.path),
  );
  // Keyed by names users choose (suites), so with no prototype to collide with.
  const results: Record<string, ResultFileInput[]> = Object.create(null) as Record<string, ResultFileInput[]>;
  const baselines: Record<string, ResultFileInput[]> = Object.create(null) as Record<string, ResultFileInput[]>;
  // Paths are compared as the filesystem resolves them: a results folder reached through a
  // symbolic link is still inside the repository if that is where it leads.
  const realTop = realPath(top);
  const allFound: { suite: string; baseline: boolean; file: Awaited<ReturnType<typeof findResultFiles>>[number] }[] =
    [];
  for (const suite of config.suites.values()) {
    for (const file of await findResultFiles(resultsDir, suite.results))
      allFound.push({ suite: suite.name, baseline: false, file });
    for (const file of await findResultFiles(resultsDir, suite.baseline))
      allFound.push({ suite: suite.name, baseline: true, file });
  }
  const repoPaths = allFound.map((f) => pathInside(realTop, realPath(f.file.absolute)));
  const tracked = await git.committedAmong(headSha, [...new Set(repoPaths.filter((p): p is string => p !== null))]);
  allFound.forEach(({ suite, baseline, file }, i) => {
    const repoPath = repoPaths[i]!;
    const entry: ResultFileInput = {
      path: file.path,
      content: file.content,
      tracked: repoPath !== null && tracked.has(repoPath),
      inWorkspace: repoPath !== null,
      committedInChange: repoPath !== null && changedInHead.has(repoPath),
    };
    const target = baseline ? baselines : results;
    (target[suite] ??= []).push(entry);
  });

  let approvals: ApprovalsEvidence | null = null;
  const loaded: ApprovalsLoad =
    typeof opts.approvals === "function" ? await opts.approvals(config) : { approvals: opts.approvals };
  const approvalsHead = opts.approvalsHead ?? headSha;
  if (loaded.approvals) {
    const given = loaded.approvals;
    const reviewedCommits: Record<string, string[] | null> = Object.create(null) as Record<string, string[] | null>;
    const reviews = [];
    for (const r of given.reviews) {
      // A review counts only against a commit this repository has; abbreviations are resolved.
      let commitId = r.commitId;
      if (commitId && /^[0-9a-f]{7,64}$/i.test(commitId)) commitId = (await git.resolveCommit(commitId)) ?? commitId;
      reviews.push({ ...r, commitId });
      if (!commitId || commitId === approvalsHead || Object.hasOwn(reviewedCommits, commitId)) continue;
      const known = /^[0-9a-f]{40,64}$/.test(commitId) && (await git.resolveCommit(commitId)) === commitId;
      reviewedCommits[commitId] = known ? await git.changedPaths(commitId, approvalsHead) : null;
    }
    approvals = { author: given.author, reviews, teams: given.teams, reviewedCommits, approvedHead: approvalsHead };
    if (loaded.teamErrors) approvals.teamErrors = loaded.teamErrors;
  }
  const checkout = await git.resolveCommit("HEAD");
  // Untracked results are bound to the checkout only if the workspace holds the checkout's content.
  const realResults = realPath(resultsDir);
  const untrackedHere = repoPaths.some((p) => p !== null && !tracked.has(p));
  let checkoutModified: string[] | null = [];
  if (checkout && untrackedHere) checkoutModified = await git.modifiedInWorkspace().catch(() => null);
  const accepted = [headSha, ...(opts.extraAcceptedCommits ?? [])];
  // A checkout of the pull request's merge commit (the base merged with the head, as GitHub builds
  // refs/pull/N/merge) evaluates the head's changes too.
  if (checkout && !accepted.includes(checkout)) {
    const parents = await git.parents(checkout);
    if (parents.length === 2 && parents.includes(shas.base) && parents.includes(headSha)) accepted.push(checkout);
  }
  const evidence: Evidence = {
    acceptedCommits: accepted,
    checkout,
    checkoutModified,
    resultsRoot: pathInside(realTop, realResults),
    results,
    baselines,
    changedBaselines: changedBaselines(config, changes, (repoPath) =>
      pathInside(realResults, resolve(realTop, repoPath)),
    ),
    baseCommits: [...new Set([shas.diffBase, shas.base])],
    approvals,
  };
  const approvalsError = loaded.error ?? opts.approvalsError;
  if (approvalsError) evidence.approvalsError = approvalsError;
  return evidence;
}
