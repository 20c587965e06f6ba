import { posix } from "node:path";
import { LOCK_PATH } from "../artifact/lock.js";
import type { ArtifactKind } from "../artifact/types.js";
import { ancestors } from "../common/paths.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Change } from "../input/types.js";
import type { Views } from "../snapshot/view.js";

/** What a changed path is to the gate. */
export type PathKind = ArtifactKind | "governance";

export interface ClassifiedChange {
  change: Change;
  /** Null when the path is not gated (yet: a skill folder's file may still become a skill's). */
  kind: PathKind | null;
  /** For a file of a skill folder, the folder. */
  skill?: string;
  /** Outside the skill globs, the skill folder the path is in: a skill when an agent references it. */
  candidate?: string;
  /** A result or baseline file of suites that trust committed results. */
  resultOf?: string[];
  /** The paths a checkout also shows it at, through symbolic links (`.claude/skills/x/SKILL.md` for `.agents/skills/x/SKILL.md`). */
  aliases?: string[];
}

/** What a path is by the config's globs alone (skill members and references are found later). */
export function kindByGlobs(path: string, config: ResolvedConfig): PathKind | null {
  if (config.governance(path)) return "governance";
  if (config.artifact.agent(path)) return "agent";
  if (config.artifact.mcp(path)) return "mcp";
  if (config.artifact.tool(path)) return "tool";
  if (config.artifact.skill(path)) return "skill";
  for (const suite of config.suites.values()) if (suite.files(path)) return "eval";
  if (config.artifact.prompt(path)) return "prompt";
  return null;
}

/** The suites whose definition includes a path. */
export function suitesDefining(path: string, config: ResolvedConfig): string[] {
  return [...config.suites.values()].filter((s) => s.files(path)).map((s) => s.name);
}

/**
 * The suites that trust committed results and whose `results` or `baseline` globs match a path:
 * with `trust_committed_results`, a change to such a file is itself gated. The globs are relative
 * to the results folder, `resultsRoot` in the repository ("" for its top), or null when that
 * folder is outside it.
 */
export function trustedResultSuitesOf(path: string, config: ResolvedConfig, resultsRoot: string | null): string[] {
  if (resultsRoot === null) return [];
  const rel =
    resultsRoot === "" ? path : path.startsWith(`${resultsRoot}/`) ? path.slice(resultsRoot.length + 1) : null;
  if (rel === null) return [];
  return [...config.suites.values()]
    .filter((s) => s.config.trust_committed_results === true && (s.resultsMatch(rel) || s.baselineMatch(rel)))
    .map((s) => s.name);
}

/** The `SKILL.md` of each folder above a path: where a skill folder holding it would say so. */
export function skillFileCandidates(path: string): string[] {
  return ancestors(path).map((dir) => `${dir}/SKILL.md`);
}

/**
 * The nearest folder above a path that holds a SKILL.md at either revision, one the skill globs
 * match unless `anyGlob`.
 */
export function skillFolderOf(path: string, views: Views, config: ResolvedConfig, anyGlob = false): string | null {
  for (const dir of ancestors(path)) {
    const md = `${dir}/SKILL.md`;
    if (!anyGlob && !config.artifact.skill(md)) continue;
    if (views.head.exists(md) || views.base.exists(md)) return dir;
  }
  return null;
}

/** Each change's kind: by glob, else as a file of a skill folder, else as a trusted result file. */
export function classifyChanges(
  changes: readonly Change[],
  config: ResolvedConfig,
  views: Views,
  resultsRoot: string | null,
): ClassifiedChange[] {
  return changes.map((change): ClassifiedChange => {
    // A file a checkout also shows through a symbolic link reaches what loads it there too.
    const aliases = [...new Set([...aliasesOf(change.path, views), ...aliasesOf(change.oldPath, views)])];
    const c = classifyOne(change, config, views, resultsRoot, aliases);
    if (aliases.length === 0) return c;
    const folders = c.skill ? aliasesOf(c.skill, views).map((a) => `${a}/`) : [];
    return { ...c, aliases: [...aliases, ...folders] };
  });
}

