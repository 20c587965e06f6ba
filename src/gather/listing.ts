import { posix } from "node:path";
import { skillHome } from "../artifact/runtime.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { globBases, globMatcher } from "../config/glob.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";
import type { Change } from "../input/types.js";
import type { ChangeEntry } from "../plan/reads.js";

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
 * The skills Claude Code loads by itself for the agents at a revision, as `SKILL.md` paths: in
 * each agent's skill folder (`skillHome`), a folder's `SKILL.md`, or a folder that is a symbolic
 * link (git does not look through it, Claude Code does: its `SKILL.md` is then one capgate cannot
 * read, the worst case). At head from one listing of those folders; at base as the diff says.
 */
export async function runtimeSkillsAt(
  git: Git,
  headSha: string,
  homes: { head: readonly string[]; base: readonly string[] },
  diff: readonly RawChange[],
): Promise<{ head: string[]; base: string[] }> {
  const all = [...new Set([...homes.head, ...homes.base])];
  if (all.length === 0) return { head: [], base: [] };
  const homeSet = new Set(all);
  // `home/name/SKILL.md`, or the link `home/name`: the skill's entry, and its SKILL.md.
  const skillOf = (path: string, mode: string): string | null => {
    const link = mode === "120000";
    // A skill folder that is itself a link hides every skill in it.
    if (link && homeSet.has(path)) return `${path}/*/SKILL.md`;
    const dir = link ? path : posix.dirname(path);
    if (!link && posix.basename(path) !== "SKILL.md") return null;
    return homeSet.has(posix.dirname(dir)) ? `${dir}/SKILL.md` : null;
  };
  const listed = await git.lsTree(headSha, all, true);
  const head = new Set<string>();
  const entries = new Map<string, string>();
  for (const e of listed) {
    const md = skillOf(e.path, e.mode);
    if (md) {
      head.add(md);
      entries.set(e.path, md);
    }
  }
  // At base: the same, less what the diff adds or changes, plus what it had there.
  const base = new Set(head);
  for (const c of diff) {
    if (c.status !== "D" && entries.has(c.path)) base.delete(entries.get(c.path)!);
    if (c.status !== "A") {
      const md = skillOf(c.oldPath, c.oldMode);
      if (md) base.add(md);
    }
  }
  const inHome = (set: Set<string>, list: readonly string[]) =>
    [...set].filter((p) => list.includes(posix.dirname(posix.dirname(p)))).sort();
  return { head: inHome(head, homes.head), base: inHome(base, homes.base) };
}

/** The skill folders of the Claude Code agents among `agents` (by the source each policy reads it as). */
export function skillHomes(agents: readonly string[], policies: readonly ResolvedConfig[]): string[] {
  const claude = (p: string) =>
    policies.some((c) => ["claude-code", "claude-settings"].includes(c.agentSource(p) ?? ""));
  return [...new Set(agents.filter(claude).map(skillHome))].sort();
}
