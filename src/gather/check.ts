import { resolve } from "node:path";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { newCache, type AnalysisCache } from "../analysis/analyze.js";
import { decide, policiesOf, type Decision } from "../decision/decide.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";
import { ObjectReader } from "../git/objects.js";
import type { Audit, ConfigInput, DecisionInput, Evidence, Snapshot } from "../input/types.js";
import { changeReads, digestPaths, reachReads, workspacePaths, type ChangeEntry } from "../plan/reads.js";
import { loadConfig, loadConfigFile, type LoadedConfig } from "./config.js";
import {
  approvalsOf,
  changedBaselines,
  findResults,
  pathInside,
  resultFiles,
  resultLookups,
  workspaceModified,
  type ApprovalsSource,
  type FoundResults,
} from "./evidence.js";
import { claudeRoots } from "../runtime/claude-code/loads.js";
import { changeEntryOf, listAt, pathsAtBase, runtimeLoadablesAt } from "./listing.js";
import { openAt, type OpenedAt } from "./open.js";
import { SnapshotBuilder } from "./snapshot.js";

export type { ApprovalsLoad, ApprovalsSource } from "./evidence.js";

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
  approvals: ApprovalsSource;
  /** The commit approvals are judged against (a queued pull request's own head); default: the head. */
  approvalsHead?: string;
  /** Further commits results may be bound to (a pull request's merge commit). */
  extraAcceptedCommits?: string[];
  /** How the command line spelled the two revisions, for messages (default --base and --head). */
  flags?: { base: string; head: string };
  /** Skip reading results and reviews (release notes need only the capability changes). */
  skipEvidence?: boolean;
  /** A push audit: how to read the check runs on the pushed commit's way in. */
  audit?: (head: string) => Promise<Audit>;
}

export interface Gathered {
  input: DecisionInput;
  /** The config's blob id, for the decision record. */
  configBlob: string;
  decision: Decision;
  git: Git;
  top: string;
}

/** The shell around the core: reads the two revisions and the evidence in named stages, then decides once. */
export async function runCheck(opts: CheckOptions): Promise<Gathered> {
  const cache = newCache();
  const { input, loaded, git, top } = await gatherInput(opts, cache);
  return { input, configBlob: loaded.blob, decision: decide(input, cache), git, top };
}

/** What opening the repository gives every stage after it. */
interface Opened {
  git: Git;
  objects: ObjectReader;
  top: string;
  baseSha: string;
  headSha: string;
  /** The merge base the change is compared from. */
  diffBase: string;
  loaded: LoadedConfig;
  config: ConfigInput;
  policies: ResolvedConfig[];
  /** What the workspace has checked out (the commit and its parents), if anything. */
  checkout: OpenedAt["checkout"];
}

/** The stages: open; the changes; what they reach; the workspace the evidence came from. */
export async function gatherInput(
  opts: CheckOptions,
  cache: AnalysisCache = newCache(),
): Promise<{ input: DecisionInput; loaded: LoadedConfig; git: Git; top: string }> {
  const flags = opts.flags ?? { base: "--base", head: "--head" };
  const at = await openAt(opts.cwd, [
    { rev: opts.base, flag: flags.base },
    { rev: opts.head, flag: flags.head },
  ]);
  const { git, top } = at;
  const objects = new ObjectReader(git);
  try {
    const o = await open(at, objects, opts);
    const evidence = opts.skipEvidence ? null : startEvidence(o, opts);
    const audit = opts.audit?.(o.headSha);
    const changed = await readChanges(o);
    const ev = evidence ? await evidence : null;
    const partial = ev?.evidence ?? noEvidence(o);
    const asked = partial.approvals.ok ? Object.values(partial.approvals.reviewedCommits).flatMap((p) => p ?? []) : [];
    const wanted = reachReads(
      { ...changed.snapshots(), changes: changed.changes, evidence: partial },
      o.policies,
      { asked, digests: ev ? digestPaths(ev.results.found.map((f) => f.file)) : [] },
      cache,
    );
    const lookups = ev ? resultLookups(ev.results) : [];
    const [atHead, index] = await Promise.all([
      readReached(o, changed, wanted, lookups),
      lookups.length ? git.indexEntries(lookups) : Promise.resolve([]),
    ]);
    const completed = ev ? ev.complete(index, atHead, changed.entries) : null;
    const input: DecisionInput = {
      config: o.config,
      ...changed.snapshots(),
      changes: changed.changes,
      evidence: completed?.evidence ?? partial,
    };
    // Untracked results vouch only for the checkout's own content of the paths that matter.
    if (completed && input.evidence.checkout && completed.untracked.length > 0)
      input.evidence.checkoutModified = await workspaceModified(
        git,
        workspacePaths(input, o.policies),
        completed.untracked,
      );
    if (audit) input.audit = await audit;
    return { input, loaded: o.loaded, git, top };
  } finally {
    objects.close();
  }
}

