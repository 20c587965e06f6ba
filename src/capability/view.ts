import { posix } from "node:path";
import { parseAgent } from "../artifact/agent.js";
import { parseMcpConfig } from "../artifact/mcp.js";
import { parsePrompt } from "../artifact/prompt.js";
import { parseSkill } from "../artifact/skill.js";
import { parseToolFile } from "../artifact/tool.js";
import type { AgentManifest, McpConfigDoc, PromptDoc, SkillDoc, ToolFile } from "../artifact/types.js";
import type { FileState, RevisionFiles, Side } from "../decision/input.js";
import { fail, type Parsed } from "../parse/result.js";

/** A file looked up at one revision: absent, not yet gathered, or parsed (possibly as an error). */
export type Lookup<T> = { state: "absent" } | { state: "pending" } | { state: "parsed"; result: Parsed<T> };

const PENDING = { state: "pending" } as const;
const ABSENT = { state: "absent" } as const;

/**
 * One revision's files as the analysis sees them. Lookups of paths that were not gathered are
 * recorded, so the shell can read them and run the analysis again; parsing is memoized by blob.
 */
export class RevisionView {
  readonly missing = new Set<string>();

  /** `cache` may be shared between the views of one decision: an unchanged file parses once. */
  constructor(
    readonly side: Side,
    readonly rev: RevisionFiles,
    private readonly cache: Map<string, Parsed<unknown>> = new Map(),
    /** Where to read a path the change did not touch: it is the same at both revisions. */
    private readonly same?: { view: RevisionView; unchanged: (path: string) => boolean },
  ) {}

  file(path: string): FileState | { state: "pending" } {
    if (this.same && !this.rev.files.has(path) && this.same.unchanged(path)) return this.same.view.file(path);
    const f = this.rev.files.get(path);
    if (f === undefined) {
      this.missing.add(path);
      return PENDING;
    }
    return f;
  }

  exists(path: string): boolean | "pending" {
    const f = this.file(path);
    if (f.state === "pending") return "pending";
    return f.state !== "absent";
  }

  private parse<T>(path: string, kind: string, parser: (path: string, text: string) => Parsed<T>): Lookup<T> {
    const f = this.file(path);
    if (f.state === "pending") return PENDING;
    if (f.state === "absent") return ABSENT;
    if (f.state === "error") return { state: "parsed", result: fail(path, f.reason) };
    const key = `${kind}\0${f.oid}\0${path}`;
    let result = this.cache.get(key) as Parsed<T> | undefined;
    if (!result) {
      result = parser(path, f.text);
      this.cache.set(key, result);
    }
    return { state: "parsed", result };
  }

  agent(path: string): Lookup<AgentManifest> {
    return this.parse(path, "agent", parseAgent);
  }
  tools(path: string): Lookup<ToolFile> {
    return this.parse(path, "tool", parseToolFile);
  }
  skill(path: string): Lookup<SkillDoc> {
    return this.parse(path, "skill", parseSkill);
  }
  mcp(path: string): Lookup<McpConfigDoc> {
    return this.parse(path, "mcp", parseMcpConfig);
  }
  prompt(path: string): Lookup<PromptDoc> {
    return this.parse(path, "prompt", parsePrompt);
  }
}

/**
 * Normalizes a path an agent names (relative to the repository root). Returns null for a path
 * that is absolute or leaves the repository.
 */
export function normalizeRef(ref: string): string | null {
  if (ref.includes("\0") || ref.startsWith("/") || /^[A-Za-z]:/.test(ref) || ref.includes("\\")) return null;
  const n = posix.normalize(ref).replace(/\/+$/, "");
  if (n === "." || n === ".." || n.startsWith("../") || n === "") return null;
  return n;
}

export function ancestors(path: string): string[] {
  const out: string[] = [];
  let dir = posix.dirname(path);
  while (dir !== "." && dir !== "/") {
    out.push(dir);
    dir = posix.dirname(dir);
  }
  return out;
}
