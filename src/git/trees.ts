import type { Git, RawChange, TreeEntry } from "./git.js";

/**
 * What a revision's tree holds at the places asked for: its top entries, and every file below
 * some folders. Two ways to know it: from git (`RevisionTree`), or, for the other end of a diff,
 * from the listing at this end and the diff between them (`TreeAcrossDiff`), which costs no git
 * process at all.
 */
export interface TreeListing {
  /** The commit listed. */
  readonly rev: string;
  /** The entries at the top of the tree (folders as trees, not walked). */
  top(): Promise<TreeEntry[]>;
  /** Every entry below each root (a folder walked whole, or a file itself); "" is the whole tree. */
  walk(roots: readonly string[]): Promise<TreeEntry[]>;
}

/** Whether `path` is `root` or below it. */
export function isUnder(path: string, root: string): boolean {
  return root === "" || path === root || (path.startsWith(root) && path.charCodeAt(root.length) === 47);
}

/** Whether an earlier walk's roots cover `path`. */
function coveredBy(roots: Iterable<string>, path: string): boolean {
  for (const r of roots) if (isUnder(path, r)) return true;
  return false;
}

/**
 * A revision listed by git, once per place: a walk asks git only for the roots no earlier walk
 * covered, and the next walk also takes the roots `alsoWalk` names, so that what a check will
 * ask for later (its manifests' folders) comes in the same process.
 */
export class RevisionTree implements TreeListing {
  private topEntries: Promise<TreeEntry[]> | null = null;
  private readonly walks: { roots: readonly string[]; entries: Promise<TreeEntry[]> }[] = [];
  private primed: readonly string[] = [];

  constructor(
    private readonly git: Git,
    readonly rev: string,
  ) {}

  /** Adds `roots` to the next walk; returns this listing. */
  alsoWalk(roots: readonly string[]): this {
    this.primed = [...this.primed, ...roots];
    return this;
  }

  top(): Promise<TreeEntry[]> {
    this.topEntries ??= this.git.lsTop(this.rev);
    return this.topEntries;
  }

  async walk(roots: readonly string[]): Promise<TreeEntry[]> {
    const known = this.walks.flatMap((w) => w.roots);
    const fresh = [...new Set([...roots, ...this.primed])].filter((r) => !coveredBy(known, r));
    this.primed = [];
    if (fresh.length > 0) {
      const entries = fresh.includes("") ? this.git.lsTreeAll(this.rev) : this.git.lsTree(this.rev, fresh, true);
      this.walks.push({ roots: fresh, entries });
    }
    const out = new Map<string, TreeEntry>();
    for (const w of this.walks) {
      if (!roots.some((r) => w.roots.some((wr) => isUnder(r, wr) || isUnder(wr, r)))) continue;
      for (const e of await w.entries) if (coveredBy(roots, e.path)) out.set(e.path, e);
    }
    return [...out.values()];
  }
}

/**
 * The tree at the far end of a diff, from the listing at its near end: what the diff names is as
 * the diff says it was, everything else is the same at both ends. `diff` must be the whole
 * recursive diff from `rev` to the near end's commit (`git diff-tree -r`, renames paired or not).
 * Sizes of the files the diff names are not known here (readers learn them as they read). A top
 * folder that only the near end has is kept (a walk of it finds nothing): the diff names files,
 * not folders, and that folder may have held files the diff does not name.
 */
export class TreeAcrossDiff implements TreeListing {
  constructor(
    private readonly near: TreeListing,
    readonly rev: string,
    private readonly diff: Promise<readonly RawChange[]>,
  ) {}

  async top(): Promise<TreeEntry[]> {
    const [near, diff] = await Promise.all([this.near.top(), this.diff]);
    const top = new Map(near.map((e) => [e.path, e]));
    for (const c of diff) if (c.status !== "D" && !c.path.includes("/")) top.delete(c.path);
    for (const c of diff) {
      if (c.status === "A") continue;
      const slash = c.oldPath.indexOf("/");
      if (slash < 0) top.set(c.oldPath, farEntry(c));
      else if (!top.has(c.oldPath.slice(0, slash)))
        top.set(c.oldPath.slice(0, slash), { path: c.oldPath.slice(0, slash), mode: "040000", type: "tree", oid: "" });
    }
    return [...top.values()];
  }

  async walk(roots: readonly string[]): Promise<TreeEntry[]> {
    const [near, diff] = await Promise.all([this.near.walk(roots), this.diff]);
    const out = new Map(near.map((e) => [e.path, e]));
    for (const c of diff) if (c.status !== "D") out.delete(c.path);
    for (const c of diff) if (c.status !== "A" && coveredBy(roots, c.oldPath)) out.set(c.oldPath, farEntry(c));
    return [...out.values()];
  }
}

/** A diff record's entry at its far (old) end. */
function farEntry(c: RawChange): TreeEntry {
  return { path: c.oldPath, mode: c.oldMode, type: c.oldMode === "160000" ? "commit" : "blob", oid: c.oldOid };
}
