import { posix, resolve } from "node:path";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { newCache, type AnalysisCache } from "../analysis/analyze.js";
import { decide, policiesOf, type Decision } from "../decision/decide.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";
import { isUnresolved, ObjectReader } from "../git/objects.js";
import { decodeText, MAX_ARTIFACT_BYTES } from "./blob.js";
import { RevisionTree, TreeAcrossDiff, type TreeListing } from "../git/trees.js";
import { deepenToMergeBase } from "../git/fetch.js";
import { UsageError } from "../common/errors.js";
import { short } from "../common/ids.js";
import { ancestors, hasBaseName } from "../common/paths.js";
import { skillFileCandidates } from "../change/classify.js";
import type { Audit, ConfigInput, DecisionInput, Evidence, Snapshot } from "../input/types.js";
import {
  changeReads,
  digestPaths,
  reachReads,
  skillFolders,
  tierFiles,
  workspaceFolders,
  workspacePaths,
  type ChangeEntry,
} from "../plan/reads.js";
import {
  loadConfig,
  loadConfigFile,
  loadPolicy,
  noPolicyReader,
  readCodeowners,
  type LoadedConfig,
  type PolicyReader,
} from "./config.js";
import { codeownersTeams } from "../config/codeowners.js";
import {
  approvalsOf,
  changedBaselines,
  findResults,
  pathInside,
  resultFiles,
  resultLookups,
  resultPaths,
  type ApprovalsSource,
  type FoundResults,
  type IndexEntry,
} from "./evidence.js";
import { AGENT_SOURCES } from "../config/schema.js";
import type { Loads } from "../input/types.js";
import { loadedPaths, loadsRecord, manifestsAhead, nestedPlaces, placesAhead } from "../runtime/discover.js";
import type { PlacesConfig } from "../runtime/places.js";
import { changeEntryOf, listAt, pathsAtBase } from "./listing.js";
import { globBases } from "../config/glob.js";
import { loadedChanges, loadedEntries, loadsAt, throughLinks } from "./loads.js";
import { openAt, type OpenedAt } from "./open.js";
import { SnapshotBuilder } from "./snapshot.js";
import { WorkspaceCheck } from "./workspace.js";

export type { ApprovalsLoad, ApprovalsSource } from "./evidence.js";

export interface CheckOptions {
  /** Any folder inside the repository. */
  cwd: string;
  base: string;
  head: string;
  configPath?: string;
  /** A trial config read from this file on disk instead of the base revision. */
  configFile?: string;
  /**
   * The central policy to apply as well (the action's `policy` input), and how to read one: the
   * action through the API, the CLI from disk. A config's `extends:` names one too.
   */
  policy?: { ref?: string; file?: string; read: PolicyReader };
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
  /** Where progress is said (the action's log); the CLI says nothing while it works. */
  log?: (message: string) => void;
  /** A push audit: how to read the check runs on the pushed commit's way in. */
  audit?: (head: string) => Promise<Audit>;
}

export interface Gathered {
  input: DecisionInput;
  /** The config's blob id, for the decision record. */
  configBlob: string;
  /** A committed config's text, as read (SARIF finds its lines in it). */
  configText: string | null;
  decision: Decision;
  git: Git;
  top: string;
}

