import { posix } from "node:path";
import type { RuntimeAgent } from "../../artifact/types.js";
import { baseToolName } from "../../capability/tools.js";
import { ancestors } from "../../common/paths.js";
import type { ResolvedConfig } from "../../config/resolve.js";
import type { RevisionView } from "../../snapshot/view.js";
import { takesAway } from "./permissions.js";
import { CLAUDE_CODE } from "./tools.js";

/**
 * What Claude Code loads beside its agents: the skills an agent may load with its `Skill` tool and
 * the slash commands it may run, each from the folder that holds its `agents/` folder (`.claude`,
 * a plugin's), and the project settings every agent of the repository runs under.
 */

/** The project settings every Claude Code agent of the repository runs under. */
export const CLAUDE_SETTINGS = ".claude/settings.json";

/**
 * The folder of the skills that go with a Claude Code agent: beside its `agents/` folder
 * (`.claude/skills`, a plugin's `skills`); the project's for the settings.
 */
export function skillHome(agentPath: string): string {
  const parts = agentPath.split("/");
  const at = parts.lastIndexOf("agents");
  return `${at > 0 ? parts.slice(0, at).join("/") : ".claude"}/skills`;
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
  const names = rt.toolNames ?? CLAUDE_CODE.every();
  if (!names.some((n) => baseToolName(n) === tool)) return false;
  return !takesAway(rt.removed, tool);
}

export type Loadable = "skills" | "commands";

/**
 * What a tree entry stands for beside the Claude Code roots given: a skill (by its `SKILL.md`, at
 * `<root>/skills/<name>/SKILL.md`) or a slash command (`<root>/commands/**\/*.md`), or nothing.
 * A link where a skill folder, a commands folder or a command goes stands for a path that
 * cannot be read.
 */
export function loadableIn(roots: readonly string[]) {
  const homes = (kind: Loadable) => new Set(roots.map((r) => `${r}/${kind}`));
  const skillHomes = homes("skills");
  const commandHomes = homes("commands");
  // What an entry stands for: a skill (by its SKILL.md) or a command, at its root; or nothing.
  return (path: string, mode: string): { kind: Loadable; path: string; root: string } | null => {
    const link = mode === "120000";
    if (link && (skillHomes.has(path) || commandHomes.has(path))) {
      const kind = skillHomes.has(path) ? "skills" : "commands";
      return { kind, path: kind === "skills" ? `${path}/*/SKILL.md` : `${path}/*.md`, root: posix.dirname(path) };
    }
    const home = ancestors(path).find((d) => commandHomes.has(d));
    if (home) {
      if (!link && !/\.md$/i.test(path)) return null;
      return { kind: "commands", path: link ? `${path}/*.md` : path, root: posix.dirname(home) };
    }
    const dir = link ? path : posix.dirname(path);
    if (!link && posix.basename(path) !== "SKILL.md") return null;
    if (!skillHomes.has(posix.dirname(dir))) return null;
    return { kind: "skills", path: `${dir}/SKILL.md`, root: posix.dirname(posix.dirname(dir)) };
  };
}

/** Where the Claude Code agents among `agents` keep what they load: the folder holding their `agents/` (`.claude`, a plugin's). */
export function claudeRoots(agents: readonly string[], policies: readonly ResolvedConfig[]): string[] {
  const claude = (p: string) =>
    policies.some((c) => ["claude-code", "claude-settings"].includes(c.agentSource(p) ?? ""));
  return [...new Set(agents.filter(claude).map((p) => posix.dirname(skillHome(p))))].sort();
}
