import { posix } from "node:path";
import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS } from "./defaults.js";
import { globMatcher } from "./glob.js";
import { AGENT_SOURCES, type ConfiguredSource } from "./schema.js";

export const FOUND_LABELS: Record<string, string> = {
  capgate: "capgate agent manifests",
  "claude-code": "Claude Code subagents",
  "claude-settings": "Claude Code project settings",
  copilot: "Copilot agents, chat modes and prompt files",
  skill: "skills (SKILL.md)",
  tool: "tool files",
  mcp: "MCP configs",
  prompt: "prompts",
};

/** What `capgate init` found of one kind or source, and the globs that match it. */
export interface Found {
  /** What it is, in words ("Claude Code subagents"). */
  what: string;
  paths: string[];
  /** The globs to write: the defaults, and folders the defaults miss. */
  globs: string[];
  /** The defaults already match every path found. */
  defaults: boolean;
}

export interface Discovery {
  agents: Record<ConfiguredSource, Found>;
  /** The runtimes whose agents it holds, as they load them (plugins and marketplaces included). */
  runtimes?: { name: string; agents: string[]; plugins: string[] }[];
  kinds: Record<"prompt" | "skill" | "tool" | "mcp", Found>;
  /** Eval suites: `evals/<suite>/`, or where a promptfoo config is, by the files that define them. */
  suites: { name: string; files: string[] }[];
}

/** Where each source's files may be, anywhere in a repository (wider than the defaults, which are listed on every check). */
const WHERE_AGENTS: Record<ConfiguredSource, string[]> = {
  capgate: DEFAULT_AGENT_GLOBS.capgate,
  "claude-code": ["**/.claude/agents/**/*.md"],
  "claude-settings": [".claude/settings.json"],
  copilot: ["**/*.agent.md", "**/*.chatmode.md", "**/*.prompt.md", ".github/agents/**/*.md"],
};
const WHERE_MCP = [
  "**/.mcp.json",
  "**/.vscode/mcp.json",
  "**/.cursor/mcp.json",
  "**/gemini-extension.json",
  ".gemini/settings.json",
  ".zed/settings.json",
  ".continue/mcpServers/*.{yaml,yml,json}",
];

/** A file's own suffix, kept in the glob written for its folder (`x.agent.md` → `*.agent.md`). */
function suffixOf(path: string): string {
  const m = /(\.(agent|chatmode|prompt)\.md|\.[^./]+)$/.exec(path);
  return m ? m[1]! : "";
}

/**
 * What a repository already has, from the paths of its tree: each agent source and artifact kind,
 * with globs that match what was found (the defaults, and a glob per folder they miss). A folder
 * holding `.claude-plugin/plugin.json` is a Claude Code plugin: its `agents/` are subagents.
 */
export function discover(paths: readonly string[]): Discovery {
  const plugins = paths
    .filter((p) => p.endsWith(".claude-plugin/plugin.json"))
    .map((p) => posix.dirname(posix.dirname(p)))
    .map((root) => (root === "." ? "" : `${root}/`));
  const agents = {} as Record<ConfiguredSource, Found>;
  for (const s of AGENT_SOURCES) {
    const where = [...WHERE_AGENTS[s], ...(s === "claude-code" ? plugins.map((r) => `${r}agents/**/*.md`) : [])];
    agents[s] = found(s, paths, where, DEFAULT_AGENT_GLOBS[s], s === "claude-code" ? pluginGlob(plugins) : folderGlob);
  }
  const kinds = {
    prompt: found("prompt", paths, DEFAULT_ARTIFACT_GLOBS.prompt, DEFAULT_ARTIFACT_GLOBS.prompt, folderGlob),
    skill: found("skill", paths, DEFAULT_ARTIFACT_GLOBS.skill, DEFAULT_ARTIFACT_GLOBS.skill, folderGlob),
    tool: found("tool", paths, DEFAULT_ARTIFACT_GLOBS.tool, DEFAULT_ARTIFACT_GLOBS.tool, folderGlob),
    mcp: found("mcp", paths, WHERE_MCP, DEFAULT_ARTIFACT_GLOBS.mcp, siblingGlob(paths)),
  };
  // A Copilot prompt file is an agent source, not a prompt to version.
  kinds.prompt.paths = kinds.prompt.paths.filter((p) => !agents.copilot.paths.includes(p));
  return { agents, kinds, suites: suitesIn(paths) };
}

function found(
  what: string,
  paths: readonly string[],
  where: readonly string[],
  defaults: readonly string[],
  globFor: (path: string) => string,
): Found {
  const here = globMatcher(where);
  const byDefault = globMatcher(defaults);
  const hits = paths.filter((p) => here(p));
  const missed = hits.filter((p) => !byDefault(p));
  const extra = [...new Set(missed.map(globFor))].sort();
  return {
    what: FOUND_LABELS[what] ?? what,
    paths: hits,
    globs: [...defaults, ...extra],
    defaults: missed.length === 0,
  };
}

/**
 * An MCP config's own path, or, when folders beside its folder hold one of the same name
 * (`external_plugins/<each>/.mcp.json`), the glob of all of them: a plugin added later is gated.
 */
function siblingGlob(paths: readonly string[]): (path: string) => string {
  return (path) => {
    const parts = path.split("/");
    if (parts.length < 3) return path;
    const glob = [...parts.slice(0, -2), "*", parts[parts.length - 1]!].join("/");
    const match = globMatcher([glob]);
    return paths.filter((p) => match(p)).length > 1 ? glob : path;
  };
}

/** The glob of a file's folder, by its suffix. */
function folderGlob(path: string): string {
  const dir = posix.dirname(path);
  return `${dir === "." ? "" : `${dir}/`}*${suffixOf(path)}`;
}

/** A plugin's subagents by its `agents/` folder; any other subagent by its folder. */
function pluginGlob(plugins: readonly string[]): (path: string) => string {
  return (path) => {
    const root = plugins.find((r) => path.startsWith(`${r}agents/`));
    if (root !== undefined) return `${root}agents/**/*.md`;
    const at = path.indexOf(".claude/agents/");
    return `${path.slice(0, at)}.claude/agents/**/*.md`;
  };
}

function suitesIn(paths: readonly string[]): { name: string; files: string[] }[] {
  const out = new Map<string, { name: string; files: string[] }>();
  const named = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, "-");
  for (const p of paths) {
    const m = /^(evals?\/[^/]+)\//.exec(p);
    if (m && !m[1]!.includes(".")) out.set(m[1]!, { name: named(m[1]!.split("/")[1]!), files: [`${m[1]}/**`] });
    if (/(^|\/)promptfooconfig\.(ya?ml|json)$/.test(p)) {
      const folder = posix.dirname(p);
      // A promptfoo config at the top defines its suite alone; elsewhere, its folder does.
      if (folder === ".") out.set(p, { name: "promptfoo", files: [p] });
      else if (![...out.keys()].some((k) => folder.startsWith(`${k}/`) || folder === k))
        out.set(folder, { name: named(posix.basename(folder)), files: [`${folder}/**`] });
    }
  }
  return [...out.values()];
}
