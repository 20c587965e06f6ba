import type { ArtifactKind } from "../artifact/types.js";
import type { ResolvedConfig } from "../config/resolve.js";

export type PathKind = ArtifactKind | "governance";

/** What a path is by the config's globs alone (skill members and references are found later). */
export function classifyPath(path: string, config: ResolvedConfig): PathKind | null {
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
export function suitesOf(path: string, config: ResolvedConfig): string[] {
  return [...config.suites.values()].filter((s) => s.files(path)).map((s) => s.name);
}
