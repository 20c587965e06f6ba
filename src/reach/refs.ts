import { normalizeRef } from "../common/paths.js";
import { agentAt, runtimeFor } from "../runtime/registry.js";
import type { RevisionView } from "../snapshot/view.js";

/** What an agent references, with paths normalized: the edges along which a change touches it. */
export interface AgentRefs {
  prompt: string | null;
  toolFiles: string[];
  skills: string[];
  servers: string[];
  /** Other files its tier depends on (the Claude Code settings a subagent runs under). */
  files: string[];
  /** It may use every server the MCP configs declare: a change to any server reaches it. */
  allServers: boolean;
  /** The servers its own file declares (a Codex or Gemini config's, a subagent's): their entries in `capgate.lock` reach it. */
  ownServers: string[];
  /** What its automation runs from the repository (a folder ends with `/`): a change there is governance. */
  automation: string[];
}

export const NO_REFS: AgentRefs = {
  prompt: null,
  toolFiles: [],
  skills: [],
  servers: [],
  files: [],
  allServers: false,
  ownServers: [],
  automation: [],
};

/** Every path a set of references reads (a skill by its SKILL.md). */
export function referencedPaths(refs: AgentRefs): string[] {
  return [
    ...(refs.prompt ? [refs.prompt] : []),
    ...refs.toolFiles,
    ...refs.skills.map((s) => `${s}/SKILL.md`),
    // A part of a file (`path` NUL `part`) is read as its file.
    ...refs.files.map((f) => f.split("\0")[0]!),
  ];
}

/** The references of the manifest at a path, or null when it cannot be read. */
export function manifestRefs(view: RevisionView, path: string): AgentRefs | null {
  const a = agentAt(view, path);
  if (a.state !== "parsed" || !a.result.ok) return null;
  const m = a.result.value;
  const paths = (list: readonly string[]) => list.map(normalizeRef).filter((p): p is string => p !== null);
  const rt = m.runtime;
  const own = rt
    ? runtimeFor(rt.kind).refs(view, path, { ...m, runtime: rt })
    : { skills: [], servers: [], files: [], automation: [] };
  return {
    prompt: m.prompt === undefined ? null : normalizeRef(m.prompt),
    toolFiles: paths([...m.tools.map((t) => t.path), ...m.servers.flatMap((s) => s.tools ?? [])]),
    skills: [...new Set([...paths(m.skills), ...own.skills])],
    servers: [...new Set([...m.servers.map((s) => s.name), ...own.servers])],
    files: own.files,
    allServers: rt?.allServers ?? false,
    ownServers: [...new Set((rt?.inlineServers ?? []).map((s) => s.name))],
    automation: own.automation,
  };
}
