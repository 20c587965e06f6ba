import { posix } from "node:path";
import { kindByGlobs, skillFileCandidates, classifyChanges } from "../change/classify.js";
import { globBases } from "../config/glob.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Change, DecisionInput, FileState, ResultFile, Side, Snapshot } from "../input/types.js";
import { manifestRefs, referencedPaths } from "../reach/refs.js";
import { reachOf, removedAgents, touchedPaths, type ScreenMemo } from "../reach/reach.js";
import { RevisionView, scopedTo, viewsOf, type ParseCache } from "../snapshot/view.js";
import { hasBaseName, isUnderAny } from "../common/paths.js";
import { parseResults } from "../evidence/results.js";

/**
 * What each read stage must gather, planned from what the stages before it read. The reference
 * graph is shallow — changed paths, the skill folders and agents they reach, the files those
 * agents name — so a check reads in three stages: the changes (with every agent manifest and MCP
 * config), what the changes reach, and the workspace the evidence was produced in. What a stage
 * plans is everything the decision will look up; a path it leaves out is a bug the decision
 * reports, never a silent "absent".
 */

/** A tree entry as git lists it. */
export interface Entry {
  path: string;
  mode: string;
  oid: string;
  /** Known from a listing; a diff does not give it. */
  size?: number;
}

/** A change with its entries at both revisions, from the diff. */
export interface ChangeEntry {
  change: Change;
  base?: Entry;
  head?: Entry;
}

/** The first stage, the changes: which changed blobs to read, and which `SKILL.md` to look for. */
export function changeReads(
  changes: readonly ChangeEntry[],
  policies: readonly ResolvedConfig[],
  loaded: (path: string) => boolean = () => false,
): { entries: { side: Side; entry: Entry }[]; candidates: string[] } {
  const entries: { side: Side; entry: Entry }[] = [];
  const changed = new Set(changes.flatMap((c) => [c.change.path, c.change.oldPath]));
  const candidates = new Set<string>();
  for (const c of changes) {
    const { path, oldPath } = c.change;
    // Artifacts by glob, the config, and any SKILL.md (a skill folder outside the globs may count).
    // Artifacts by glob, the config, what a runtime loads, and any SKILL.md (a skill folder outside
    // the globs may count); a change the diff does not name is one of what a runtime loads.
    const linkOrModule = [c.base?.mode, c.head?.mode].some((m) => m === "120000" || m === "160000");
    const read =
      c.change.via !== undefined ||
      linkOrModule ||
      [path, oldPath].some(
        (p) => hasBaseName(p, "SKILL.md") || loaded(p) || policies.some((config) => kindByGlobs(p, config) !== null),
      );
    if (read && c.base) entries.push({ side: "base", entry: c.base });
    if (read && c.head) entries.push({ side: "head", entry: c.head });
    for (const md of [...skillFileCandidates(path), ...skillFileCandidates(oldPath)])
      if (!changed.has(md)) candidates.add(md);
  }
  return { entries, candidates: [...candidates] };
}

/** What the second stage needs besides what the changes reach. */
export interface ReachExtras {
  /** Paths the evidence asks about (changed since a review): is each gated? */
  asked: readonly string[];
  /** Paths result files bind by digest: their head content. */
  digests: readonly string[];
}

/**
 * The second stage, what the changes reach: the files every reached agent names at both
 * revisions, the changed files that are gated through a reference or a skill folder, the files the
 * tiers require, what the evidence asks about, and the `SKILL.md` files found so far (their modes
 * are checked where they are read).
 */
