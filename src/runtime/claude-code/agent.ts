import type { AgentManifest, McpServer, RuntimeAgent, SkillDoc } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseMcpConfig } from "../../artifact/mcp.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import { manifest, stemOf, versionOf, worstCase } from "../declare.js";
import { claudeFrontmatter } from "./frontmatter.js";
import { approving, hooksOf } from "./hooks.js";
import { skillHome } from "./loads.js";

/**
 * A Claude Code subagent, read as Claude Code reads it (its published package, 2.1.332; decision
 * 20). A project's subagent (`.claude/agents/**`) loads only with a string `name` and a
 * `description`: a file without them is not an agent Claude Code loads. A plugin's subagent always
 * loads, named after its file when it names itself nothing, and its `permissionMode`, `hooks` and
 * `mcpServers` are ignored: it runs under the settings of whoever installs the plugin.
 */
export function parseClaudeAgent(path: string, text: string, ctx: { plugin?: string } = {}): Parsed<AgentManifest> {
  const what = ctx.plugin !== undefined ? `Claude Code subagent of plugin ${ctx.plugin}` : "Claude Code subagent";
  const fm = claudeFrontmatter(path, text);
  // capgate's YAML reader and Claude Code's may disagree on a frontmatter neither as written nor
  // repaired parses with capgate's: the worst case, said as such. A plugin's subagent whose
  // frontmatter Claude Code cannot read loads with every tool, asked for as its installer's are.
  if (fm.state === "unreadable" && ctx.plugin === undefined)
    return ok(worstCase("claude-code", what, path, `${fm.why}; Claude Code's own reader may read it otherwise`));
  const m = fm.state === "read" ? fm.meta : {};
  const notes =
    fm.state === "unreadable" ? [`${fm.why}: Claude Code loads it under its file name with every tool`] : [];
  if (ctx.plugin === undefined) {
    const skipped = projectSkip(m, fm.state === "none");
    if (skipped) return ok(notLoaded(path, what, skipped));
  }
  const tools = toolsOf(m.tools);
  const removed = "disallowedTools" in m ? claudeList(m.disallowedTools) : [];
  const plugin = ctx.plugin !== undefined;
  const hooks = plugin ? [] : hooksOf(m.hooks, { where: path });
  if (typeof hooks === "string") return ok(notLoaded(path, what, `its hooks cannot be read (${hooks})`));
  const servers = plugin ? { names: [], inline: [] } : claudeServers(m.mcpServers);
  if (typeof servers === "string") return ok(worstCase("claude-code", what, path, servers));
  const maxTurns = m.maxTurns;
  const turns = typeof maxTurns === "number" && Number.isInteger(maxTurns) && maxTurns >= 1 ? maxTurns : null;
  const skills = claudeList(m.skills);
  const out = manifest(
    typeof m.name === "string" && m.name.trim() ? m.name.trim() : stemOf(path),
    {
      kind: "claude-code",
      what,
      toolNames: tools,
      removed,
      permissionMode: !plugin && typeof m.permissionMode === "string" ? m.permissionMode : null,
      ...(hooks.length ? { approvingHooks: approving(hooks), hooks } : {}),
      inlineServers: servers.inline,
      // Left out, `tools` is every tool of the session, MCP servers' tools included.
      allServers: tools === null,
      ...(notes.length ? { notes } : {}),
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
      skills: skills.map((s) => skillFolder(path, s)),
    },
  );
  const version = versionOf(m);
  if (version !== undefined) out.version = version;
  return ok(out);
}

/** Why Claude Code does not load a project's subagent, or null when it does. */
function projectSkip(m: Record<string, unknown>, noFrontmatter: boolean): string | null {
  if (noFrontmatter) return "it has no frontmatter, so no `name`";
  if (typeof m.name !== "string" || m.name === "") return "its frontmatter has no `name`";
  if (typeof m.description !== "string" || m.description.trim() === "") return "its frontmatter has no `description`";
  const name = m.name.normalize("NFKC");
  if (name.startsWith("-") || name.includes(":") || name.length > 256)
    return `its name \`${m.name}\` is not one Claude Code takes`;
  // An approving hook written outside `hooks` makes Claude Code refuse the whole agent.
  if ("PreToolUse" in m || "PermissionRequest" in m)
    return "it has a PreToolUse or PermissionRequest key outside `hooks`";
  return null;
}

/** A file Claude Code does not load as an agent: it is no agent at all. */
function notLoaded(path: string, what: string, why: string): AgentManifest {
  const out = worstCase("claude-code", what, path, why);
  const rt: RuntimeAgent = { ...out.runtime!, notLoaded: `Claude Code does not load it: ${why}` };
  delete rt.unreadable;
  return { ...out, runtime: rt };
}

/**
 * A tool list as Claude Code splits it: a string, or each string of a list, on commas and spaces
 * outside parentheses (`Bash(git add:*), Read` is two entries, `Bash(git log:*, git diff:*)` one).
 * Anything else names nothing.
 */
export function claudeList(v: unknown): string[] {
  const items =
    typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  const out: string[] = [];
  for (const item of items) {
    let current = "";
    let inside = false;
    for (const ch of item) {
      if (ch === "(") inside = true;
      else if (ch === ")") inside = false;
      else if (!inside && (ch === "," || ch === " ")) {
        if (current.trim()) out.push(current.trim());
        current = "";
        continue;
      }
      current += ch;
    }
    if (current.trim()) out.push(current.trim());
  }
  return out;
}

/**
 * A subagent's `tools`: left out, or naming `*`, every tool (null); anything else, the tools it
 * names — none for an empty list, an empty string, a null or a value that is not a list.
 */
function toolsOf(v: unknown): string[] | null {
  if (v === undefined) return null;
  const list = claudeList(v);
  return list.includes("*") ? null : list;
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
 * A slash command or a skill as Claude Code loads it for what it pre-approves: its frontmatter
 * read as Claude Code reads it (repaired where strict YAML fails), its `allowed-tools` split as
 * Claude Code splits them; without frontmatter, none. A frontmatter neither reading accepts fails:
 * Claude Code's own reader may still read it, so the caller takes the worst case.
 */
export function parseClaudeGiven(path: string, text: string): Parsed<SkillDoc> {
  const file = path.split("/").pop()!;
  const name = file === "SKILL.md" ? (path.split("/").slice(-2, -1)[0] ?? file) : file.replace(/\.md$/i, "");
  const fm = claudeFrontmatter(path, text);
  if (fm.state === "none") return ok({ name, allowedTools: null });
  if (fm.state === "unreadable") return fail(path, fm.why);
  const raw = fm.meta["allowed-tools"];
  return ok({ name, allowedTools: raw === undefined || raw === null ? null : claudeList(raw) });
}
