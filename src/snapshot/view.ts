import { LOCK_PATH, parseLock, type LockDoc } from "../artifact/lock.js";
import { parseMcpConfig } from "../artifact/mcp.js";
import { parsePrompt } from "../artifact/prompt.js";
import { parseSkill } from "../artifact/skill.js";
import { parseToolFile } from "../artifact/tool.js";
import type { AgentSource, McpConfigDoc, PromptDoc, SkillDoc, ToolFile } from "../artifact/types.js";
import type { FileState, Side, Snapshot } from "../input/types.js";
import { fail, type Parsed } from "../parse/result.js";

/** A file looked up at one revision: absent, or parsed (possibly as an error). */
export type Lookup<T> = { state: "absent" } | { state: "parsed"; result: Parsed<T> };

/**
 * A path the decision looked up that the shell did not read: a bug in the gathering, never an
 * absent file. The top level turns it into a block.
 */
export class NotGathered extends Error {
  constructor(
    readonly side: Side,
    readonly path: string,
  ) {
    super(`the ${side} revision's ${path} was looked up but never read: the decision's input is incomplete`);
    this.name = "NotGathered";
  }
}

const ABSENT = { state: "absent" } as const;

/** Parses by blob, shared by every view of one decision: a file parses once, whichever side reads it. */
export type ParseCache = Map<string, Parsed<unknown>>;

/** One revision's files as the decision sees them; parsing is memoized by blob. */
export class RevisionView {
  constructor(
    readonly side: Side,
    readonly rev: Snapshot,
    private readonly cache: ParseCache = new Map(),
    /** Where to read a path the change did not touch: it is the same at both revisions. */
    private readonly same?: { view: RevisionView; unchanged: (path: string) => boolean },
    /** Which source declares the agent at a path (the config's agent globs). */
    private readonly sourceOf: (path: string) => AgentSource | null = () => "capgate",
  ) {}

  /** The source that declares the agent at a path: what a runtime module found, else the config's globs. */
  agentSource(path: string): AgentSource {
    const loaded = this.rev.loads?.agents;
    if (loaded && Object.hasOwn(loaded, path)) return loaded[path]!.source;
    return this.sourceOf(path) ?? "capgate";
  }

  /** Whether the path was read (at this revision, or at head for an untouched path). */
  has(path: string): boolean {
    if (this.rev.files.has(path)) return true;
    return this.same !== undefined && this.same.unchanged(path) && this.same.view.has(path);
  }

  file(path: string): FileState {
    const f = this.rev.files.get(path);
    if (f !== undefined) return f;
    if (this.same && this.same.unchanged(path)) return this.same.view.file(path);
    // Under a folder a checkout shows but capgate cannot see into (a link out of the tree, a submodule).
    const hidden = this.hiddenBy(path);
    if (hidden) return hidden;
    throw new NotGathered(this.side, path);
  }

  /** What cannot be seen at a folder above a path, as the path's own state. */
  private hiddenBy(path: string): FileState | null {
    const unseen = this.rev.loads?.unseen;
    if (!unseen) return null;
    for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
      const dir = path.slice(0, i);
      if (Object.hasOwn(unseen, dir)) return { state: "unseen", reason: `${dir} ${unseen[dir]}` };
    }
    return null;
  }

  exists(path: string): boolean {
    return this.file(path).state !== "absent";
  }

  /** The file at a path read by `parser`, once per blob whatever reads it (`kind` names the reading). */
  parsed<T>(path: string, kind: string, parser: (path: string, text: string) => Parsed<T>): Lookup<T> {
    const f = this.file(path);
    if (f.state === "absent") return ABSENT;
    if (f.state === "error" || f.state === "opaque" || f.state === "unseen")
      return { state: "parsed", result: fail(path, f.reason) };
    if (f.state === "folder") return { state: "parsed", result: fail(path, "is a folder, not a file") };
    const key = `${kind}\0${f.oid}\0${path}`;
    let result = this.cache.get(key) as Parsed<T> | undefined;
    if (!result) {
      result = parser(path, f.text);
      this.cache.set(key, result);
    }
    return { state: "parsed", result };
  }

  tools(path: string): Lookup<ToolFile> {
    return this.parsed(path, "tool", parseToolFile);
  }
  skill(path: string): Lookup<SkillDoc> {
    return this.parsed(path, "skill", parseSkill);
  }
  mcp(path: string): Lookup<McpConfigDoc> {
    return this.parsed(path, "mcp", parseMcpConfig);
  }
  prompt(path: string): Lookup<PromptDoc> {
    return this.parsed(path, "prompt", parsePrompt);
  }
  /**
   * The repository's `capgate.lock`. It is read with what the runtimes load whenever it is there,
   * so a lock not read is no lock: its servers' tools stay unknown, the worst case.
   */
  lock(): Lookup<LockDoc> {
    return this.has(LOCK_PATH) ? this.parsed(LOCK_PATH, "lock", parseLock) : ABSENT;
  }
}

/** The two revisions of one decision: the base reads what the change left alone at head. */
export interface Views {
  base: RevisionView;
  head: RevisionView;
}

/** Views of the two snapshots; `touched` holds every path the change adds, edits, moves or removes. */
export function viewsOf(
  base: Snapshot,
  head: Snapshot,
  touched: ReadonlySet<string>,
  cache: ParseCache = new Map(),
  sourceOf?: (path: string) => AgentSource | null,
): Views {
  const headView = new RevisionView("head", head, cache, undefined, sourceOf);
  return {
    head: headView,
    base: new RevisionView("base", base, cache, { view: headView, unchanged: (p) => !touched.has(p) }, sourceOf),
  };
}

/**
 * A snapshot as one policy sees it: the manifests and MCP configs its own globs match, and every
 * one a runtime loads, whatever the globs say.
 */
export function scopedTo(
  rev: Snapshot,
  config: { artifact: { agent(p: string): boolean; mcp(p: string): boolean } },
): Snapshot {
  const loaded = rev.loads?.agents ?? {};
  const runtime = new Set(rev.loads?.mcpConfigs ?? []);
  return {
    ...rev,
    agents: rev.agents.filter((p) => Object.hasOwn(loaded, p) || config.artifact.agent(p)),
    mcpConfigs: rev.mcpConfigs.filter((p) => runtime.has(p) || config.artifact.mcp(p)),
  };
}
