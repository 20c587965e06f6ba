import { posix } from "node:path";
import type { RuntimeAgent } from "../../artifact/types.js";
import { baseToolName } from "../../capability/tools.js";
import type { PluginLoad } from "../../input/types.js";
import type { RevisionView } from "../../snapshot/view.js";
import { disallows } from "./permissions.js";
import { CLAUDE_CODE } from "./tools.js";

/**
 * What a Claude Code agent loads beside it: the skills it may load with its `Skill` tool, the
 * slash commands it may run, and the settings it runs under — a project's agent those of the
 * `.claude` folder holding its `agents/` folder, a plugin's agent those of its plugin and none of
 * the repository's (it runs under the settings of whoever installs the plugin).
 */

/** The project settings a repository's agents run under when no runtime module listed the revision. */
export const CLAUDE_SETTINGS = ".claude/settings.json";

/**
 * The folder of the skills that go with a Claude Code agent: beside its `agents/` folder
 * (`.claude/skills`, a plugin's `skills`); the project's for the settings.
 */
export function skillHome(agentPath: string): string {
  const parts = agentPath.split("/");
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf("agents");
  if (at > 0) return `${parts.slice(0, at).join("/")}/skills`;
  if (/\/settings(\.local)?\.json$/i.test(agentPath)) return `${posix.dirname(agentPath)}/skills`;
  return ".claude/skills";
}

/** Where an agent belongs: the `.claude` folder it is loaded from, or the plugin it comes with. */
export interface Home {
  plugin: PluginLoad | null;
  /** The `.claude` folder, for a project's agent. */
  root: string | null;
  /** The settings it runs under, in the order they apply. */
  settings: string[];
}

export function homeOf(view: RevisionView, path: string, rt: RuntimeAgent): Home {
  const loads = view.rev.loads;
  const own = loads && Object.hasOwn(loads.agents, path) ? loads.agents[path]! : undefined;
  const pluginName = rt.pluginOf ?? own?.plugin;
  if (pluginName !== undefined) {
    const plugin = loads?.plugins.find((p) => p.name === pluginName) ?? null;
    return { plugin, root: null, settings: [] };
  }
  const root = posix.dirname(skillHome(path));
  if (!loads) return { plugin: null, root, settings: [CLAUDE_SETTINGS] };
  const session = `${root}/settings.json`;
  const layers = Object.hasOwn(loads.agents, session) ? (loads.agents[session]!.files ?? [session]) : [];
  return { plugin: null, root, settings: layers };
}

/**
 * The skills a Claude Code agent may load with its `Skill` tool, unless `disallowedTools` takes
 * the tool away: every skill beside its agents folder (the project's for the settings), or its
 * plugin's. A loaded skill's `allowed-tools` run without asking.
 */
export function loadableSkills(view: RevisionView, path: string, rt: RuntimeAgent): string[] {
  if (!hasTool(rt, "Skill")) return [];
  const home = homeOf(view, path, rt);
  if (home.plugin) return home.plugin.skills.map((p) => posix.dirname(p));
  const loaded = loadedFrom(home.root!, "skills");
  return (view.rev.skills ?? []).map((p) => posix.dirname(p)).filter((folder) => loaded(posix.dirname(folder)));
}

/**
 * The slash commands a Claude Code agent may run with its `SlashCommand` tool: every command
 * beside its agents folder (`.claude/commands/**`), or its plugin's. A command's `allowed-tools`
 * run without asking.
 */
export function runnableCommands(view: RevisionView, path: string, rt: RuntimeAgent): string[] {
  if (!hasTool(rt, "SlashCommand")) return [];
  const home = homeOf(view, path, rt);
  if (home.plugin) return [...home.plugin.commands];
  const loaded = loadedFrom(home.root!, "commands");
  const own = `${home.root}/commands/`.toLowerCase();
  return (view.rev.commands ?? []).filter((p) => {
    const m = /^((?:.*?\/)?\.claude\/commands)\//i.exec(p);
    return m ? loaded(m[1]!) : p.toLowerCase().startsWith(own);
  });
}

/**
 * Which `<folder>/.claude/<kind>` folders Claude Code loads for an agent of a `.claude` folder: as
 * started in the folder holding it, its own and every one above it up to the top of the repository;
 * and for skills, besides, every one below it (found as it works on files there). The folder of
 * another root (a plugin's, one the config names) loads only its own.
 */
function loadedFrom(root: string, kind: "skills" | "commands"): (dir: string) => boolean {
  const m = /^(?:(.*)\/)?\.claude$/i.exec(root);
  if (!m) return (dir) => dir.toLowerCase() === `${root}/${kind}`.toLowerCase();
  const home = (m[1] ?? "").toLowerCase();
  const within = (a: string, b: string) => b === "" || a === b || a.startsWith(`${b}/`);
  return (dir) => {
    const d = /^(?:(.*)\/)?\.claude\/([^/]+)$/i.exec(dir);
    if (!d || d[2]!.toLowerCase() !== kind) return false;
    const owner = (d[1] ?? "").toLowerCase();
    return within(home, owner) || (kind === "skills" && within(owner, home));
  };
}

/**
 * Whether a Claude Code agent is given a built-in tool (named, or every tool) that
 * `disallowedTools` leaves it. A plugin's own session has the session's tools: its skills and
 * commands are loaded by whoever installs it.
 */
function hasTool(rt: RuntimeAgent, tool: string): boolean {
  if (rt.pluginOf !== undefined) return true;
  const names = rt.toolNames ?? CLAUDE_CODE.every();
  if (!names.some((n) => baseToolName(n) === tool)) return false;
  return !disallows(rt.removed, tool);
}
