import { posix } from "node:path";
import { skillHome } from "../artifact/runtime.js";
import type { RuntimeAgent } from "../artifact/types.js";
import { everyBuiltin } from "../capability/builtins.js";
import { takesAway } from "../capability/permissions.js";
import { baseToolName } from "../capability/tools.js";
import { normalizeRef } from "../common/paths.js";
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
}

export const NO_REFS: AgentRefs = {
  prompt: null,
  toolFiles: [],
  skills: [],
  servers: [],
  files: [],
  allServers: false,
};

/** The project settings every Claude Code agent of the repository runs under. */
export const CLAUDE_SETTINGS = ".claude/settings.json";

/** The references of the manifest at a path, or null when it cannot be read. */
export function manifestRefs(view: RevisionView, path: string): AgentRefs | null {
  const a = view.agent(path);
  if (a.state !== "parsed" || !a.result.ok) return null;
  const m = a.result.value;
  const paths = (list: readonly string[]) => list.map(normalizeRef).filter((p): p is string => p !== null);
  const rt = m.runtime;
  return {
    prompt: m.prompt === undefined ? null : normalizeRef(m.prompt),
    toolFiles: paths([...m.tools.map((t) => t.path), ...m.servers.flatMap((s) => s.tools ?? [])]),
    skills: [...new Set([...paths(m.skills), ...(rt ? loadableSkills(view, path, rt) : [])])],
    servers: [...new Set([...m.servers.map((s) => s.name), ...(rt ? namedServers(rt) : [])])],
    files: [
      ...(rt?.kind === "claude-code" && !rt.settings ? [CLAUDE_SETTINGS] : []),
      ...(rt ? runnableCommands(view, path, rt) : []),
    ],
    allServers: rt?.allServers ?? false,
  };
}

/**
 * The skills a Claude Code agent may load with its `Skill` tool, unless `disallowedTools` takes
 * the tool away: every skill beside its agents folder (the project's for the settings). A loaded
 * skill's `allowed-tools` run without asking.
 */
export function loadableSkills(view: RevisionView, path: string, rt: RuntimeAgent): string[] {
  if (!hasTool(rt, "Skill")) return [];
  const home = skillHome(path);
  return (view.rev.skills ?? []).map((p) => posix.dirname(p)).filter((folder) => posix.dirname(folder) === home);
}

/**
 * The slash commands a Claude Code agent may run with its `SlashCommand` tool: every command
 * beside its agents folder (`.claude/commands/**`). A command's `allowed-tools` run without asking.
 */
export function runnableCommands(view: RevisionView, path: string, rt: RuntimeAgent): string[] {
  if (!hasTool(rt, "SlashCommand")) return [];
  const home = `${posix.dirname(skillHome(path))}/commands/`;
  return (view.rev.commands ?? []).filter((p) => p.startsWith(home));
}

/** Whether a Claude Code agent is given a built-in tool (named, or every tool) that `disallowedTools` leaves it. */
function hasTool(rt: RuntimeAgent, tool: string): boolean {
  if (rt.kind !== "claude-code") return false;
  const names = rt.toolNames ?? everyBuiltin("claude-code");
  if (!names.some((n) => baseToolName(n) === tool)) return false;
  return !takesAway(rt.removed, tool);
}

/** Every path a set of references reads (a skill by its SKILL.md). */
export function referencedPaths(refs: AgentRefs): string[] {
  return [
    ...(refs.prompt ? [refs.prompt] : []),
    ...refs.toolFiles,
    ...refs.skills.map((s) => `${s}/SKILL.md`),
    ...refs.files,
  ];
}

/** The servers a runtime agent's tool names name: `mcp__server__tool`, `server/tool`, `server/*`. */
export function namedServers(rt: RuntimeAgent): string[] {
  const out: string[] = [];
  for (const name of rt.toolNames ?? []) {
    const server = mcpServerOf(rt.kind, name);
    if (server) out.push(server);
  }
  return out;
}

/** The server a tool name belongs to, when it names an MCP tool. */
export function mcpServerOf(kind: RuntimeAgent["kind"], name: string): string | null {
  if (kind === "claude-code") {
    if (!name.startsWith("mcp__")) return null;
    const rest = name.slice(5);
    const sep = rest.indexOf("__");
    return sep < 0 ? rest : rest.slice(0, sep);
  }
  // Copilot names a server's tools `server/tool` or `server/*`, or the whole server by its name;
  // a built-in tool set's name (`search`) may be a server's too, and is read both ways.
  const slash = name.indexOf("/");
  return slash > 0 ? name.slice(0, slash) : name;
}
