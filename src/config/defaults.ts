import type { ConfiguredArtifactKind } from "./schema.js";

export const DEFAULT_CONFIG_PATH = ".github/capgate.yml";

/** Paths whose change touches `governance`, besides the config itself. */
export const GOVERNANCE_GLOBS = [".github/workflows/**"];

export const DEFAULT_ARTIFACT_GLOBS: Record<ConfiguredArtifactKind, string[]> = {
  prompt: ["prompts/**", "**/*.prompt.yml", "**/*.prompty", "**/*.prompt"],
  skill: ["**/SKILL.md"],
  tool: ["tools/**/*.{json,yaml,yml}"],
  mcp: [".mcp.json", ".vscode/mcp.json", ".cursor/mcp.json"],
  agent: ["agents/**/*.{yaml,yml}"],
};

/**
 * Tool names known to be read-only without further classification: the read-only tools of
 * Claude Code that skills name in `allowed-tools`.
 */
export const BUILTIN_READ_ONLY_TOOLS = ["Read", "Grep", "Glob", "LS", "NotebookRead", "TodoRead"];