/** The shell around the core: reads the two revisions and the evidence in named stages, then decides once. */
export async function runCheck(opts: CheckOptions): Promise<Gathered> {
  const cache = newCache();
  const { input, loaded, git, top } = await gatherInput(opts, cache);
  return { input, configBlob: loaded.blob, configText: loaded.text ?? null, decision: decide(input, cache), git, top };
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
  /** The diff from the merge base to head, and head's tree: both asked of git while the config is read. */
  diff: Promise<RawChange[]>;
  headTree: RevisionTree;
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
  let workspace: WorkspaceCheck | null = null;
  try {
    const o = await open(at, objects, opts);
    const found = opts.skipEvidence ? null : await findResults(o.top, resultsDirOf(o, opts), o.policies[0]!);
    const evidence = found ? startEvidence(o, opts, found) : null;
    workspace = found ? workspaceOf(o, found) : null;
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
    const lookups = ev ? resultPaths(ev.results) : [];
    if (workspace) o.headTree.alsoWalk(skillFoldersAhead(changed, wanted, asked));
    const atHead = await readReached(o, changed, wanted, lookups);
    // Committed results are those of the checked-out commit (head's, or a merge commit's of it).
    const checkout = o.checkout?.sha ?? null;
    const atCheckout =
      checkout === o.headSha || !ev || !lookups.length ? atHead : await checkoutLookups(git, checkout, ev.results);
    const completed = ev ? ev.complete(atCheckout, atHead, changed.entries) : null;
    const input: DecisionInput = {
      config: o.config,
      ...changed.snapshots(),
      changes: changed.changes,
      evidence: completed?.evidence ?? partial,
      ...(ev?.codeowners !== undefined ? { codeowners: ev.codeowners } : {}),
    };
    // Untracked results vouch only for the checkout's own content of the paths that matter.
    if (workspace && completed && completed.untracked.length > 0) {
      workspace.add(workspacePaths(input, o.policies));
      input.evidence.checkoutModified = await workspace.modified();
    }
    if (audit) input.audit = await audit;
    return { input, loaded: o.loaded, git, top };
  } finally {
    workspace?.close();
    objects.close();
  }
}

/**
 * The comparison of the working tree with the checkout, when result files were found in the
 * repository (they may turn out committed, and then it is not asked), started at the artifacts'
 * folders so that git hashes them while the revisions are read. The checkout's tree is head's
 * listing — its folders listed in the same walk as the places runtimes load from — or, for a merge
 * commit (a pull request's `refs/pull/N/merge`), that listing with the diff to head undone.
 */
function workspaceOf(o: Opened, found: FoundResults): WorkspaceCheck | null {
  const inRepository = found.found.flatMap((f) => (f.repoPath !== null ? [f.repoPath] : []));
  if (!o.checkout || inRepository.length === 0) return null;
  const folders = workspaceFolders(o.policies);
  let tree: TreeListing = o.headTree;
  if (o.checkout.sha !== o.headSha) {
    const diff = o.git.diffRaw(o.checkout.sha, o.headSha);
    diff.catch(() => undefined);
    tree = new TreeAcrossDiff(o.headTree, o.checkout.sha, diff);
  }
  const check = new WorkspaceCheck(o.git, o.objects, tree, new Set(inRepository));
  // Head's own walk answers for a checkout of head; a merge commit's undoes the diff on it.
  const walked = o.headTree.whenWalked(folders);
  check.add(folders, tree === o.headTree ? walked : walked.then(() => tree.walk(folders)));
  return check;
}

/**
 * The skill folders the workspace's comparison will walk, as far as they are known before what
 * the changes reach is read: those read so far, and those of the skills the reached agents name.
 * Listed with what the changes reach, they cost git no listing of their own. A `SKILL.md` looked
 * for above a path the reviews ask about is a guess, often a large folder holding none: its
 * folder is walked only once the file is found.
 */
function skillFoldersAhead(changed: Changed, wanted: readonly string[], asked: readonly string[]): string[] {
  const guesses = new Set(asked.flatMap((p) => skillFileCandidates(p)));
  const named = wanted.filter((p) => hasBaseName(p, "SKILL.md") && p.includes("/") && !guesses.has(p));
  return [...new Set([...skillFolders(changed.snap.head), ...named.map((p) => posix.dirname(p))])];
}

/** Where result files are looked for: the results folder given, else the repository's top. */
function resultsDirOf(o: Opened, opts: CheckOptions): string {
  return resolve(opts.cwd, opts.resultsDir ?? o.top);
}

