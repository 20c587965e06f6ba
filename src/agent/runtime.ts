import type { AgentManifest, McpServer, RuntimeAgent, SkillDoc } from "../artifact/types.js";
import { builtinTool, everyBuiltin, RUNTIME_NAMES } from "../capability/builtins.js";
import {
  NO_PERMISSIONS,
  permissionOf,
  scopedAllows,
  takesAway,
  type ClaudePermissions,
  type ClaudeTool,
} from "../capability/permissions.js";
import { baseToolName, skillCapabilities, unknownCapability, WRITES, type Capability } from "../capability/tools.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError } from "../parse/result.js";
import { CLAUDE_SETTINGS, loadableSkills, runnableCommands } from "../reach/refs.js";
import type { Lookup, RevisionView } from "../snapshot/view.js";
import { serversAt } from "./servers.js";

/**
 * What an agent an agent runtime declares can do: each tool it is given, read in the runtime's
 * own terms (the built-in table, MCP tool names resolved to the servers of the MCP configs), and
 * whether the runtime asks before each call (Claude Code's permission rules and mode; Copilot does
 * not document when it asks, so it is taken as never).
 */
export function runtimeCapabilities(
  view: RevisionView,
  path: string,
  m: AgentManifest & { runtime: RuntimeAgent },
  config: ResolvedConfig,
): { caps: Capability[]; errors: FileError[] } {
  const rt = m.runtime;
  const runtime = RUNTIME_NAMES[rt.kind];
  if (rt.unreadable)
    return {
      caps: [
        {
          ...unknownCapability(`every ${runtime} tool`, rt.what, `what it declares cannot be read: ${rt.unreadable}`),
          confirmation: { asked: false, why: `${runtime} may give it every tool` },
        },
      ],
      errors: [],
    };
  const ctx = contextOf(view, rt);
  const caps: Capability[] = [];
  const names = rt.toolNames ?? everyBuiltin(rt.kind);
  // `disallowedTools` takes away what its rules cover whole (`Bash`, `mcp__server`, `mcp__server__*`);
  // a rule scoped to one command (`Bash(rm:*)`) leaves the tool, as does one that cannot be read.
  const isRemoved = (name: string) => takesAway(rt.removed, name);
  for (const name of names) if (!isRemoved(name)) caps.push(...capabilitiesOf(name, rt, ctx, config));
  // Left out, `tools` is every tool of the session, every server's included.
  if (rt.toolNames === null)
    for (const s of ctx.servers.values())
      caps.push(...serverCapabilities(s, null, rt, ctx, config).filter((c) => !isRemoved(c.name)));
  for (const folder of m.skills) {
    const sk = view.skill(`${folder}/SKILL.md`);
    if (sk.state === "parsed" && sk.result.ok) caps.push(...skillCapabilities(sk.result.value, folder, config));
    else
      caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "the skill cannot be read in the repository"));
  }
  const named = new Set(m.skills);
  for (const folder of loadableSkills(view, path, rt))
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
  for (const command of runnableCommands(view, path, rt))
    caps.push(
      ...preApproved(
        view.command(command),
        `command ${command}`,
        `command ${command} (run with the SlashCommand tool)`,
        ctx,
        config,
      ),
    );
  // A command an allow rule runs without asking that the config calls writing.
  for (const rule of rt.kind === "claude-code" ? scopedAllows(ctx.permissions) : [])
    if (config.isClassifiedWriting(rule))
      caps.push({
        name: rule,
        source: rt.what,
        writing: true,
        why: "classified writing by the config",
        confirmable: false,
        confirmation: { asked: false, why: `${ctx.permissions.source}: \`${rule}\` in permissions.allow` },
      });
  return { caps, errors: ctx.errors };
}

interface Context {
  permissions: ClaudePermissions;
  mode: string | null;
  /** The servers it may reach, by name: the MCP configs' (less those disabled) and its own. */
  servers: Map<string, McpServer>;
  /** Servers the configs declare but do not start: their tools are nobody's. */
  off: Set<string>;
  errors: FileError[];
}

