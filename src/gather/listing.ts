import { globBases, globMatcher } from "../config/glob.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";
import type { Change } from "../input/types.js";
import type { ChangeEntry } from "../plan/reads.js";
import { loadableIn, type Loadable } from "../runtime/claude-code/loads.js";

/**
 * The paths at a revision each group of globs matches, in one listing that walks only the globs'
 * static prefixes.
 */
export async function listAt<K extends string>(
  git: Git,
  rev: string,
  groups: Record<K, readonly string[]>,
): Promise<Record<K, TreeEntry[]>> {
  const kinds = Object.keys(groups) as K[];
  const all = kinds.flatMap((k) => groups[k]);
  const out = Object.fromEntries(kinds.map((k) => [k, [] as TreeEntry[]])) as Record<K, TreeEntry[]>;
  if (all.length === 0) return out;
  const bases = globBases(all);
  const entries = bases.includes("") ? await git.lsTreeAll(rev) : await git.lsTree(rev, bases, true);
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

/**
 * What Claude Code loads by itself beside the agents at a revision, from one listing of those
 * folders: each skill's `SKILL.md` (`<root>/skills/<name>/SKILL.md`) and each slash command
 * (`<root>/commands/**\/*.md`), `<root>` being where an agent's `agents/` folder is. git does not
 * look through a symbolic link, Claude Code does: a skill folder or a commands folder that is a
 * link gives a path capgate cannot read, the worst case. At base, as the diff says.
 */
export async function runtimeLoadablesAt(
  git: Git,
  headSha: string,
  roots: { head: readonly string[]; base: readonly string[] },
  diff: readonly RawChange[],
): Promise<Record<Loadable, { head: string[]; base: string[] }>> {
  const all = [...new Set([...roots.head, ...roots.base])];
  if (all.length === 0) return { skills: { head: [], base: [] }, commands: { head: [], base: [] } };
  const loadable = loadableIn(all);
  const listed = await git.lsTree(
    headSha,
    all.flatMap((r) => [`${r}/skills`, `${r}/commands`]),
    true,
  );
  const head = new Map<string, { kind: Loadable; root: string }>();
  const entries = new Map<string, string>();
  for (const e of listed) {
    const l = loadable(e.path, e.mode);
    if (l) {
      head.set(l.path, l);
      entries.set(e.path, l.path);
    }
  }
  // At base: the same, less what the diff adds or changes, plus what it had there.
  const base = new Map(head);
  for (const c of diff) {
    if (c.status !== "D" && entries.has(c.path)) base.delete(entries.get(c.path)!);
    const l = c.status !== "A" ? loadable(c.oldPath, c.oldMode) : null;
    if (l) base.set(l.path, l);
  }
  const of = (found: Map<string, { kind: Loadable; root: string }>, rootsThere: readonly string[], kind: Loadable) =>
    [...found]
      .filter(([, l]) => l.kind === kind && rootsThere.includes(l.root))
      .map(([p]) => p)
      .sort();
  return {
    skills: { head: of(head, roots.head, "skills"), base: of(base, roots.base, "skills") },
    commands: { head: of(head, roots.head, "commands"), base: of(base, roots.base, "commands") },
  };
}
