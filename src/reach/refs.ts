import { normalizeRef } from "../common/paths.js";
import type { RevisionView } from "../snapshot/view.js";

/** What an agent references, with paths normalized: the edges along which a change touches it. */
export interface AgentRefs {
  prompt: string | null;
  toolFiles: string[];
  skills: string[];
  servers: string[];
}

export const NO_REFS: AgentRefs = { prompt: null, toolFiles: [], skills: [], servers: [] };

/** The references of the manifest at a path, or null when it cannot be read. */
export function manifestRefs(view: RevisionView, path: string): AgentRefs | null {
  const a = view.agent(path);
  if (a.state !== "parsed" || !a.result.ok) return null;
  const m = a.result.value;
  const paths = (list: readonly string[]) => list.map(normalizeRef).filter((p): p is string => p !== null);
  return {
    prompt: m.prompt === undefined ? null : normalizeRef(m.prompt),
    toolFiles: paths([...m.tools.map((t) => t.path), ...m.servers.flatMap((s) => s.tools ?? [])]),
    skills: paths(m.skills),
    servers: m.servers.map((s) => s.name),
  };
}

/** Every path a set of references reads (a skill by its SKILL.md). */
export function referencedPaths(refs: AgentRefs): string[] {
  return [...(refs.prompt ? [refs.prompt] : []), ...refs.toolFiles, ...refs.skills.map((s) => `${s}/SKILL.md`)];
}