async function open(at: OpenedAt, objects: ObjectReader, opts: CheckOptions): Promise<Opened> {
  const { git, top, checkout } = at;
  const [baseSha, headSha] = at.commits as [string, string];
  const [diffBase, loaded] = await Promise.all([
    (at.mergeBase !== undefined ? Promise.resolve(at.mergeBase) : git.mergeBase(baseSha, headSha)).then(
      (m) => m ?? baseSha,
    ),
    opts.configFile
      ? loadConfigFile(resolve(opts.cwd, opts.configFile), top, opts.configPath, DEFAULT_CONFIG_PATH)
      : loadConfig(objects, opts.configPath ?? DEFAULT_CONFIG_PATH, baseSha, headSha, { top, cwd: opts.cwd }),
  ]);
  const config: ConfigInput = {
    path: loaded.config.path,
    raw: loaded.config.raw,
    source: loaded.source,
    ...(loaded.file ? { file: loaded.file } : {}),
  };
  return { git, objects, top, baseSha, headSha, diffBase, loaded, config, policies: policiesOf(config), checkout };
}

/** What stage 1 read, and the snapshots as they stand. */
interface Changed {
  raw: RawChange[];
  entries: ChangeEntry[];
  changes: DecisionInput["changes"];
  snap: SnapshotBuilder;
  snapshots(): { base: Snapshot; head: Snapshot };
}

/** Stage 1, the changes: the diff, every agent manifest and MCP config at head, the changed artifacts. */
async function readChanges(o: Opened): Promise<Changed> {
  const globs = (kind: "agent" | "mcp") => [...new Set(o.policies.flatMap((p) => p.artifactGlobs[kind]))];
  const [raw, { agent: agents, mcp }] = await Promise.all([
    o.git.diffRaw(o.diffBase, o.headSha),
    listAt(o.git, o.headSha, { agent: globs("agent"), mcp: globs("mcp") }),
  ]);
  const entries = raw.map(changeEntryOf);
  const snap = new SnapshotBuilder(o.objects);
  snap.recordAbsences(entries);
  const planned = changeReads(entries, o.policies);
  const inAny = (kind: "agent" | "mcp") => (p: string) => o.policies.some((c) => c.artifact[kind](p));
  const headAgents = agents.map((a) => a.path);
  const headMcp = mcp.map((m) => m.path);
  const baseAgents = pathsAtBase(headAgents, raw, inAny("agent"));
  const baseMcp = pathsAtBase(headMcp, raw, inAny("mcp"));
  const roots = { head: claudeRoots(headAgents, o.policies), base: claudeRoots(baseAgents, o.policies) };
  const [, loadable] = await Promise.all([
    snap.read([...[...mcp, ...agents].map((entry) => ({ side: "head" as const, entry })), ...planned.entries]),
    runtimeLoadablesAt(o.git, o.headSha, roots, raw),
  ]);
  await snap.readAtHead(o.headSha, planned.candidates, (paths) => o.git.lsTree(o.headSha, paths));
  const { skills, commands } = loadable;
  return {
    raw,
    entries,
    changes: entries.map((c) => c.change),
    snap,
    snapshots: () => ({
      base: snap.snapshot("base", o.diffBase, baseAgents, baseMcp, { skills: skills.base, commands: commands.base }),
      head: snap.snapshot("head", o.headSha, headAgents, headMcp, { skills: skills.head, commands: commands.head }),
    }),
  };
}

