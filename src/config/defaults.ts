import type { ConfiguredArtifactKind, ConfiguredSource } from "./schema.js";

export const DEFAULT_CONFIG_PATH = ".github/capgate.yml";

/** The lowest tier whose MCP servers must be pinned when the config does not say (`pins`). */
export const DEFAULT_PINS = "write";

/** Paths whose change touches `governance`, besides the config itself. */
export const GOVERNANCE_GLOBS = [".github/workflows/**"];

export const DEFAULT_ARTIFACT_GLOBS: Record<Exclude<ConfiguredArtifactKind, "agent">, string[]> = {
  prompt: ["prompts/**", "**/*.prompt.yml", "**/*.prompty", "**/*.prompt"],
  skill: ["**/SKILL.md"],
  tool: ["tools/**/*.{json,yaml,yml}"],
  // The project files of Claude Code, VS Code, Cursor, Gemini, Zed and Continue (a Claude Code
  // plugin's `.mcp.json` is its own session's, loaded through the plugin: src/runtime/claude-code).
  mcp: [
    ".mcp.json",
    ".vscode/mcp.json",
    ".cursor/mcp.json",
    ".gemini/settings.json",
    "gemini-extension.json",
    ".zed/settings.json",
    ".continue/mcpServers/*.{yaml,yml,json}",
  ],
};

/**
 * Where each source declares agents, by default. No default begins with `**`: agents and MCP
 * configs are listed on every check, and a listing of the whole tree costs what the repository
 * weighs; `capgate init` writes globs for agents found anywhere else.
 */
export const DEFAULT_AGENT_GLOBS: Record<ConfiguredSource, string[]> = {
  capgate: ["agents/**/*.{yaml,yml}"],
  "claude-code": [".claude/agents/**/*.md", "plugins/*/agents/**/*.md"],
  "claude-settings": [".claude/settings.json"],
  copilot: [".github/agents/**/*.md", ".github/chatmodes/**/*.chatmode.md", ".github/prompts/**/*.prompt.md"],
};