function classifyOne(
  change: Change,
  config: ResolvedConfig,
  views: Views,
  resultsRoot: string | null,
  aliases: readonly string[],
): ClassifiedChange {
  const either = <T>(c: Change, f: (path: string) => T | null): T | null =>
    f(c.path) ?? (c.oldPath !== c.path ? f(c.oldPath) : null);
  // The lock of what the servers gave declares their tools, as an MCP config declares the servers.
  if (change.path === LOCK_PATH || change.oldPath === LOCK_PATH) return { change, kind: "mcp" };
  const kind = either(change, (p) => kindByGlobs(p, config));
  if (kind === "skill") return { change, kind, skill: posix.dirname(change.path) };
  // A prompt inside a skill folder is the skill's: it reaches the skill's agents.
  if (kind === "prompt") {
    const folder = skillFolderOf(change.path, views, config);
    if (folder) return { change, kind: "skill", skill: folder };
  }
  if (kind) return { change, kind };
  const loaded = either(change, (p) => loadedKind(p, views));
  if (loaded === "skill") return { change, kind: "skill", skill: posix.dirname(change.path) };
  if (loaded) return { change, kind: loaded };
  // A file a runtime loads through a symbolic link elsewhere is what it is there.
  const aliased = aliases.map((a) => kindByGlobs(a, config) ?? loadedKind(a, views)).find((k) => k !== null);
  if (aliased) return { change, kind: aliased, ...(aliased === "skill" ? { skill: posix.dirname(aliases[0]!) } : {}) };
  const resultOf = [
    ...new Set([
      ...trustedResultSuitesOf(change.path, config, resultsRoot),
      ...trustedResultSuitesOf(change.oldPath, config, resultsRoot),
    ]),
  ];
  if (resultOf.length > 0) return { change, kind: "eval", resultOf };
  const folder = either(change, (p) => skillFolderOf(p, views, config));
  if (folder) return { change, kind: "skill", skill: folder };
  const candidate =
    (posix.basename(change.path) === "SKILL.md" ? posix.dirname(change.path) : null) ??
    either(change, (p) => skillFolderOf(p, views, config, true));
  return candidate ? { change, kind: null, candidate } : { change, kind: null };
}

/** What each revision's runtimes load, by path: memoized per snapshot. */
const LOADED = new WeakMap<object, Map<string, PathKind>>();

/**
 * What a path is to the runtimes that load it, at either revision: CI's (governance), an agent's
 * declaration (its own file, a settings layer, a plugin's manifest or hooks, a link or a place
 * capgate cannot see into where agents load from), an MCP config, a skill, or a command.
 */
export function loadedKind(path: string, views: Views): PathKind | null {
  for (const view of [views.head, views.base]) {
    const loads = view.rev.loads;
    if (!loads) continue;
    if (loads.governance.some((g) => (g.endsWith("/") ? path.startsWith(g) : g === path))) return "governance";
    let kinds = LOADED.get(loads);
    if (!kinds) LOADED.set(loads, (kinds = loadedKinds(view)));
    const k = kinds.get(path);
    if (k) return k;
  }
  return null;
}

function loadedKinds(view: Views["head"]): Map<string, PathKind> {
  const loads = view.rev.loads!;
  const out = new Map<string, PathKind>();
  for (const p of view.rev.commands ?? []) out.set(p, "prompt");
  for (const p of view.rev.skills ?? []) out.set(p, "skill");
  for (const p of loads.mcpConfigs) out.set(p, "mcp");
  for (const [path, a] of Object.entries(loads.agents))
    for (const p of [path, ...(a.files ?? [])]) if (!out.has(p) || p === path) out.set(p, "agent");
  for (const p of loads.plugins) {
    for (const f of [...p.hooks, ...(p.manifest ? [p.manifest] : []), ...(p.marketplace ? [p.marketplace.path] : [])])
      out.set(f, "agent");
    // A plugin's servers are its own session's, read as any MCP config.
    for (const f of p.mcp) out.set(f, "mcp");
  }
  for (const p of [...Object.keys(loads.links), ...Object.keys(loads.unseen)]) if (!out.has(p)) out.set(p, "agent");
  return out;
}

/** The paths a checkout also shows a path at, through the symbolic links crossed at either revision. */
export function aliasesOf(path: string, views: Views): string[] {
  const out: string[] = [];
  for (const view of [views.head, views.base]) {
    const links = view.rev.loads?.links;
    if (!links) continue;
    for (const [link, target] of Object.entries(links)) {
      if (!target || target === link) continue;
      if (path === target) out.push(link);
      else if (path.startsWith(`${target}/`)) out.push(link + path.slice(target.length));
    }
  }
  return out.length < 2 ? out : [...new Set(out)];
}

/** A file of a skill folder outside the globs is a skill's once an agent references the folder. */
export function adoptReferencedSkills(
  classified: readonly ClassifiedChange[],
  referencedSkills: ReadonlySet<string>,
): ClassifiedChange[] {
  return classified.map((c) =>
    c.kind === null && c.candidate && referencedSkills.has(c.candidate)
      ? { ...c, kind: "skill", skill: c.candidate }
      : c,
  );
}
