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

/**
 * The suites that trust committed results and whose `results` or `baseline` globs match a path:
 * with `trust_committed_results`, a change to such a file is itself gated. The globs
 * are relative to the results folder, `resultsRoot` in the repository ("" for its top), or null
 * when that folder is outside it.
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
