import { outermostRoot } from "../common/paths.js";
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
  /**
   * Every file under the tree of this id, paths relative to it, as `Git.lsTreeOf` lists it, when a
   * walk already listed that tree whole (at or below one of its roots); null otherwise. A tree is
   * what its id says, at whichever revision it was listed.
   */
  listedTree(oid: string): Promise<readonly TreeEntry[] | null>;
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
 * ask for later (its manifests' folders) comes in the same process. What is known of single
 * paths — looked up (`lookup`), or named by a diff to this revision (`remember`) — answers a
 * later walk of a path that is no folder without asking git again; what a walk listed, or the top
 * shows is not there, answers a later lookup.
 */
export class RevisionTree implements TreeListing {
  private topEntries: Promise<TreeEntry[]> | null = null;
  /** The top's names once listed (a lookup may answer from them only then). */
  private topNames: Map<string, TreeEntry> | null = null;
  private readonly walks: Walk[] = [];
  private primed: readonly string[] = [];
  /** Single paths known: the entry there, or null when the tree has nothing there. */
  private readonly known = new Map<string, TreeEntry | null>();
  private readonly waiting: { roots: readonly string[]; resolve: (entries: Promise<TreeEntry[]>) => void }[] = [];

  constructor(
    private readonly git: Git,
    readonly rev: string,
  ) {}

  /** Adds `roots` to the next walk; returns this listing. */
  alsoWalk(roots: readonly string[]): this {
    this.primed = [...this.primed, ...roots];
    return this;
  }

  /**
   * Adds `roots` to the next walk, whoever asks for it: every entry below them, once that walk is
   * done (no listing of their own).
   */
  whenWalked(roots: readonly string[]): Promise<TreeEntry[]> {
    this.alsoWalk(roots);
    return new Promise((resolve) => this.waiting.push({ roots, resolve }));
  }

  /** Answers those waiting for a walk: their roots are in the one just asked for, or in an earlier one. */
  private answerWaiting(): void {
    for (const w of this.waiting.splice(0)) w.resolve(this.walk(w.roots));
  }

  top(): Promise<TreeEntry[]> {
    this.topEntries ??= this.git.lsTop(this.rev).then((entries) => {
      this.topNames = new Map(entries.map((e) => [e.path, e]));
      return entries;
    });
    return this.topEntries;
  }

  /**
   * The entries at these paths, the folders and submodules on the way to them, and everything
   * below those that are folders, in one listing that also takes the roots `alsoWalk` named. Each
   * path's answer is remembered, and a folder asked for counts as walked.
   */
  async lookup(paths: readonly string[]): Promise<TreeEntry[]> {
    const walked = this.walks.flatMap((w) => w.roots);
    const primed = this.primed.filter((r) => !coveredBy(walked, r));
    this.primed = [];
    const answered = await this.answer(paths);
    const ask = paths.filter((p) => !answered.paths.has(p));
    if (ask.length === 0 && primed.length === 0) {
      this.answerWaiting();
      return answered.entries;
    }
    const listing = this.git.lsPaths(this.rev, [...new Set([...ask, ...primed])]);
    const files = listing.then((entries) => entries.filter((e) => e.type !== "tree"));
    this.walks.push(settling({ roots: primed, entries: files, listing }));
    this.answerWaiting();
    const entries = await listing;
    const at = new Map(entries.map((e) => [e.path, e]));
    for (const p of ask) this.known.set(p, at.get(p) ?? null);
    // The folders on the way are listed too.
    for (const e of entries) if (e.type === "tree") this.known.set(e.path, e);
    const folders = ask.filter((p) => at.get(p)?.type === "tree" && !coveredBy(primed, p));
    if (folders.length > 0) this.walks.push(settling({ roots: folders, entries: files, listing }));
    if (answered.entries.length === 0) return entries;
    const out = new Map(answered.entries.map((e) => [e.path, e]));
    for (const e of entries) out.set(e.path, e);
    return [...out.values()];
  }

  /**
   * What `lookup` can say of paths without git, as `ls-tree -r -t` would say it: a path below a
   * walked root from that walk's listing (the folders on the way to it, its entry, everything
   * below it), and a path whose first name the top does not hold (nothing), or that is at the top
   * and no folder (its entry). Each path answered is remembered as `lookup` remembers it.
   */
  private async answer(paths: readonly string[]): Promise<{ paths: Set<string>; entries: TreeEntry[] }> {
    const done = new Set<string>();
    const out = new Map<string, TreeEntry>();
    const byWalk = new Map<Walk, string[]>();
    for (const p of paths) {
      if (p === "") continue;
      const walk = this.walks.find((w) => w.listing && coveredBy(w.roots, p));
      const atTop = walk ? undefined : this.atTop(p);
      if (walk) {
        const asked = byWalk.get(walk);
        if (asked) asked.push(p);
        else byWalk.set(walk, [p]);
      } else if (atTop !== undefined) {
        done.add(p);
        this.known.set(p, atTop);
        if (atTop) out.set(p, atTop);
      }
    }
    for (const [walk, asked] of byWalk) {
      const { byPath } = await indexOf(walk);
      const folders = new Set<string>();
      for (const p of asked) {
        // The folders on the way, nearest last, as git shows them.
        for (let i = p.indexOf("/"); i > 0; i = p.indexOf("/", i + 1)) {
          const above = byPath.get(p.slice(0, i));
          if (above?.type === "tree") out.set(above.path, above);
        }
        const e = byPath.get(p) ?? null;
        if (e) out.set(p, e);
        if (e?.type === "tree") folders.add(p);
        done.add(p);
        this.known.set(p, e);
      }
      if (folders.size > 0)
        for (const e of byPath.values()) if (outermostRoot(e.path, folders) !== null) out.set(e.path, e);
      for (const e of out.values()) if (e.type === "tree") this.known.set(e.path, e);
    }
    return { paths: done, entries: [...out.values()] };
  }

  async listedTree(oid: string): Promise<readonly TreeEntry[] | null> {
    for (const w of this.walks) {
      if (!w.listing || !w.settled) continue;
      const { byPath, trees } = await indexOf(w);
      const at = trees.get(oid);
      if (at === undefined) continue;
      const prefix = `${at}/`;
      const out: TreeEntry[] = [];
      for (const e of byPath.values())
        if (e.type !== "tree" && e.path.startsWith(prefix)) out.push({ ...e, path: e.path.slice(prefix.length) });
      return out;
    }
    return null;
  }

  /**
   * What the top, once listed, says of a path as `ls-tree -r -t` would: nothing when its first name
   * is not there, or is a file, link or submodule with the path below it; the entry itself when it
   * is such a name at the top. Undefined when only a listing can tell (a folder at the top, or the
   * top not listed yet).
   */
  private atTop(path: string): TreeEntry | null | undefined {
    if (!this.topNames || path === "") return undefined;
    const slash = path.indexOf("/");
    const first = this.topNames.get(slash < 0 ? path : path.slice(0, slash));
    if (first === undefined) return null;
    if (first.type === "tree") return undefined;
    return slash < 0 ? first : null;
  }

  /**
   * The entries at these paths that are no folder (a file, a link, a submodule), from what is known
   * already where it can be — a path looked up or remembered, a name at the top once listed, a path
   * below a walked folder — and from one listing for the rest.
   */
  async leaves(paths: readonly string[]): Promise<TreeEntry[]> {
    const out: TreeEntry[] = [];
    const ask: string[] = [];
    const top = this.topEntries ? new Map((await this.topEntries).map((e) => [e.path, e])) : null;
    for (const p of paths) {
      const walk = this.walks.find((w) => coveredBy(w.roots, p));
      let e: TreeEntry | null | undefined;
      if (this.known.has(p)) e = this.known.get(p);
      else if (top && !p.includes("/")) e = top.get(p) ?? null;
      else if (walk) e = (await indexOf(walk)).byPath.get(p) ?? null;
      else ask.push(p);
      if (e && e.type !== "tree") out.push(e);
    }
    const asked = new Set(ask);
    if (ask.length > 0) for (const e of await this.git.lsTree(this.rev, ask)) if (asked.has(e.path)) out.push(e);
    return out.filter((e) => e.type !== "tree");
  }

  /**
   * What this revision holds at single paths, learnt elsewhere: entries as a diff to it names them,
   * and paths known to hold nothing.
   */
  remember(entries: readonly TreeEntry[], nothing: readonly string[] = []): void {
    for (const e of entries) this.known.set(e.path, e);
    for (const p of nothing) this.known.set(p, null);
  }

  /**
   * What a diff to this revision says of single paths: each path it names here is as it says, and
   * each it takes away holds nothing, unless a file or a folder took its place.
   */
  rememberDiff(diff: readonly RawChange[]): void {
    const there = diff.filter((c) => c.status !== "D");
    const taken = new Set<string>();
    for (const c of there) {
      taken.add(c.path);
      for (let i = c.path.indexOf("/"); i > 0; i = c.path.indexOf("/", i + 1)) taken.add(c.path.slice(0, i));
    }
    const gone = diff.flatMap((c) => (c.status === "D" || c.status === "R" ? [c.oldPath] : []));
    this.remember(
      there.map((c) => ({
        path: c.path,
        mode: c.newMode,
        type: c.newMode === "160000" ? "commit" : "blob",
        oid: c.newOid,
      })),
      gone.filter((p) => !taken.has(p)),
    );
  }

  async walk(roots: readonly string[]): Promise<TreeEntry[]> {
    const walked = this.walks.flatMap((w) => w.roots);
    const wanted = [...new Set([...roots, ...this.primed])].filter((r) => !coveredBy(walked, r));
    this.primed = [];
    // A path known to hold no folder is its own walk: the entry there, or nothing — known from a
    // lookup or a diff, or from the top (a name it lacks, or holds as no folder).
    const single = (r: string): TreeEntry | null | undefined =>
      this.known.has(r) && this.known.get(r)?.type !== "tree" ? (this.known.get(r) ?? null) : this.atTop(r);
    const answered = wanted.filter((r) => single(r) !== undefined);
    if (answered.length > 0) {
      const entries = answered.flatMap((r) => single(r) ?? []);
      this.walks.push({ roots: answered, entries: Promise.resolve(entries) });
    }
    const fresh = wanted.filter((r) => single(r) === undefined);
    if (fresh.length > 0) {
      if (fresh.includes("")) this.walks.push({ roots: fresh, entries: this.git.lsTreeAll(this.rev) });
      else {
        // Listed with its folders, so that a later lookup below these roots needs no git of its own.
        const listing = this.git.lsPaths(this.rev, fresh);
        this.walks.push(
          settling({ roots: fresh, entries: listing.then((l) => l.filter((e) => e.type !== "tree")), listing }),
        );
      }
    }
    this.answerWaiting();
    const out = new Map<string, TreeEntry>();
    for (const w of this.walks) {
      const related = roots.flatMap((r) =>
        w.roots.filter((wr) => isUnder(r, wr) || isUnder(wr, r)).map((wr): [string, string] => [r, wr]),
      );
      if (related.length === 0) continue;
      const { byRoot } = await indexOf(w);
      for (const [r, wr] of related) {
        const below = byRoot.get(wr) ?? [];
        // A root below the walk's takes the part of it under itself; one at or above, all of it.
        if (r !== wr && isUnder(r, wr)) {
          for (const e of below) if (isUnder(e.path, r)) out.set(e.path, e);
        } else for (const e of below) out.set(e.path, e);
      }
    }
    return [...out.values()];
  }
}

/** One listing a revision tree was walked with: its roots, and every file below them. */
interface Walk {
  roots: readonly string[];
  entries: Promise<TreeEntry[]>;
  /** The listing with its folders (`ls-tree -r -t`): what lookups below the roots are answered from. */
  listing?: Promise<TreeEntry[]>;
  /** Whether the listing is done (a tree is looked for only in those, never waited for). */
  settled?: boolean;
  index?: Promise<WalkIndex>;
}

/** A walk marked settled once its listing is done. */
function settling(w: Walk): Walk {
  w.listing?.then(
    () => (w.settled = true),
    () => undefined,
  );
  return w;
}

/**
 * A walk's files by the outermost of its roots each is under, and what it listed by path: every
 * entry of its listing, folders included, when it has one; else its files under its roots.
 */
interface WalkIndex {
  byRoot: Map<string, TreeEntry[]>;
  byPath: Map<string, TreeEntry>;
  /** The path of each folder at or below a root, by its tree's id: listed whole. */
  trees: Map<string, string>;
}

/** A walk's index, made once when first asked for: later walks and lookups read it, not the listing. */
function indexOf(w: Walk): Promise<WalkIndex> {
  w.index ??= Promise.all([w.entries, w.listing]).then(([entries, listing]) => {
    const roots = new Set(w.roots);
    const byRoot = new Map<string, TreeEntry[]>();
    const byPath = new Map((listing ?? []).map((e) => [e.path, e]));
    const trees = new Map<string, string>();
    for (const e of listing ?? [])
      if (e.type === "tree" && !trees.has(e.oid) && outermostRoot(e.path, roots) !== null) trees.set(e.oid, e.path);
    for (const e of entries) {
      const root = outermostRoot(e.path, roots);
      if (root === null) continue;
      if (!listing) byPath.set(e.path, e);
      const list = byRoot.get(root);
      if (list) list.push(e);
      else byRoot.set(root, [e]);
    }
    return { byRoot, byPath, trees };
  });
  return w.index;
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

  listedTree(oid: string): Promise<readonly TreeEntry[] | null> {
    return this.near.listedTree(oid);
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
