import { posix } from "node:path";
import { parseData, splitFrontmatter } from "../parse/document.js";
import { parseJsonc } from "../parse/jsonc.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { parseMcpConfig } from "./mcp.js";
import { isMap } from "./prompt.js";
import { splitToolList } from "./skill.js";
import type { AgentManifest, ClaudeSettingsDoc, McpServer, RuntimeAgent } from "./types.js";
import { versionField } from "./version.js";

/**
 * Agents declared in the files agent runtimes read: Claude Code subagents and project settings,
 * GitHub Copilot custom agents, chat modes and prompt files (README, "Agents you already have").
 * What a file declares that cannot be read is not an error to these runtimes — Claude Code loads
 * a subagent whose frontmatter is not YAML with every tool — so it is read as the worst case:
 * every tool, asked for nothing.
 */

type Meta = { ok: true; meta: Record<string, unknown>; body: string } | { ok: false; why: string };

function frontmatterOf(path: string, text: string): Meta {
  const fm = splitFrontmatter(text);
  if (fm.unclosed) return { ok: false, why: "its frontmatter is never closed (---)" };
  if (fm.yaml === null) return { ok: false, why: "it has no frontmatter" };
  const data = parseData(path, fm.yaml, fm.yamlLine);
  if (!data.ok) {
    const at = data.error.line ? ` (line ${data.error.line})` : "";
    return { ok: false, why: `its frontmatter is not valid YAML${at}: ${data.error.reason}` };
  }
  if (!isMap(data.value)) return { ok: false, why: "its frontmatter is not a mapping" };
  return { ok: true, meta: data.value, body: fm.body };
}

/** A tool list written as a comma- or space-separated string or a YAML list; undefined when absent. */
function toolList(v: unknown, field: string): string[] | undefined | { bad: string } {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return splitToolList(v);
  // A list's items are names as written; only a string is a list to split.
  if (Array.isArray(v) && v.every((t) => typeof t === "string")) return v.map((t) => t.trim()).filter(Boolean);
  return { bad: `\`${field}\` is neither a list of tool names nor a string of them` };
}

const nameOf = (meta: Record<string, unknown>, path: string) =>
  typeof meta.name === "string" && meta.name.trim() ? meta.name.trim() : posix.basename(path).replace(/\..*$/, "");

function manifest(name: string, runtime: RuntimeAgent, extra: Partial<AgentManifest> = {}): AgentManifest {
  return { name, tools: [], skills: [], servers: [], maxSteps: null, confirm: [], runtime, ...extra };
}

/** What an agent with an unreadable declaration gets: every tool, in an unlimited loop. */
function worstCase(kind: RuntimeAgent["kind"], what: string, path: string, why: string): AgentManifest {
  return manifest(posix.basename(path).replace(/\..*$/, ""), {
    kind,
    what,
    toolNames: null,
    removed: [],
    permissionMode: null,
    inlineServers: [],
    allServers: true,
    loop: "an unlimited loop",
    unreadable: why,
  });
}

/** A Claude Code subagent (`.claude/agents/*.md`, a plugin's `agents/*.md`). */
export function parseClaudeAgent(path: string, text: string): Parsed<AgentManifest> {
  const what = "Claude Code subagent";
  const fm = frontmatterOf(path, text);
  if (!fm.ok) return ok(worstCase("claude-code", what, path, fm.why));
  const m = fm.meta;
  const listed = toolList(m.tools, "tools");
  const removed = toolList(m.disallowedTools, "disallowedTools");
  for (const l of [listed, removed]) if (l && "bad" in l) return ok(worstCase("claude-code", what, path, l.bad));
  // `*` is every tool; so, as the worst case, is a `tools` written but naming none.
  const tools = Array.isArray(listed) && (listed.length === 0 || listed.includes("*")) ? undefined : listed;
  const servers = claudeServers(m.mcpServers);
  if (typeof servers === "string") return ok(worstCase("claude-code", what, path, servers));
  const hooks = approvingHooks(m.hooks);
  if (typeof hooks === "string") return ok(worstCase("claude-code", what, path, hooks));
  const maxTurns = m.maxTurns;
  const turns = typeof maxTurns === "number" && Number.isInteger(maxTurns) && maxTurns >= 1 ? maxTurns : null;
  const skills = toolList(m.skills, "skills");
  const out = manifest(
    nameOf(m, path),
    {
      kind: "claude-code",
      what,
      toolNames: (tools as string[] | undefined) ?? null,
      removed: (removed as string[] | undefined) ?? [],
      permissionMode: typeof m.permissionMode === "string" ? m.permissionMode : null,
      ...(hooks.length ? { approvingHooks: hooks } : {}),
      inlineServers: servers.inline,
      // Left out, `tools` is every tool of the session, MCP servers' tools included.
      allServers: tools === undefined,
      loop:
        turns === null
          ? "an unlimited loop (no maxTurns)"
          : turns === 1
            ? "maxTurns: 1"
            : `a loop of up to ${turns} turns (maxTurns)`,
    },
    {
      maxSteps: turns,
      servers: servers.names.map((name) => ({ name })),
      skills: Array.isArray(skills) ? skills.map((s) => skillFolder(path, s)) : [],
    },
  );
  const version = versionField(isMap(m.metadata) ? m.metadata.version : undefined) ?? versionField(m.version);
  if (version !== undefined) out.version = version;
  return ok(out);
}