/**
 * Stage 2, what the changes reach: a path the diff names is read from its entries at both
 * revisions; any other path by a listing at head (so its mode is known), together with the result
 * files and the folders above them (committed? in a submodule?). Returns what was listed of those.
 */
async function readReached(
  o: Opened,
  changed: Changed,
  wanted: readonly string[],
  resultPaths: readonly string[],
): Promise<TreeEntry[]> {
  const byPath = new Map<string, ChangeEntry>();
  for (const c of changed.entries) for (const p of [c.change.path, c.change.oldPath]) byPath.set(p, c);
  const inDiff = wanted.filter((p) => byPath.has(p));
  const elsewhere = wanted.filter((p) => !byPath.has(p));
  const listed =
    elsewhere.length || resultPaths.length ? await o.git.lsTree(o.headSha, [...elsewhere, ...resultPaths]) : [];
  await changed.snap.read(
    inDiff.flatMap((p) => {
      const c = byPath.get(p)!;
      return [
        ...(c.base?.path === p ? [{ side: "base" as const, entry: c.base }] : []),
        ...(c.head?.path === p ? [{ side: "head" as const, entry: c.head }] : []),
      ];
    }),
  );
  await changed.snap.readListed(elsewhere, listed);
  const results = new Set(resultPaths);
  return listed.filter((e) => results.has(e.path));
}

/** The evidence of a decision made without results and reviews. */
function noEvidence(o: Opened): Evidence {
  return {
    acceptedCommits: [o.headSha],
    checkout: null,
    results: {},
    baselines: {},
    approvals: { ok: false, why: "no reviews were read" },
    baseCommits: [...new Set([o.diffBase, o.baseSha])],
  };
}

/** The evidence as read while the revisions are read; what needs stage 2 (committed results) is completed after it. */
interface Started {
  results: FoundResults;
  evidence: Evidence;
  complete(
    index: readonly { path: string; mode: string }[],
    atHead: readonly TreeEntry[],
    entries: readonly ChangeEntry[],
  ): { evidence: Evidence; untracked: string[] };
}

async function startEvidence(o: Opened, opts: CheckOptions): Promise<Started> {
  const config = o.policies[0]!;
  const resultsDir = resolve(opts.cwd, opts.resultsDir ?? o.top);
  const approvedHead = opts.approvalsHead ?? o.headSha;
  const checkout = o.checkout;
  const [results, approvals] = await Promise.all([
    findResults(o.top, resultsDir, config),
    approvalsOf(o.git, opts.approvals, config, approvedHead),
  ]);
  const accepted = [o.headSha, ...(opts.extraAcceptedCommits ?? [])];
  // A checkout of the pull request's merge commit (the base merged with the head, as GitHub builds
  // refs/pull/N/merge) evaluates the head's changes too.
  const parents = checkout?.parents ?? [];
  if (checkout && !accepted.includes(checkout.sha) && parents.length === 2)
    if (parents.includes(o.baseSha) && parents.includes(o.headSha)) accepted.push(checkout.sha);
  const evidence: Evidence = {
    acceptedCommits: accepted,
    checkout: checkout?.sha ?? null,
    checkoutModified: [],
    resultsRoot: pathInside(results.realTop, results.realResults),
    results: {},
    baselines: {},
    baseCommits: [...new Set([o.diffBase, o.baseSha])],
    approvals,
  };
  return {
    results,
    evidence,
    complete(index, atHead, entries) {
      const changes = entries.map((c) => c.change);
      const files = resultFiles(results, index, atHead, changes);
      return {
        evidence: {
          ...evidence,
          results: files.results,
          baselines: files.baselines,
          changedBaselines: changedBaselines(config, changes, results),
        },
        untracked: files.untracked,
      };
    },
  };
}
