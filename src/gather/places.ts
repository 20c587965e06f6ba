import { posix } from "node:path";
import { normalizeRef } from "../common/paths.js";
import type { Git, TreeEntry } from "../git/git.js";
import type { TreeListing } from "../git/trees.js";
import { isUnresolved, type ObjectReader } from "../git/objects.js";
import type { LoadedEntry, Listing } from "../runtime/places.js";
import { LINK_MODE, SUBMODULE_MODE, SUBMODULE_REASON, unresolvedReason } from "./blob.js";

/**
 * Lists a revision as a checkout shows it at the places runtimes load from: the names at the top
 * of the tree that match a runtime's (without regard to case), and further folders, each walked
 * whole. A symbolic link is followed where a checkout's file system would follow it — a link to a
 * file read at its target, a link to a folder walked there — and a link that leaves the tree,
 * dangles or loops, or a submodule, is recorded as a place capgate cannot see into.
 */

/** Links are followed this many deep at most; further is a loop in all but name. */
const MAX_LINK_ROUNDS = 8;

export class PlacesLister {
  private readonly files = new Map<string, LoadedEntry>();
  private readonly unseen = new Map<string, string>();
  private readonly links = new Map<string, string>();
  private readonly listed = new Set<string>();
  private top: TreeEntry[] | null = null;
  /** The commit listed. */
  readonly rev: string;

  constructor(
    /** The revision's tree, as listed. */
    private readonly tree: TreeListing,
    private readonly git: Git,
    private readonly objects: ObjectReader,
  ) {
    this.rev = tree.rev;
  }

  /** What has been listed so far. */
  listing(): Listing {
    return { files: this.files, unseen: this.unseen, links: this.links, covers: (p) => this.covered(p) };
  }

  /**
   * Lists the top-level names among `names` (lower case, matched without regard to case) and the
   * folders (or files) `paths` name, each walked whole; a path already listed is not listed again.
   */
  async list(names: readonly string[], paths: readonly string[]): Promise<void> {
    this.top ??= await this.tree.top();
    const wanted = new Set(names.map((n) => n.toLowerCase()));
    const fromTop = this.top.filter((e) => wanted.has(e.path.toLowerCase())).map((e) => e.path);
    const roots = [...new Set([...fromTop, ...paths])].filter((p) => p !== "" && !this.covered(p));
    if (roots.length === 0) return;
    roots.forEach((r) => this.listed.add(r));
    const walked = await this.tree.walk(roots);
    const pending: Pending[] = [];
    for (const e of walked) this.take(e, "", undefined, pending);
    // A root the walk did not reach may still be in a checkout, below a symbolic link.
    const reached = reachedRoots(roots, walked);
    await this.follow([...pending, ...roots.filter((r) => !reached.has(r)).map((path) => ({ path }))]);
  }

  /** Whether a folder above (or at) a path was already listed. */
  private covered(path: string): boolean {
    if (this.listed.has(path)) return true;
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1))
      if (this.listed.has(path.slice(0, i))) return true;
    return false;
  }

  /** Records one entry of a walk whose paths are relative to `prefix`; a link is kept to follow. */
  private take(e: TreeEntry, prefix: string, via: string | undefined, pending: Pending[]): void {
    const path = prefix + e.path;
    if (e.mode === LINK_MODE) pending.push({ path, oid: e.oid });
    else if (e.mode === SUBMODULE_MODE || e.type === "commit") this.unseen.set(path, SUBMODULE_REASON);
    else if (e.type === "blob")
      this.files.set(path, {
        path,
        mode: e.mode,
        oid: e.oid,
        ...(e.size !== undefined ? { size: e.size } : {}),
        ...(via ? { via } : {}),
      });
  }

  /**
   * Follows symbolic links (and roots that may be below one) as a checkout does, round after
   * round: a link to a file is that file, a link to a folder is walked, and what cannot be
   * followed is a place capgate cannot see into. A root that leads nowhere is no loss.
   */
  private async follow(pending: readonly Pending[]): Promise<void> {
    let round = pending.filter((p) => !p.path.includes("\n"));
    for (let depth = 0; round.length > 0; depth++) {
      if (depth >= MAX_LINK_ROUNDS) {
        for (const p of round) this.unseen.set(p.path, "is reached through too many symbolic links");
        return;
      }
      const names = round.map((p) => `${this.rev}:${p.path}`);
      const [infos, targets] = await Promise.all([this.objects.info(names), this.targets(round)]);
      const next: Pending[] = [];
      for (const [i, { path, oid }] of round.entries()) {
        const info = infos.get(names[i]!) ?? null;
        const isLink = oid !== undefined;
        if (isLink) this.links.set(path, targets.get(path) ?? "");
        if (info === null) {
          if (isLink) this.unseen.set(path, "is a symbolic link that cannot be followed");
          continue;
        }
        const via = isLink ? path : this.linkAbove(path);
        if (isUnresolved(info)) {
          // Below a link, nothing at a root's path is no loss; a link out of the tree or in a loop is.
          const nothing = !isLink && (info.unresolved === "dangling" || info.unresolved === "notdir");
          if (!nothing) this.unseen.set(path, unresolvedReason(info));
        } else if (info.type === "blob")
          this.files.set(path, { path, mode: "100644", oid: info.oid, size: info.size, ...(via ? { via } : {}) });
        else if (info.type === "tree") {
          this.listed.add(path);
          const below = (await this.tree.listedTree(info.oid)) ?? (await this.git.lsTreeOf(info.oid));
          for (const e of below) this.take(e, `${path}/`, via ?? path, next);
        } else this.unseen.set(path, `is a symbolic link to a ${info.type}`);
      }
      round = next;
    }
  }

  /** The path each symbolic link leads to in the tree, from its text. */
  private async targets(round: readonly Pending[]): Promise<Map<string, string>> {
    const links = round.filter((p): p is Required<Pending> => p.oid !== undefined);
    const out = new Map<string, string>();
    if (links.length === 0) return out;
    const blobs = await this.objects.contents(links.map((l) => l.oid));
    for (const l of links) {
      const text = blobs.get(l.oid)?.toString("utf8");
      if (text === undefined) continue;
      const dir = posix.dirname(l.path);
      out.set(l.path, (!text.startsWith("/") && normalizeRef(posix.join(dir === "." ? "" : dir, text))) || text);
    }
    return out;
  }

  /** The nearest folder above a path that a link stands at, if any. */
  private linkAbove(path: string): string | undefined {
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
      const dir = path.slice(0, i);
      if (this.links.has(dir)) return dir;
    }
    return undefined;
  }
}

/** The roots that some walked entry is at or below: each entry's folders looked up, not every root tried. */
function reachedRoots(roots: readonly string[], walked: readonly TreeEntry[]): Set<string> {
  const wanted = new Set(roots);
  const reached = new Set<string>();
  for (const { path } of walked) {
    if (wanted.has(path)) reached.add(path);
    for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
      const dir = path.slice(0, i);
      if (wanted.has(dir)) reached.add(dir);
    }
  }
  return reached;
}

/** A path to follow: a link (with its blob) or a root that may be below one. */
interface Pending {
  path: string;
  oid?: string;
}
