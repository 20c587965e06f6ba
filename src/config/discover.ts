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
  /** The runtimes capgate reads that the repository holds no agents of. */
  runtimesMissing?: string[];
  kinds: Record<"prompt" | "skill" | "tool" | "mcp", Found>;
  /**
   * Eval suites: a folder under `evals/` (or `eval/`), or where a promptfoo config is, that holds
   * eval definitions or results, with why it is one.
   */
  suites: { name: string; files: string[]; why: string }[];
  /** Folders named like eval suites that hold neither definitions nor results: not proposed, and why. */
  notSuites: { folder: string; why: string }[];
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
export function discover(paths: readonly string[], isInspectTask: (path: string) => boolean = () => false): Discovery {
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
  return { agents, kinds, ...suitesIn(paths, isInspectTask) };
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

/**
 * What makes a file an eval suite's: a definition (a promptfoo config, an Inspect task, a dataset
 * of cases) or results (an Inspect log, a results file). Said in words; null for anything else —
 * the code of a package merely kept in a folder named `evals` defines no suite.
 */
function evalEvidence(path: string, isInspectTask: (path: string) => boolean): string | null {
  const name = posix.basename(path);
  if (/^promptfooconfig\.(ya?ml|json|js|ts)$/.test(name) || /\.promptfoo\.ya?ml$/.test(name)) return "promptfoo config";
  if (/\.py$/.test(name) && isInspectTask(path)) return "Inspect task";
  if (/\.eval$/.test(name)) return "Inspect log";
  if (/\.jsonl$/.test(name) || /^(cases|tests|dataset|samples)([-_.][^/]*)?\.(ya?ml|json|csv)$/.test(name))
    return "eval cases";
  if (/^(eval[-_])?results?([-_.][^/]*)?\.(json|xml)$/.test(name)) return "eval results";
  return null;
}

function suitesIn(
  paths: readonly string[],
  isInspectTask: (path: string) => boolean,
): { suites: Discovery["suites"]; notSuites: Discovery["notSuites"] } {
  const folders = new Map<string, string[]>();
  const named = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, "-");
  for (const p of paths) {
    const m = /^(evals?\/[^/]+)\//.exec(p);
    const promptfoo = /(^|\/)promptfooconfig\.(ya?ml|json)$/.test(p) ? posix.dirname(p) : null;
    const folder = m && !m[1]!.includes(".") ? m[1]! : promptfoo;
    if (folder === null) continue;
    if (!folders.has(folder)) folders.set(folder, []);
    folders.get(folder)!.push(p);
  }
  const suites: Discovery["suites"] = [];
  const notSuites: Discovery["notSuites"] = [];
  for (const [folder, files] of folders) {
    // A folder inside a suite already found is that suite's.
    if (suites.some((s) => s.files.some((f) => f === `${folder}/**` || folder.startsWith(f.replace(/\*\*$/, "")))))
      continue;
    const evidence = files.map((f) => [f, evalEvidence(f, isInspectTask)] as const).find(([, why]) => why !== null);
    if (!evidence) {
      notSuites.push({ folder, why: `no eval definitions or results among its ${files.length} files` });
      continue;
    }
    const [file, why] = evidence;
    if (folder === ".") suites.push({ name: "promptfoo", files: [file], why: `${why}: ${file}` });
    else suites.push({ name: named(posix.basename(folder)), files: [`${folder}/**`], why: `${why}: ${file}` });
  }
  const by = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    suites: suites.sort((a, b) => by(a.name, b.name)),
    notSuites: notSuites.sort((a, b) => by(a.folder, b.folder)),
  };
}
