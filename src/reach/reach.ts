import { posix } from "node:path";
import type { ClassifiedChange } from "../change/classify.js";
import type { Change, Snapshot } from "../input/types.js";
import type { Views } from "../snapshot/view.js";
import { manifestRefs, type AgentRefs } from "./refs.js";
import { referenceFilter } from "./screen.js";
import { changedParts } from "../runtime/registry.js";
import { unseenServerName } from "../runtime/mcp/servers.js";
import { LOCK_PATH } from "../artifact/lock.js";
import { lockChanges } from "../runtime/mcp/lock-changes.js";

/** Which agents a change reaches, and along which edges. */
export interface Reach {
  /** Head manifest path → what of the change reaches it (a path, `dir/` for a skill, `mcp:name`). */
  agents: Map<string, Set<string>>;
  /** Head manifest path → its path at base, for a renamed manifest. */
  renamedFrom: Map<string, string>;
  /** Servers the change adds, edits or removes in an MCP config. */
  changedServers: Set<string>;
  /** Paths the change deletes or moves away: they count through the agents that named them at base. */
  goneAtHead: Set<string>;
  /** For a changed file that declares several things (a marketplace's entries), the parts it alters (`path#part`). */
  parts: Map<string, string[]>;
}

/** Which paths the change touches at each revision. */
export interface Touched {
  base: Set<string>;
  head: Set<string>;
  /** Every path the change adds, edits, moves or removes, at either revision. */
  any: Set<string>;
}

export function touchedPaths(changes: readonly Change[]): Touched {
  const base = new Set<string>();
  const head = new Set<string>();
  for (const c of changes) {
    if (c.status !== "added") base.add(c.oldPath);
    if (c.status !== "deleted") head.add(c.path);
  }
  return { base, head, any: new Set([...base, ...head]) };
}

/**
 * The agents a change takes away, by their path at base: deleted, or moved where no agent is
 * read. Each counts as it was at base.
 */
export function removedAgents(
  changes: readonly Change[],
  baseAgents: ReadonlySet<string>,
  headAgents: ReadonlySet<string>,
): string[] {
  // An agent whose file is deleted may still be there (a session its commands keep): then it is not removed.
  return changes
    .filter(
      (c) =>
        (c.status === "deleted" && !headAgents.has(c.oldPath)) || (c.status === "renamed" && !headAgents.has(c.path)),
    )
    .map((c) => c.oldPath)
    .filter((p) => baseAgents.has(p));
}

/**
 * Whether a manifest's text may name what changed, by blob: kept between the decisions of one
 * process (the planning of what to read and the decision itself screen the same manifests).
 */
export type ScreenMemo = Map<string, Map<string, boolean>>;

/** The servers an MCP config change names, at the revisions asked for. */
export function serversIn(
  change: Change,
  views: Views,
  sides: readonly ("base" | "head")[] = ["base", "head"],
): string[] {
  // A change to the lock changes the tools of the servers whose entries it changes; they stay where they are.
  if (change.path === LOCK_PATH || change.oldPath === LOCK_PATH)
    return [...new Set(lockChanges(views).map((c) => c.name))];
  const names: string[] = [];
  if (sides.includes("base") && change.status !== "added") names.push(...serverNames(views.base, change.oldPath));
  if (sides.includes("head") && change.status !== "deleted") names.push(...serverNames(views.head, change.path));
  return names;
}

function serverNames(view: Views["head"], path: string): string[] {
  if (view.file(path).state === "unseen") return [unseenServerName(path)];
  const doc = view.mcp(path);
  return doc.state === "parsed" && doc.result.ok ? doc.result.value.servers.map((s) => s.name) : [];
}

/**
 * The agents a change reaches: by their own manifest, by a file they
 * reference, through a skill folder or an MCP server. What is gone at head counts through the
 * agents that referenced it at base; what is still there, through the agents that reference it at
 * head. Only manifests whose text may name the change are parsed.
 */
