import type { AgentManifest, RuntimeAgent, SkillDoc } from "../../artifact/types.js";
import { unknownCapability, type Capability } from "../../capability/tools.js";
import type { ResolvedConfig } from "../../config/resolve.js";
import type { FileError } from "../../parse/result.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { serversFor } from "../servers.js";
import { skillCapabilities } from "../skills.js";
import type { AgentRuntime, RuntimeContext } from "../types.js";
import { CLAUDE_SETTINGS, loadableSkills, runnableCommands } from "./loads.js";
import { NO_PERMISSIONS, permissionOf, scopedAllows, takesAway, type ClaudePermissions } from "./permissions.js";
import { parseClaudeSettings } from "./settings.js";
import { CLAUDE_CODE } from "./tools.js";

/**
 * Claude Code: its subagents and the repository's session, their tools in its own names
 * (`mcp__server__tool` for a server's), and its permission model — deny, then the mode, then ask,
 * then allow — deciding whether a person is asked before each call.
 */

interface ClaudeContext extends RuntimeContext {
  permissions: ClaudePermissions;
  mode: string | null;
}

export const claudeCode: AgentRuntime<ClaudeContext> = {
  kind: "claude-code",
  name: "Claude Code",
  builtin: (name) => CLAUDE_CODE.builtin(name),
  everyBuiltin: () => CLAUDE_CODE.every(),
  canonical: (name) => name,
  mcpTool: (name) => mcpToolOf(name),
  serverTool: (server, tool) => `mcp__${server}__${tool}`,
  // Tool allowlists are other clients' fields (Copilot `tools`, Gemini `includeTools`/`excludeTools`):
  // Claude Code starts the whole server.
  honoursServerLists: false,
  alsoServer: () => null,
  takesAway: (removed, name) => takesAway(removed, name),
  context(view, _path, rt) {
    const errors: FileError[] = [];
    let permissions = NO_PERMISSIONS;
    let mode = rt.permissionMode;
    const own = rt.settings;
    if (own) permissions = { source: CLAUDE_SETTINGS, ...own };
    else {
      const s = view.parsed(CLAUDE_SETTINGS, "claude-settings", parseSettingsDoc);
      const read = s.state === "parsed" ? s.result : null;
      if (read?.ok) permissions = { source: CLAUDE_SETTINGS, ...read.value };
      else if (read) {
        // Settings that cannot be read say nothing about what is asked: the worst case.
        errors.push(read.error);
        mode = `unreadable (${CLAUDE_SETTINGS} cannot be read)`;
      }
    }
    // Its own hooks run beside the settings' (a subagent's frontmatter `hooks`).
    if (rt.approvingHooks?.length)
      permissions = {
        ...permissions,
        approvingHooks: [
          ...permissions.approvingHooks,
          ...rt.approvingHooks.map((h) => ({ ...h, where: "its own frontmatter" })),
        ],
      };
    const reach = serversFor(view, rt, {
      enabled: rt.settings ? new Set(rt.settings.enabledMcpjsonServers) : null,
      disabled: new Set(rt.settings?.disabledMcpjsonServers ?? []),
    });
    return { ...reach, errors: [...errors, ...reach.errors], permissions, mode };
  },
  confirm: (tool, _rt, ctx) => permissionOf(tool, true, ctx.permissions, ctx.mode),
  extras: (view, path, m, ctx, config) => extrasOf(view, path, m, ctx, config),
  refs(view, path, m) {
    const rt = m.runtime;
    return {
      skills: loadableSkills(view, path, rt),
      servers: namedServers(rt),
      files: [...(rt.settings ? [] : [CLAUDE_SETTINGS]), ...runnableCommands(view, path, rt)],
    };
  },
};

const parseSettingsDoc = (path: string, text: string) => {
  const r = parseClaudeSettings(path, text);
  return r.ok ? { ok: true as const, value: r.value.runtime!.settings! } : r;
};

/** The server and tool an MCP tool name names: `mcp__server__tool`, `mcp__server__*`, `mcp__server`. */
function mcpToolOf(name: string): { server: string; tool: string | null } | null {
  if (!name.startsWith("mcp__")) return null;
  const rest = name.slice(5);
  const sep = rest.indexOf("__");
  if (sep < 0) return { server: rest, tool: null };
  const tool = rest.slice(sep + 2);
  return { server: rest.slice(0, sep), tool: tool === "*" ? null : tool };
}

/** The servers its tool names name. */
function namedServers(rt: RuntimeAgent): string[] {
  return (rt.toolNames ?? []).flatMap((name) => mcpToolOf(name)?.server ?? []);
}

/**
 * What it may do besides its tools: the skills it may load with its `Skill` tool and the commands
 * it may run with `SlashCommand` (what their `allowed-tools` pre-approve runs without asking), and
 * the commands an allow rule runs without asking that the config calls writing.
 */
function extrasOf(
  view: RevisionView,
  path: string,
  m: AgentManifest & { runtime: RuntimeAgent },
  ctx: ClaudeContext,
  config: ResolvedConfig,
): Capability[] {
  const caps: Capability[] = [];
  const named = new Set(m.skills);
  for (const folder of loadableSkills(view, path, m.runtime))
    if (!named.has(folder))
      caps.push(
        ...preApproved(
          view.skill(`${folder}/SKILL.md`),
          `skill ${folder}`,
          `skill ${folder} (loaded with the Skill tool)`,
          ctx,
          config,
        ),
      );
  for (const command of runnableCommands(view, path, m.runtime))
    caps.push(
      ...preApproved(
        view.command(command),
        `command ${command}`,
        `command ${command} (run with the SlashCommand tool)`,
        ctx,
        config,
      ),
    );
  for (const rule of scopedAllows(ctx.permissions))
    if (config.isClassifiedWriting(rule))
      caps.push({
        name: rule,
        source: m.runtime.what,
        writing: true,
        why: "classified writing by the config",
        confirmable: false,
        confirmation: { asked: false, why: `${ctx.permissions.source}: \`${rule}\` in permissions.allow` },
      });
  return caps;
}

/**
 * What a skill the agent may load with its `Skill` tool gives: the writing tools its
 * `allowed-tools` name, which run without asking while the skill is active (less what the
 * settings deny). A skill that names none gives nothing; one that cannot be read, anything.
 */
function preApproved(
  doc: Lookup<SkillDoc>,
  source: string,
  what: string,
  ctx: ClaudeContext,
  config: ResolvedConfig,
): Capability[] {
  const why = `${what} pre-approves it in allowed-tools`;
  if (doc.state !== "parsed" || !doc.result.ok)
    return [
      {
        ...unknownCapability(`${source} (allowed-tools)`, what, "it cannot be read"),
        confirmation: { asked: false, why: `${what} cannot be read, so it may pre-approve any tool` },
      },
    ];
  if (!doc.result.value.allowedTools?.length) return [];
  return skillCapabilities(doc.result.value, source, config)
    .filter((c) => c.writing && !takesAway(ctx.permissions.deny, c.name))
    .map((c) => ({ ...c, source, confirmable: false, confirmation: { asked: false, why } }));
}