/** The checked-out commit's entries at the result files and the folders above them; none without a checkout. */
async function checkoutLookups(git: Git, checkout: string | null, results: FoundResults): Promise<TreeEntry[]> {
  return checkout ? git.lsTree(checkout, resultLookups(results)) : [];
}

async function open(at: OpenedAt, objects: ObjectReader, opts: CheckOptions): Promise<Opened> {
  const { git, top, checkout } = at;
  const [baseSha, headSha] = at.commits as [string, string];
  const mergeBase = (at.mergeBase !== undefined ? Promise.resolve(at.mergeBase) : git.mergeBase(baseSha, headSha)).then(
    async (m) => m ?? (await shallowMergeBase(git, baseSha, headSha, opts.log ?? (() => undefined))) ?? baseSha,
  );
  // Started now, needed later: what fails is said where it is awaited.
  const diff = mergeBase.then((b) => git.diffRaw(b, headSha));
  const headTree = new RevisionTree(git, headSha);
  for (const early of [diff, headTree.top()]) early.catch(() => undefined);
  const [diffBase, loaded] = await Promise.all([
    mergeBase,
    opts.configFile
      ? loadConfigFile(resolve(opts.cwd, opts.configFile), top, opts.configPath, DEFAULT_CONFIG_PATH)
      : loadConfig(objects, opts.configPath ?? DEFAULT_CONFIG_PATH, baseSha, headSha, { top, cwd: opts.cwd }),
  ]);
  const ref = opts.policy?.ref ?? loaded.config.raw.extends ?? opts.policy?.file;
  const policy = ref ? await loadPolicy(ref, opts.policy?.read ?? noPolicyReader, top) : undefined;
  const config: ConfigInput = {
    path: loaded.config.path,
    raw: loaded.config.raw,
    source: loaded.source,
    ...(loaded.file ? { file: loaded.file } : {}),
    ...(policy ? { policy } : {}),
  };
  const policies = policiesOf(config);
  return { git, objects, top, baseSha, headSha, diffBase, loaded, config, policies, checkout, diff, headTree };
}

/**
 * The merge base a shallow clone lacks, found as the action finds it: deepening from origin a
 * bounded number of times. Never the wrong range: a clone that cannot be deepened enough is bad
 * usage naming the fetch that fixes it. Unrelated histories (a full clone with no merge base) are
 * compared from the base itself.
 */
async function shallowMergeBase(
  git: Git,
  base: string,
  head: string,
  log: (m: string) => void,
): Promise<string | null> {
  if (!(await git.isShallow())) return null;
  const fix = `fetch the history that holds it (git fetch --deepen=1000 origin, or git fetch --unshallow)`;
  const found = await deepenToMergeBase(git, base, head, log, fix);
  if (found) return found;
  throw new UsageError(
    `the clone is shallow and holds no merge base of ${short(base)} and ${short(head)}, so what the change is cannot be told; ${fix}`,
    "bad_revision",
  );
}

/** What stage 1 read, and the snapshots as they stand. */
interface Changed {
  raw: RawChange[];
  entries: ChangeEntry[];
  changes: DecisionInput["changes"];
  snap: SnapshotBuilder;
  snapshots(): { base: Snapshot; head: Snapshot };
}

/**
 * Stage 1, the changes: the diff; what every runtime loads at both revisions, listed as a checkout
 * shows it (with the changes a checkout shows through links that the diff does not name); every
 * capgate manifest at head; and the changed artifacts at both revisions.
 */