/** A subagent's `mcpServers`: names of configured servers, or servers defined inline. */
function claudeServers(v: unknown): { names: string[]; inline: McpServer[] } | string {
  const out = { names: [] as string[], inline: [] as McpServer[] };
  if (v === undefined || v === null) return out;
  const inline = (map: Record<string, unknown>): string | null => {
    const parsed = parseMcpConfig("mcpServers", JSON.stringify({ mcpServers: map }));
    if (!parsed.ok) return `\`mcpServers\`: ${parsed.error.reason}`;
    out.inline.push(...parsed.value.servers);
    out.names.push(...parsed.value.servers.map((s) => s.name));
    return null;
  };
  if (isMap(v)) return inline(v) ?? out;
  if (!Array.isArray(v)) return "`mcpServers` is neither a list nor a map of servers";
  for (const item of v) {
    if (typeof item === "string") out.names.push(item);
    else if (isMap(item)) {
      const problem = inline(item);
      if (problem) return problem;
    } else return "`mcpServers` holds an entry that is neither a name nor a server";
  }
  return out;
}

/** A skill a subagent names: a folder beside its `agents/` folder (`.claude/skills/<name>`), or a path. */
function skillFolder(agentPath: string, name: string): string {
  if (name.includes("/")) return name.replace(/^\.\//, "").replace(/\/$/, "");
  return `${skillHome(agentPath)}/${name}`;
}

/**
 * The folder of the skills that go with a Claude Code agent: beside its `agents/` folder
 * (`.claude/skills`, a plugin's `skills`); the project's for the settings.
 */
export function skillHome(agentPath: string): string {
  const parts = agentPath.split("/");
  const at = parts.lastIndexOf("agents");
  return `${at > 0 ? parts.slice(0, at).join("/") : ".claude"}/skills`;
}

/** `.claude/settings.json`: the repository's Claude Code session, an agent with every built-in tool. */
export function parseClaudeSettings(path: string, text: string): Parsed<AgentManifest> {
  const data = parseJsonc(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!isMap(v)) return fail(path, "Claude Code settings must be a JSON object");
  const settings = settingsOf(v);
  if (typeof settings === "string") return fail(path, settings);
  return ok(
    manifest(
      "Claude Code session",
      {
        kind: "claude-code",
        what: "the repository's Claude Code session",
        toolNames: null,
        removed: [],
        permissionMode: null,
        inlineServers: [],
        allServers: settings.enableAllProjectMcpServers,
        loop: "the session's unlimited loop",
        settings,
      },
      { servers: settings.enabledMcpjsonServers.map((name) => ({ name })) },
    ),
  );
}

/** Hook events whose command may answer "allow" for a tool call, so that nobody is asked. */
const APPROVING_HOOK_EVENTS = ["PreToolUse", "PermissionRequest"];

/** The settings' hooks that may approve tool calls: each event's matchers (a left-out matcher is every tool). */
function approvingHooks(v: unknown): ClaudeSettingsDoc["approvingHooks"] | string {
  if (v === undefined || v === null) return [];
  if (!isMap(v)) return "`hooks` must be an object of hook events";
  const out: ClaudeSettingsDoc["approvingHooks"] = [];
  for (const event of APPROVING_HOOK_EVENTS) {
    const list = v[event];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `\`hooks.${event}\` must be a list`;
    for (const entry of list) {
      if (!isMap(entry)) return `\`hooks.${event}\` holds an entry that is not an object`;
      const m = entry.matcher;
      if (m !== undefined && m !== null && typeof m !== "string")
        return `\`hooks.${event}\`: a matcher must be a string`;
      out.push({ event, matcher: typeof m === "string" ? m : "" });
    }
  }
  return out;
}

export function settingsOf(v: Record<string, unknown>): ClaudeSettingsDoc | string {
  const p = v.permissions ?? {};
  if (!isMap(p)) return "`permissions` must be an object";
  const strings = (x: unknown, field: string): string[] | string => {
    if (x === undefined || x === null) return [];
    if (Array.isArray(x) && x.every((s) => typeof s === "string")) return x as string[];
    return `\`${field}\` must be a list of rules`;
  };
  const allow = strings(p.allow, "permissions.allow");
  const ask = strings(p.ask, "permissions.ask");
  const deny = strings(p.deny, "permissions.deny");
  const enabled = strings(v.enabledMcpjsonServers, "enabledMcpjsonServers");
  const disabled = strings(v.disabledMcpjsonServers, "disabledMcpjsonServers");
  for (const l of [allow, ask, deny, enabled, disabled]) if (typeof l === "string") return l;
  if (p.defaultMode !== undefined && typeof p.defaultMode !== "string")
    return "`permissions.defaultMode` must be a string";
  const hooks = approvingHooks(v.hooks);
  if (typeof hooks === "string") return hooks;
  return {
    allow: allow as string[],
    ask: ask as string[],
    deny: deny as string[],
    defaultMode: typeof p.defaultMode === "string" ? p.defaultMode : null,
    enableAllProjectMcpServers: v.enableAllProjectMcpServers === true,
    enabledMcpjsonServers: enabled as string[],
    disabledMcpjsonServers: disabled as string[],
    approvingHooks: hooks,
  };
}

/**
 * A GitHub Copilot custom agent (`*.agent.md`, `.github/agents/*.md`), a chat mode
 * (`*.chatmode.md`) or a prompt file (`*.prompt.md`). `tools` left out is every tool, except for a
 * prompt file that is not in agent mode: a prompt that names no tools binds none.
 */
export function parseCopilotAgent(path: string, text: string): Parsed<AgentManifest> {
  const isPrompt = /\.prompt\.md$/i.test(path);
  const what = isPrompt
    ? "Copilot prompt file"
    : /\.chatmode\.md$/i.test(path)
      ? "Copilot chat mode"
      : "Copilot custom agent";
  const fm = frontmatterOf(path, text);
  if (!fm.ok) {
    if (isPrompt && fm.why === "it has no frontmatter") return ok(copilot(path, what, {}, [], []));
    return ok(worstCase("copilot", what, path, fm.why));
  }
  const m = fm.meta;
  const tools = toolList(m.tools, "tools");
  if (tools && "bad" in tools) return ok(worstCase("copilot", what, path, tools.bad));
  const servers = m["mcp-servers"] ?? m.mcpServers;
  let inline: McpServer[] = [];
  if (servers !== undefined && servers !== null) {
    const parsed = isMap(servers) ? parseMcpConfig("mcp-servers", JSON.stringify({ mcpServers: servers })) : null;
    if (!parsed || !parsed.ok)
      return ok(
        worstCase(
          "copilot",
          what,
          path,
          `\`mcp-servers\` is not a map of servers${parsed && !parsed.ok ? `: ${parsed.error.reason}` : ""}`,
        ),
      );
    inline = parsed.value.servers;
  }
  const agentMode = m.mode === "agent" || m.agent !== undefined;
  // `*` is every tool (Copilot's own spelling of it).
  const names = Array.isArray(tools) && tools.includes("*") ? null : (tools ?? (isPrompt && !agentMode ? [] : null));
  return ok(copilot(path, what, m, names, inline));
}

function copilot(
  path: string,
  what: string,
  m: Record<string, unknown>,
  toolNames: string[] | null,
  inline: McpServer[],
): AgentManifest {
  const out = manifest(
    nameOf(m, path),
    {
      kind: "copilot",
      what,
      toolNames,
      removed: [],
      permissionMode: null,
      inlineServers: inline,
      allServers: toolNames === null,
      loop: "Copilot's agent loop (no limit is declared)",
    },
    { servers: inline.map((s) => ({ name: s.name })) },
  );
  const version = versionField(isMap(m.metadata) ? m.metadata.version : undefined) ?? versionField(m.version);
  if (version !== undefined) out.version = version;
  return out;
}