export function reachOf(
  classified: readonly ClassifiedChange[],
  views: Views,
  snapshots: { base: Snapshot; head: Snapshot },
  touched: Touched,
  screenMemo: ScreenMemo = new Map(),
): Reach {
  const changes = classified.map((c) => c.change);
  // The repository's MCP configs: a plugin's servers are its own session's, reached through its files.
  const configs = new Set([...snapshots.base.mcpConfigs, ...snapshots.head.mcpConfigs]);
  const mcpChanges = classified.filter((c) => changesServers(c, configs));
  const changedServers = new Set(mcpChanges.flatMap((c) => serversIn(c.change, views)));
  const lockedServers = new Set(mcpChanges.filter((c) => isLock(c.change)).flatMap((c) => serversIn(c.change, views)));
  const headServers = new Set(mcpChanges.flatMap((c) => serversIn(c.change, views, ["head"])));
  const removedServers = new Set([...changedServers].filter((n) => !headServers.has(n)));
  const goneAtHead = new Set(
    changes.filter((c) => c.status === "deleted" || c.status === "renamed").map((c) => c.oldPath),
  );
  // Skill folders the change is in, by glob or, outside the globs, by holding a SKILL.md; and a
  // skill moved or deleted away, by the folder its agents still name.
  const skillNeedles = new Set(classified.flatMap((c) => [c.skill, c.candidate].filter((s): s is string => !!s)));
  for (const p of goneAtHead) if (posix.basename(p) === "SKILL.md") skillNeedles.add(posix.dirname(p));

  const parts = partsOf(changes, views);
  const alteredParts = new Set([...parts.values()].flat());
  const reachedBy = (refs: AgentRefs, side: "base" | "head"): string[] => {
    const head = side === "head";
    const changed = head ? touched.head : goneAtHead;
    const hits: string[] = [];
    for (const f of refs.files) if (alteredParts.has(f)) hits.push(f);
    if (refs.prompt && changed.has(refs.prompt)) hits.push(refs.prompt);
    for (const t of refs.toolFiles) if (changed.has(t)) hits.push(t);
    for (const f of refs.files) if (changed.has(f)) hits.push(f);
    if (refs.allServers) for (const s of head ? changedServers : removedServers) hits.push(`mcp:${s}`);
    // What its automation runs: a script, or anything in a folder of them.
    for (const a of refs.automation) {
      if (!a.endsWith("/")) {
        if (changed.has(a)) hits.push(a);
      } else for (const p of changed) if (p.startsWith(a)) hits.push(p);
    }
    for (const s of refs.skills) {
      if ((head && skillNeedles.has(s)) || changed.has(`${s}/SKILL.md`)) hits.push(`${s}/`);
      // The folder's own entry: a symbolic link where a skill folder goes.
      if (changed.has(s)) hits.push(s);
    }
    for (const s of refs.servers) if ((head ? changedServers : removedServers).has(s)) hits.push(`mcp:${s}`);
    // A server its own file declares is another config's only by name; the lock holds it by name and start.
    if (head) for (const s of refs.ownServers) if (lockedServers.has(s)) hits.push(`mcp:${s}`);
    return hits;
  };

  const renamedFrom = new Map<string, string>();
  for (const c of changes) if (c.status === "renamed") renamedFrom.set(c.path, c.oldPath);
  const baseAgents = new Set(snapshots.base.agents);
  const agents = new Map<string, Set<string>>();
  const touch = (agentPath: string, what: string) => {
    let s = agents.get(agentPath);
    if (!s) agents.set(agentPath, (s = new Set()));
    s.add(what);
  };
  const screened = screenFor(changes, skillNeedles, changedServers, screenMemo);
  for (const path of snapshots.head.agents) {
    const basePath = renamedFrom.get(path) ?? path;
    const changedHere = touched.head.has(path) || touched.base.has(basePath);
    if (touched.head.has(path)) touch(path, path);
    // capgate's manifests are screened by their text; an agent a runtime declares (a few per
    // repository) is always read: what it reaches is not always written in it (settings, every server).
    const runtime = views.head.agentSource(path) !== "capgate";
    if (!changedHere && !runtime && !screened(views.head, path)) continue;
    const headRefs = manifestRefs(views.head, path);
    if (headRefs) for (const hit of reachedBy(headRefs, "head")) touch(path, hit);
    if (baseAgents.has(basePath)) {
      // An unchanged manifest references the same paths at base as at head — but what a runtime
      // agent may load (the skills beside it) is what each revision holds.
      const baseRefs = touched.base.has(basePath) || runtime ? manifestRefs(views.base, basePath) : headRefs;
      if (baseRefs) for (const hit of reachedBy(baseRefs, "base")) touch(path, hit);
    }
  }
  return { agents, renamedFrom, changedServers, goneAtHead, parts };
}

const isLock = (c: Change) => c.path === LOCK_PATH || c.oldPath === LOCK_PATH;

/** A change to one of the repository's MCP configs, or to the lock of what their servers give. */
function changesServers(c: ClassifiedChange, configs: ReadonlySet<string>): boolean {
  return c.kind === "mcp" && [c.change.path, c.change.oldPath].some((p) => configs.has(p) || p === LOCK_PATH);
}

/** For each changed file that declares several things at once, the parts of it the change alters. */
function partsOf(changes: readonly Change[], views: Views): Map<string, string[]> {
  const parts = new Map<string, string[]>();
  for (const c of changes)
    for (const p of new Set([c.path, c.oldPath])) {
      const altered = changedParts(views.base, views.head, p);
      if (altered) parts.set(p, altered);
    }
  return parts;
}

/** Whether an unchanged manifest's text may name the change: screened once per blob. */
function screenFor(
  changes: readonly Change[],
  skillNeedles: ReadonlySet<string>,
  servers: ReadonlySet<string>,
  memo: ScreenMemo,
): (view: Views["head"], path: string) => boolean {
  const needles = [...new Set([...changes.flatMap((c) => [c.path, c.oldPath]), ...skillNeedles])].sort();
  const key = `${needles.join("\n")}\0${[...servers].sort().join("\n")}`;
  let byBlob = memo.get(key);
  if (!byBlob) memo.set(key, (byBlob = new Map()));
  const mayReference = referenceFilter(needles, servers);
  return (view, path) => {
    const f = view.file(path);
    if (f.state !== "file") return true;
    let may = byBlob.get(f.oid);
    if (may === undefined) byBlob.set(f.oid, (may = mayReference(f.text)));
    return may;
  };
}