async function readChanges(o: Opened): Promise<Changed> {
  const unite = (pick: (c: ResolvedConfig) => readonly string[]) => [...new Set(o.policies.flatMap(pick))];
  const places: PlacesConfig = {
    agentGlobs: Object.fromEntries(
      AGENT_SOURCES.map((s) => [s, unite((c) => c.agentGlobs[s])]),
    ) as unknown as PlacesConfig["agentGlobs"],
    mcpGlobs: unite((c) => c.artifactGlobs.mcp),
  };
  // Head is listed by git once per place, in the same walk as the places runtimes load from: its
  // capgate manifests' folders, the files the tiers require, and the folders the runtimes will
  // most likely ask for; the merge base is that listing with the diff undone.
  const manifestGlobs = unite((c) => c.agentGlobs.capgate);
  // In a partial clone a manifest not checked out would be fetched on its own to be read ahead (a
  // round trip to the remote for one blob): there it is read with the rest, in a batched fetch.
  const top = await o.headTree.top();
  const ahead = placesAhead(top, await textsAt(o.objects, o.headSha, o.git.partial ? [] : manifestsAhead(top)));
  const head = o.headTree.alsoWalk([...globBases(manifestGlobs), ...unite(tierFiles), ...ahead]);
  const trees = { base: new TreeAcrossDiff(head, o.diffBase, o.diff), head };
  const [raw, first] = await Promise.all([o.diff, loadsAt(o.git, o.objects, trees, places)]);
  const { agent: manifests } = await listAt(head, { agent: manifestGlobs });
  // A `.claude` folder below the top that the change touches is listed too (rarely: then once more).
  const nested = nestedPlaces(raw.flatMap((c) => [c.path, c.oldPath]));
  const loads = nested.length ? await loadsAt(o.git, o.objects, trees, { ...places, nested }) : first;
  const entries = [...raw.map(changeEntryOf), ...loadedChanges(loads.base.listing, loads.head.listing, raw)];
  const snap = new SnapshotBuilder(o.objects, { base: o.diffBase, head: o.headSha });
  snap.recordAbsences(entries);
  const loaded = throughLinks(
    [...loadedPaths(loads.base.found), ...loadedPaths(loads.head.found)],
    [loads.base.listing, loads.head.listing],
  );
  const planned = changeReads(entries, o.policies, (p) => loaded.has(p));
  const isManifest = (p: string) => o.policies.some((c) => c.agentSource(p) === "capgate" && c.artifact.agent(p));
  const headManifests = manifests.map((a) => a.path);
  const baseManifests = pathsAtBase(headManifests, raw, isManifest);
  const records = {
    base: withPrompts(loadsRecord(loads.base.listing, loads.base.found), entries, o.policies, "base"),
    head: withPrompts(loadsRecord(loads.head.listing, loads.head.found), entries, o.policies, "head"),
  };
  for (const side of ["base", "head"] as const) snap.recordUnseen(side, loads[side].listing.unseen);
  await snap.read([
    ...manifests.map((entry) => ({ side: "head" as const, entry })),
    ...loadedEntries(loads.base, "base"),
    ...loadedEntries(loads.head, "head"),
    ...planned.entries,
  ]);
  await snap.readAtHead(o.headSha, planned.candidates, (paths) => head.lookup(paths));
  rememberAtHead(head, raw, planned.candidates, snap);
  const snapshot = (side: "base" | "head", sha: string, capgate: string[]) => {
    const found = loads[side].found;
    const agents = [...new Set([...capgate, ...Object.keys(records[side].agents)])].sort();
    return snap.snapshot(
      side,
      sha,
      agents,
      records[side].mcpConfigs,
      { skills: found.skills, commands: found.commands },
      records[side],
    );
  };
  return {
    raw,
    entries,
    changes: entries.map((c) => c.change),
    snap,
    snapshots: () => ({
      base: snapshot("base", o.diffBase, baseManifests),
      head: snapshot("head", o.headSha, headManifests),
    }),
  };
}

/**
 * The text of files at a revision, by path, in one round of `cat-file` (two with their ids): null
 * for a path that holds no file, a file over the size limit, or no text.
 */
