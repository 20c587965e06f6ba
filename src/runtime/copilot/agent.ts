import type { AgentManifest, McpServer } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseMcpConfig } from "../../artifact/mcp.js";
import { ok, type Parsed } from "../../parse/result.js";
import { frontmatterOf, manifest, nameOf, toolList, versionOf, worstCase } from "../declare.js";

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
  // A YAML document end (`...`) ends capgate's reading of the frontmatter; whether Copilot's reader
  // stops there or reads on to the closing `---` is not documented: the worst case.
  const ends = documentEnd(text);
  if (ends) return ok(worstCase("copilot", what, path, ends));
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
  const version = versionOf(m);
  if (version !== undefined) out.version = version;
  return out;
}

/**
 * Why the frontmatter may read differently to Copilot than to capgate: a YAML document end (`...`)
 * before more frontmatter lines, where one reader stops and another may read on.
 */
function documentEnd(text: string): string | null {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0]?.trimEnd() !== "---") return null;
  const end = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "...");
  if (end < 0) return null;
  const close = lines.findIndex((l, i) => i > 0 && l.trimEnd() === "---");
  if (close >= 0 && close < end) return null;
  const after = lines.slice(end + 1, close < 0 ? undefined : close).filter((l) => l.trim() !== "");
  if (close < 0 || after.length === 0) return null;
  return `its frontmatter has a YAML document end (...) before ${after.length} more line(s): Copilot may read them where capgate stops`;
}
