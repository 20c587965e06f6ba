import type { AgentManifest, McpServer } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseMcpConfig } from "../../artifact/mcp.js";
import { ok, type Parsed } from "../../parse/result.js";
import { frontmatterOf, manifest, nameOf, toolList, versionOf, worstCase } from "../declare.js";
import { skillHome } from "./loads.js";
import { approvingHooks } from "./settings.js";

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
  const version = versionOf(m);
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
