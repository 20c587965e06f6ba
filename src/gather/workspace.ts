import { lstatSync, readdirSync, readlinkSync, type Stats } from "node:fs";
import { join } from "node:path";
import type { Git, TreeEntry } from "../git/git.js";
import type { ObjectReader } from "../git/objects.js";
import type { TreeListing } from "../git/trees.js";
import { isUnderAny } from "../common/paths.js";
import { LINK_MODE, SUBMODULE_MODE } from "./blob.js";

/**
 * The paths that matter whose workspace content is not the checkout's: a file edited, removed,
 * replaced, or added untracked (other than the result files, and not ignored). Asked of git only
 * for those paths, never of the index, which git reads whole however few paths are asked about
 * (seconds in a monorepo): the checkout's files there, from its tree, are compared with what the
 * working tree holds, hashed as `git add` would hash them (`hash-object`, filters and line
 * endings included); what the tree lacks is asked of the ignore rules (`check-ignore`). A file
 * the tree has and the working tree lacks may be left out by a sparse checkout: those few are
 * asked of `git status`.
 *
 * Paths are added as the check learns them (`add`): the artifacts' folders as soon as the config
 * is read, the files read for the decision at the end. Git hashes what was added while the check
 * reads on, in one process; `modified` ends it and answers, null when git cannot tell.
 */
export class WorkspaceCheck {
  private readonly hasher: ReturnType<Git["hasher"]>;
  private readonly hashed: TreeEntry[] = [];
  private readonly added = new Set<string>();
  private readonly parts: Promise<Part>[] = [];

  constructor(
    private readonly git: Git,
    private readonly objects: ObjectReader,
    /** The checkout's tree. */
    private readonly tree: TreeListing,
    /** The result files (from the top), which are the workspace's own. */
    private readonly resultPaths: ReadonlySet<string>,
  ) {
    this.hasher = git.hasher();
  }

  /**
   * Compares the working tree at these pathspecs too (a folder covers everything in it); `listed`,
   * when given, is the checkout's tree below them as another listing will give it.
   */
  add(pathspecs: readonly string[], listed?: Promise<TreeEntry[]>): void {
    const fresh = [...new Set(pathspecs)].filter((p) => !isUnderAny(p, this.added));
    if (fresh.length === 0) return;
    for (const p of fresh) this.added.add(p);
    const part = this.part(fresh, listed ?? this.tree.walk(fresh));
    part.catch(() => undefined);
    this.parts.push(part);
  }

  /** The paths added so far that the workspace has modified, sorted; null when git cannot tell. */
  async modified(): Promise<string[] | null> {
    try {
      const parts = await Promise.all(this.parts);
      const ids = await this.hasher.ids();
      const modified = new Set(parts.flatMap((p) => p.modified));
      for (const e of this.hashed) if (ids.get(e.path) !== e.oid) modified.add(e.path);
      const missing = parts.flatMap((p) => p.missing);
      if (missing.length > 0) for (const p of (await this.git.workspaceStatus(missing)).changed) modified.add(p);
      return [...modified].sort();
    } catch {
      return null;
    }
  }

  /** Ends the hashing without an answer (the check found no untracked results after all). */
  close(): void {
    this.hasher.ids().catch(() => undefined);
  }

  /** One batch of pathspecs: what is known to differ at once; the files to hash are given to git. */
  private async part(pathspecs: readonly string[], listed: Promise<TreeEntry[]>): Promise<Part> {
    const entries = new Map((await listed).map((e) => [e.path, e]));
    const disk = onDisk(this.git.cwd, pathspecs, entries);
    const modified: string[] = [];
    const missing: string[] = [];
    const toHash: TreeEntry[] = [];
    const links: TreeEntry[] = [];
    for (const e of entries.values()) {
      if (e.mode === SUBMODULE_MODE || e.type !== "blob") continue;
      const kind = disk.kinds.get(e.path);
      if (kind === undefined) missing.push(e.path);
      else if (kind === (e.mode === LINK_MODE ? "link" : "file")) (kind === "link" ? links : toHash).push(e);
      else modified.push(e.path);
    }
    this.hasher.add(toHash.map((e) => e.path));
    this.hashed.push(...toHash);
    modified.push(...(await changedLinks(this.git.cwd, this.objects, links)));
    modified.push(...(await untrackedShown(this.git, disk, this.resultPaths)));
    return { modified, missing };
  }
}

/** What one batch of pathspecs found without hashing. */
interface Part {
  modified: string[];
  /** Files the tree has and the working tree lacks (a sparse checkout's, or removed). */
  missing: string[];
}

/** `WorkspaceCheck` in one call, for paths all known at once. */
export async function workspaceModified(
  git: Git,
  objects: ObjectReader,
  tree: TreeListing,
  pathspecs: readonly string[],
  resultPaths: readonly string[],
): Promise<string[] | null> {
  const check = new WorkspaceCheck(git, objects, tree, new Set(resultPaths));
  check.add(pathspecs);
  return check.modified();
}

