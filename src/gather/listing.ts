import { globBases, globMatcher } from "../config/glob.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";
import type { Change } from "../input/types.js";
import type { ChangeEntry } from "../plan/reads.js";

/** The paths at a revision the globs match, walking only the globs' static prefixes. */
export async function listAt(git: Git, rev: string, globs: readonly string[]): Promise<TreeEntry[]> {
  if (globs.length === 0) return [];
  const match = globMatcher(globs);
  const bases = globBases(globs);
  const entries = bases.includes("") ? await git.lsTreeAll(rev) : await git.lsTree(rev, bases, true);
  return entries.filter((e) => e.type !== "tree" && match(e.path));
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