async function textsAt(
  objects: ObjectReader,
  rev: string,
  paths: readonly string[],
): Promise<(path: string) => string | null> {
  if (paths.length === 0) return () => null;
  const infos = await objects.info(paths.map((p) => `${rev}:${p}`));
  const blobs = new Map<string, string>();
  for (const p of paths) {
    const info = infos.get(`${rev}:${p}`);
    if (info && !isUnresolved(info) && info.type === "blob" && info.size <= MAX_ARTIFACT_BYTES) blobs.set(p, info.oid);
  }
  const contents = await objects.contents([...blobs.values()]);
  const texts = new Map<string, string>();
  for (const [p, oid] of blobs) {
    const bytes = contents.get(oid);
    const text = bytes ? decodeText(bytes) : null;
    if (text?.ok) texts.set(p, text.text);
  }
  return (path) => texts.get(path) ?? null;
}

/**
 * What head holds at single paths, kept for the workspace's comparison (which then asks git for
 * no listing of them): what the diff says, and the skill files found missing by name — nothing
 * there even through a link, so no entry in the tree either.
 */
function rememberAtHead(head: RevisionTree, raw: readonly RawChange[], candidates: string[], snap: SnapshotBuilder) {
  head.rememberDiff(raw);
  head.remember(
    [],
    candidates.filter((p) => snap.head.get(p)?.state === "absent"),
  );
}

/**
 * A prompt file the change touches is an agent when it binds tools (PRODUCT §2b): recorded as
 * one at each revision it is there, by the prompt globs of any policy (a runtime's own file, such
 * as a Copilot prompt file, stays its runtime's).
 */
function withPrompts(
  loads: Loads,
  entries: readonly ChangeEntry[],
  policies: readonly ResolvedConfig[],
  side: "base" | "head",
): Loads {
  const agents = { ...loads.agents };
  for (const c of entries) {
    const e = side === "base" ? c.base : c.head;
    if (!e || Object.hasOwn(agents, e.path)) continue;
    if (policies.some((p) => p.artifact.prompt(e.path) && !p.artifact.agent(e.path)))
      agents[e.path] = { source: "prompt" };
  }
  return { ...loads, agents };
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
  const listed = await o.headTree.lookup([...elsewhere, ...resultPaths]);
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
  return resultEntriesAt(o.headTree, listed, resultPaths);
}

/**
 * Head's entries at the result files, from its listing of them, and any submodule above them: a
 * folder on the way is in the listing; what is above and is no folder is asked of what head's
 * tree already knows, else of git.
 */
async function resultEntriesAt(
  head: RevisionTree,
  listed: readonly TreeEntry[],
  resultPaths: readonly string[],
): Promise<TreeEntry[]> {
  const files = new Set(resultPaths);
  const shown = new Set(listed.map((e) => e.path));
  const above = [...new Set(resultPaths.flatMap((p) => ancestors(p)))].filter((a) => !shown.has(a));
  return [...listed.filter((e) => files.has(e.path)), ...(await head.leaves(above))];
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
  /** CODEOWNERS at base, when a policy's group is `codeowners`. */
  codeowners?: { path: string; text: string } | null;
  complete(
    index: readonly IndexEntry[],
    atHead: readonly TreeEntry[],
    entries: readonly ChangeEntry[],
  ): { evidence: Evidence; untracked: string[] };
}

async function startEvidence(o: Opened, opts: CheckOptions, results: FoundResults): Promise<Started> {
  const config = o.policies[0]!;
  const approvedHead = opts.approvalsHead ?? o.headSha;
  const checkout = o.checkout;
  // CODEOWNERS is read at base: one the pull request changes does not give it its owners.
  const codeowners = o.policies.some((p) => p.codeowners.size > 0)
    ? await readCodeowners(o.objects, o.baseSha)
    : undefined;
  // The teams every policy names, and those CODEOWNERS names, are read with the reviews.
  const teams = [
    ...o.policies.slice(1).flatMap((p) => [...p.groups.values()].flat().filter((m) => m.startsWith("@"))),
    ...(codeowners ? codeownersTeams(codeowners.text) : []),
  ];
  const approvals = await approvalsOf(o.git, opts.approvals, config, approvedHead, [...new Set(teams)]);
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
    ...(codeowners !== undefined ? { codeowners } : {}),
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