export function reachReads(
  input: Pick<DecisionInput, "base" | "head" | "changes" | "evidence">,
  policies: readonly ResolvedConfig[],
  extras: ReachExtras,
  cache: { parsed: ParseCache; screened: ScreenMemo },
): string[] {
  const paths = new Set<string>();
  const touched = touchedPaths(input.changes);
  for (const config of policies) {
    const base = scopedTo(input.base, config);
    const head = scopedTo(input.head, config);
    const views = viewsOf(base, head, touched.any, cache.parsed, config.agentSource);
    const resultsRoot = input.evidence.resultsRoot === undefined ? "" : input.evidence.resultsRoot;
    const classified = classifyChanges(input.changes, config, views, resultsRoot);
    const reach = reachOf(classified, views, { base, head }, touched, cache.screened);
    const add = (list: readonly string[]) => list.forEach((p) => paths.add(p));
    const baseAgents = new Set(base.agents);
    for (const path of reach.agents.keys()) {
      const headRefs = manifestRefs(views.head, path);
      if (headRefs) add(referencedPaths(headRefs));
      const basePath = reach.renamedFrom.get(path) ?? path;
      const runtime = views.head.agentSource(path) !== "capgate";
      if (baseAgents.has(basePath) && (touched.base.has(basePath) || runtime)) {
        const baseRefs = manifestRefs(views.base, basePath);
        if (baseRefs) add(referencedPaths(baseRefs));
      }
    }
    for (const path of removedAgents(input.changes, baseAgents, new Set(head.agents))) {
      const refs = manifestRefs(views.base, path);
      if (refs) add(referencedPaths(refs));
    }
    // A changed file of a skill folder is gated as the skill's (referenced ones are added above).
    for (const c of classified) if (c.skill || c.candidate) add([c.change.path]);
    add(tierFiles(config));
  }
  for (const p of extras.digests) paths.add(p);
  for (const p of extras.asked) for (const md of skillFileCandidates(p)) paths.add(md);
  for (const [p, f] of input.head.files) if (hasBaseName(p, "SKILL.md") && f.state === "file") paths.add(p);
  // Read already: at head, and at base where the change touched it (elsewhere base is head).
  const read = (p: string) => input.head.files.has(p) && (!touched.base.has(p) || input.base.files.has(p));
  return [...paths].filter((p) => !read(p) || hasBaseName(p, "SKILL.md"));
}

/** The files the tiers require: named by the config, so known before anything is read. */
export function tierFiles(config: ResolvedConfig): string[] {
  return Object.values(config.raw.tiers ?? {}).flatMap((t) => t?.files ?? []);
}

/** The paths result files bind by digest: their head content is what each digest is checked against. */
export function digestPaths(files: readonly Pick<ResultFile, "path" | "content">[]): string[] {
  const paths = new Set<string>();
  for (const f of files) {
    if (!f.content.ok) continue;
    const r = parseResults(f.path, f.content.text);
    if (r.ok) for (const p of Object.keys(r.value.digests ?? {})) paths.add(p);
  }
  return [...paths];
}

/**
 * The third stage, the workspace untracked results were produced in: the paths whose content
 * the results vouch for — the changed gated files, every file read for the decision, the skill
 * folders, the suites' definitions and the artifacts' folders — as pathspecs (a folder covers
 * everything in it).
 */
export function workspacePaths(
  input: Pick<DecisionInput, "head" | "changes">,
  policies: readonly ResolvedConfig[],
): string[] {
  const folders = new Set(workspaceFolders(policies));
  for (const f of skillFolders(input.head.files)) folders.add(f);
  const inFolder = (p: string) => isUnderAny(p, folders);
  const files = new Set<string>();
  for (const p of input.head.files.keys()) if (!inFolder(p)) files.add(p);
  for (const c of input.changes) if (c.status !== "deleted" && !inFolder(c.path)) files.add(c.path);
  return [...folders, ...files].sort();
}

/** The folders of `workspacePaths` that the config alone gives: the artifacts' and the suites' definitions'. */
export function workspaceFolders(policies: readonly ResolvedConfig[]): string[] {
  const folders = new Set<string>();
  for (const config of policies) {
    for (const globs of Object.values(config.artifactGlobs)) for (const b of globBases(globs)) if (b) folders.add(b);
    for (const suite of config.suites.values()) for (const b of globBases(suite.config.files)) if (b) folders.add(b);
  }
  return [...folders].sort();
}

/** The folders of the skills read at a revision (by their `SKILL.md`). */
export function skillFolders(files: ReadonlyMap<string, FileState>): string[] {
  const folders: string[] = [];
  for (const [p, f] of files) if (hasBaseName(p, "SKILL.md") && f.state !== "absent") folders.push(posix.dirname(p));
  return folders;
}

/** What `capgate tiers` must read beyond the manifests and MCP configs: every file the agents name. */
export function inventoryReads(rev: Snapshot, config: ResolvedConfig, cache: ParseCache): string[] {
  const view = new RevisionView("head", scopedTo(rev, config), cache, undefined, config.agentSource);
  const paths = new Set<string>();
  for (const path of view.rev.agents) {
    const refs = manifestRefs(view, path);
    if (refs) for (const p of referencedPaths(refs)) paths.add(p);
  }
  return [...paths].filter((p) => !rev.files.has(p));
}
