import { globBases, globMatcher } from "../config/glob.js";
import type { RawChange, TreeEntry } from "../git/git.js";
import type { TreeListing } from "../git/trees.js";
import type { Change } from "../input/types.js";
import type { ChangeEntry } from "../plan/reads.js";

/**
 * The paths at a revision each group of globs matches, in one listing that walks only the globs'
 * static prefixes.
 */
export async function listAt<K extends string>(
  tree: TreeListing,
  groups: Record<K, readonly string[]>,
): Promise<Record<K, TreeEntry[]>> {
  const kinds = Object.keys(groups) as K[];
  const all = kinds.flatMap((k) => groups[k]);
  const out = Object.fromEntries(kinds.map((k) => [k, [] as TreeEntry[]])) as Record<K, TreeEntry[]>;
  if (all.length === 0) return out;
  const entries = await tree.walk(globBases(all));
  const matchers = kinds.map((k) => [k, groups[k].length ? globMatcher(groups[k]) : () => false] as const);
  for (const e of entries) {
    if (e.type === "tree") continue;
    for (const [k, match] of matchers) if (match(e.path)) out[k].push(e);
  }
  return out;
}

/**
 * The paths a listing at head held at the diff's base: the diff names every path that differs, so
 * the rest are the same at both revisions. `match` selects the paths the listing is of.
 */
export function pathsAtBase(
  headPaths: readonly string[],
  diff: readonly RawChange[],
  match: (path: string) => boolean,
): string[] {
  const paths = new Set(headPaths);
  for (const c of diff) if (c.status !== "D") paths.delete(c.path);
  for (const c of diff) if (c.status !== "A" && match(c.oldPath)) paths.add(c.oldPath);
  return [...paths];
}

/** A raw diff record as a change, with its entries at both revisions. */
export function changeEntryOf(c: RawChange): ChangeEntry {
  const status = c.status === "A" ? "added" : c.status === "D" ? "deleted" : c.status === "R" ? "renamed" : "modified";
  const change: Change = {
    path: c.path,
    oldPath: c.oldPath,
    status,
    contentChanged: c.oldOid !== c.newOid,
    headMode: status === "deleted" ? null : c.newMode,
  };
  return {
    change,
    ...(status !== "added" ? { base: { path: c.oldPath, mode: c.oldMode, oid: c.oldOid } } : {}),
    ...(status !== "deleted" ? { head: { path: c.path, mode: c.newMode, oid: c.newOid } } : {}),
  };
}