/** What a working-tree path is, as its folder lists it (a link is never followed). */
type Kind = "file" | "link" | "other";

/** What the working tree holds at the pathspecs: each path's kind, and what the checkout's tree lacks. */
interface Disk {
  kinds: Map<string, Kind>;
  /** Files the checkout's tree does not have. */
  untracked: string[];
  /** Folders the checkout's tree has nothing in, not walked yet. */
  untrackedDirs: string[];
}

const kindOf = (d: { isFile(): boolean; isSymbolicLink(): boolean }): Kind =>
  d.isSymbolicLink() ? "link" : d.isFile() ? "file" : "other";

/**
 * Walks the working tree at the pathspecs (never into `.git`, never through a link), descending
 * only into folders the checkout has files in: a folder it has nothing in is noted, to be asked
 * of the ignore rules before anything in it is read.
 */
function onDisk(top: string, pathspecs: readonly string[], entries: ReadonlyMap<string, TreeEntry>): Disk {
  const dirs = new Set<string>();
  for (const p of entries.keys())
    for (let i = p.indexOf("/"); i > 0; i = p.indexOf("/", i + 1)) dirs.add(p.slice(0, i));
  const disk: Disk = { kinds: new Map(), untracked: [], untrackedDirs: [] };
  const file = (path: string, kind: Kind) => {
    disk.kinds.set(path, kind);
    if (!entries.has(path)) disk.untracked.push(path);
  };
  const folder = (path: string) => {
    for (const d of readdirSync(join(top, path), { withFileTypes: true })) {
      const child = `${path}/${d.name}`;
      if (!d.isDirectory()) file(child, kindOf(d));
      else if (d.name === ".git") continue;
      else if (dirs.has(child)) folder(child);
      else disk.untrackedDirs.push(child);
    }
  };
  const linkAbove = linksAbove(top);
  for (const p of new Set(pathspecs)) {
    let st: Stats;
    try {
      // Beyond a symbolic link is not the working tree as git sees it: the link itself is compared.
      if (linkAbove(p)) continue;
      st = lstatSync(join(top, p));
    } catch {
      continue;
    }
    if (st.isDirectory()) folder(p);
    else file(p, kindOf(st));
  }
  return disk;
}

/**
 * Whether a folder above a path is a symbolic link in the working tree; each folder is asked of
 * the file system once (the paths of one comparison share most of their folders).
 */
function linksAbove(top: string): (path: string) => boolean {
  const isLink = new Map<string, boolean>();
  return (path) => {
    for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
      const dir = path.slice(0, i);
      let link = isLink.get(dir);
      if (link === undefined) {
        link = lstatSync(join(top, dir), { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
        isLink.set(dir, link);
      }
      if (link) return true;
    }
    return false;
  };
}

/** The links of the checkout whose working-tree link leads elsewhere than the tree's does. */
async function changedLinks(top: string, objects: ObjectReader, links: readonly TreeEntry[]): Promise<string[]> {
  if (links.length === 0) return [];
  const blobs = await objects.contents(links.map((e) => e.oid));
  return links.filter((e) => readlinkSync(join(top, e.path)) !== blobs.get(e.oid)?.toString("utf8")).map((e) => e.path);
}

/**
 * The untracked files git would show at the pathspecs (neither ignored nor result files): the
 * files the tree lacks, and the files of the folders it lacks that the ignore rules leave visible.
 */
async function untrackedShown(git: Git, disk: Disk, results: ReadonlySet<string>): Promise<string[]> {
  const files = disk.untracked.filter((p) => !results.has(p));
  if (files.length === 0 && disk.untrackedDirs.length === 0) return [];
  const ignored = await git.ignoredAmong([...files, ...disk.untrackedDirs.map((d) => `${d}/`)]);
  const shown = files.filter((p) => !ignored.has(p));
  const inDirs: string[] = [];
  for (const d of disk.untrackedDirs.filter((dir) => !ignored.has(`${dir}/`))) inDirs.push(...filesUnder(git.cwd, d));
  const candidates = inDirs.filter((p) => !results.has(p));
  if (candidates.length === 0) return shown;
  const ignoredInDirs = await git.ignoredAmong(candidates);
  return [...shown, ...candidates.filter((p) => !ignoredInDirs.has(p))];
}

/** Every file below a folder of the working tree (never into `.git`, never through a link). */
function filesUnder(top: string, dir: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(top, dir), { withFileTypes: true })) {
    const path = `${dir}/${d.name}`;
    if (d.isDirectory()) {
      if (d.name !== ".git") out.push(...filesUnder(top, path));
    } else out.push(path);
  }
  return out;
}