function contextOf(view: RevisionView, rt: RuntimeAgent): Context {
  const errors: FileError[] = [];
  let permissions = NO_PERMISSIONS;
  let mode = rt.permissionMode;
  if (rt.kind === "claude-code") {
    const own = rt.settings;
    if (own) permissions = { source: CLAUDE_SETTINGS, ...own };
    else {
      const s = view.claudeSettings(CLAUDE_SETTINGS);
      const read = s.state === "parsed" ? s.result : null;
      if (read?.ok) permissions = { source: CLAUDE_SETTINGS, ...read.value };
      else if (read) {
        // Settings that cannot be read say nothing about what is asked: the worst case.
        errors.push(read.error);
        mode = `unreadable (${CLAUDE_SETTINGS} cannot be read)`;
      }
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
  const servers = new Map<string, McpServer>();
  const off = new Set<string>();
  const declared = serversAt(view);
  errors.push(...declared.errors);
  const enabled = rt.settings ? new Set(rt.settings.enabledMcpjsonServers) : null;
  const disabled = new Set(rt.settings?.disabledMcpjsonServers ?? []);
  for (const [name, d] of declared.servers) {
    if (d.server.disabled || disabled.has(name)) {
      off.add(name);
      continue;
    }
    // The session reaches the project's servers it enables; a subagent, every server it may be given.
    if (enabled && !rt.allServers && !enabled.has(name)) continue;
    servers.set(name, d.server);
  }
  for (const s of rt.inlineServers) {
    if (s.disabled) off.add(s.name);
    else {
      off.delete(s.name);
      servers.set(s.name, s);
    }
  }
  return { permissions, mode, servers, off, errors };
}

/**
 * What one name of an agent's `tools` gives. A Copilot name that is both a built-in tool set and
 * the name of a server it may reach (`search/*` beside a server `search`) is read both ways: the
 * worst case.
 */
function capabilitiesOf(name: string, rt: RuntimeAgent, ctx: Context, config: ResolvedConfig): Capability[] {
  const caps = present([capabilityOf(name, rt, ctx, config)]);
  if (rt.kind === "copilot" && builtinTool("copilot", name)) {
    const slash = name.indexOf("/");
    const server = ctx.servers.get(slash > 0 ? name.slice(0, slash) : name);
    const tool = slash > 0 ? name.slice(slash + 1) : "*";
    if (server) caps.push(...serverCapabilities(server, tool === "*" ? null : tool, rt, ctx, config));
  }
  return caps;
}

/** One name of an agent's `tools`: a built-in, an MCP tool or server, or a name nobody documents. */
function capabilityOf(name: string, rt: RuntimeAgent, ctx: Context, config: ResolvedConfig): Capability | null {
  const mcp = mcpName(name, rt, ctx);
  if (mcp) {
    const server = ctx.servers.get(mcp.server);
    if (!server && ctx.off.has(mcp.server)) return null;
    if (!server)
      return confirmed(
        unknownCapability(
          name,
          `MCP server ${mcp.server}`,
          `server ${mcp.server} is not declared in the repository's MCP configs`,
        ),
        { server: mcp.server, tool: mcp.tool },
        rt,
        ctx,
        null,
      );
    const caps = serverCapabilities(server, mcp.tool, rt, ctx, config);
    return caps.length === 1 ? caps[0]! : caps.length === 0 ? null : { ...caps[0]!, name };
  }
  const base = baseToolName(name);
  const builtin = builtinTool(rt.kind, base) ?? builtinTool(rt.kind, name);
  const source = `${RUNTIME_NAMES[rt.kind]} built-in`;
  let cap: Capability;
  if (config.isClassifiedWriting(name) || config.isClassifiedWriting(base))
    cap = { name, source, writing: true, why: "classified writing by the config", confirmable: false };
  else if (builtin && !WRITES.has(builtin.kind))
    cap = { name, source, writing: false, why: builtin.does, confirmable: false };
  else if (config.isClassifiedReadOnly(name) || config.isClassifiedReadOnly(base))
    cap = { name, source, writing: false, why: "classified read-only by the config", confirmable: false };
  else if (builtin) cap = { name, source, writing: true, why: builtin.does, confirmable: false };
  else
    cap = {
      name,
      source: rt.what,
      writing: true,
      why: `not a ${RUNTIME_NAMES[rt.kind]} tool capgate knows, so not read-only`,
      confirmable: false,
    };
  return confirmed(cap, { builtin: base }, rt, ctx, null);
}

/** The server and tool an MCP tool name names (`mcp__s__t`, `s/t`, `s/*`, or a Copilot server's name). */
function mcpName(name: string, rt: RuntimeAgent, ctx: Context): { server: string; tool: string | null } | null {
  if (rt.kind === "claude-code") {
    if (!name.startsWith("mcp__")) return null;
    const rest = name.slice(5);
    const sep = rest.indexOf("__");
    if (sep < 0) return { server: rest, tool: null };
    const tool = rest.slice(sep + 2);
    return { server: rest.slice(0, sep), tool: tool === "*" ? null : tool };
  }
  if (builtinTool("copilot", name)) return null;
  const slash = name.indexOf("/");
  if (slash > 0) {
    const tool = name.slice(slash + 1);
    return { server: name.slice(0, slash), tool: tool === "*" ? null : tool };
  }
  return ctx.servers.has(name) ? { server: name, tool: null } : null;
}

/** A server's tools as capabilities: each listed one (its `tools` allowlist), or the whole server, unknown. */
function serverCapabilities(
  server: McpServer,
  tool: string | null,
  rt: RuntimeAgent,
  ctx: Context,
  config: ResolvedConfig,
): Capability[] {
  const source = `MCP server ${server.name}`;
  // Tool allowlists are other clients' fields (Copilot `tools`, Gemini `includeTools`/`excludeTools`):
  // Claude Code starts the whole server.
  const only = rt.kind === "claude-code" ? null : server.tools;
  const excluded = rt.kind === "claude-code" ? [] : server.excluded;
  if (tool !== null && (excluded.includes(tool) || (only && !only.includes(tool)))) return [];
  const tools = tool !== null ? [tool] : only;
  const named = (t: string) => (rt.kind === "claude-code" ? `mcp__${server.name}__${t}` : `${server.name}/${t}`);
  if (tools === null) {
    const all = unknownCapability(named("*"), source, "its tools are not declared in the repository");
    return present([confirmed(all, { server: server.name, tool: null }, rt, ctx, server)]);
  }
  return present(
    tools
      .filter((t) => !excluded.includes(t))
      .map((t) => {
        const name = named(t);
        const readOnly = !config.isClassifiedWriting(name) && config.isClassifiedReadOnly(name);
        const cap: Capability = readOnly
          ? { name, source, writing: false, why: "classified read-only by the config", confirmable: false }
          : {
              name,
              source,
              writing: true,
              why: "an MCP tool whose annotations are not in the repository",
              confirmable: false,
            };
        return confirmed(cap, { server: server.name, tool: t }, rt, ctx, server);
      }),
  );
}

const present = (caps: (Capability | null)[]): Capability[] => caps.filter((c): c is Capability => c !== null);

/**
 * What a skill the agent may load with its `Skill` tool gives: the writing tools its
 * `allowed-tools` name, which run without asking while the skill is active (less what the
 * settings deny). A skill that names none gives nothing; one that cannot be read, anything.
 */
function preApproved(
  doc: Lookup<SkillDoc>,
  source: string,
  what: string,
  ctx: Context,
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

/** The capability with the runtime's answer to "is a person asked before each call?". */
function confirmed(
  cap: Capability,
  tool: ClaudeTool,
  rt: RuntimeAgent,
  ctx: Context,
  server: McpServer | null,
): Capability | null {
  if (!cap.writing) return cap;
  if (server?.trusted)
    return { ...cap, confirmation: { asked: false, why: `server ${server.name} is trusted (trust: true)` } };
  if (rt.kind === "copilot")
    return {
      ...cap,
      confirmation: { asked: false, why: "Copilot does not document asking before a tool call: the worst case" },
    };
  const p = permissionOf(tool, true, ctx.permissions, ctx.mode);
  // A tool the rules or the mode take away is not one it has.
  if (!p.available) return null;
  return { ...cap, confirmation: { asked: p.asked, why: p.why } };
}
