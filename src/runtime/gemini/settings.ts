import { isMap } from "../../artifact/prompt.js";
import { serversOfMap } from "../../artifact/mcp.js";
import type { AgentManifest, McpServer, PolicyRule, ToolPolicy } from "../../artifact/types.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { ok, type Parsed } from "../../parse/result.js";
import type { LoadedAgent } from "../../input/types.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { commandHooks, manifest, stringsOf, worstCase } from "../declare.js";
import { rule } from "../policy.js";
import { GEMINI } from "./tools.js";

/**
 * Gemini CLI's project settings (`.gemini/settings.json`) as Gemini CLI 0.61 reads them
 * (`docs/reference/configuration.md`, `docs/reference/policy-engine.md`, its settings schema and
 * policy engine): JSON with comments and no trailing comma, the nested keys only (the flat keys of
 * before 0.25 are ignored), read once its user trusts the folder.
 *
 * - `general.defaultApprovalMode`: `default` asks before edits, the shell, `web_fetch` and MCP
 *   tools; `auto_edit` edits and fetches unasked; `plan` writes nothing. `yolo` in a file is
 *   ignored (only the command line sets it); another value stops Gemini CLI from starting.
 * - `tools.core` runs what it lists without asking and refuses every other built-in tool (whether it
 *   refuses a server's tools it does not list depends on the version: the worst case, it does not);
 *   `tools.allowed` runs what it lists without asking; a shell command in either
 *   (`run_shell_command(git status)`) runs unasked and every other shell command is refused;
 *   `tools.exclude` refuses; `tools.confirmationRequired` asks.
 * - A server with `trust: true`, or named in `mcp.allowed`, runs its tools without asking;
 *   `mcp.excluded` refuses them.
 */

const WHAT = "the repository's Gemini CLI session";
const SHELL = /^(run_shell_command|ShellTool)\((.*)\)$/s;

export function parseGeminiSettings(path: string, text: string): Parsed<AgentManifest> {
  const data = parseJsonc(path, text, { trailingCommas: false, repeatedKeys: "last" });
  if (!data.ok)
    return ok(worstCase("gemini", WHAT, path, `${data.error.reason}: Gemini CLI refuses to start with it`, path));
  if (!isMap(data.value))
    return ok(worstCase("gemini", WHAT, path, "not a JSON object: Gemini CLI refuses to start with it", path));
  return ok(geminiAgent(path, path, WHAT, data.value, null));
}

/** The repository's Gemini CLI session: its settings, or Gemini CLI's defaults where it has commands, skills or `GEMINI.md` but no settings. */
export function composeGeminiSession(view: RevisionView, path: string, loaded: LoadedAgent): Lookup<AgentManifest> {
  const file = loaded.files?.[0];
  if (file) return view.parsed(file, "agent:gemini", parseGeminiSettings);
  const hidden = Object.entries(view.rev.loads?.unseen ?? {}).find(([p]) => /^\.gemini(\/settings\.json)?$/i.test(p));
  if (hidden)
    return { state: "parsed", result: ok(worstCase("gemini", WHAT, path, `${hidden[0]} ${hidden[1]}`, path)) };
  return { state: "parsed", result: ok(geminiAgent(path, path, WHAT, {}, null)) };
}

/** A Gemini CLI agent run under settings: the repository's session, or a workflow step's run with `--yolo`. */
export function geminiAgent(
  path: string,
  name: string,
  what: string,
  v: Record<string, unknown>,
  yolo: string | null,
): AgentManifest {
  const servers = isMap(v.mcpServers) ? serversOfMap("mcpServers", v.mcpServers) : [];
  if (typeof servers === "string") return worstCase("gemini", what, path, servers, name);
  const excluded = new Set(stringsOf(at(v, "mcp", "excluded")));
  for (const srv of servers) if (excluded.has(srv.name)) srv.trusted = false;
  const policy = policyOf(path, v, servers, yolo);
  if ("unknown" in policy) return worstCase("gemini", what, path, policy.unknown, name);
  const notes = yolo
    ? []
    : ["Gemini CLI reads a folder's settings only once its user trusts the folder: this is the folder trusted"];
  if (policy.notes.length) notes.push(...policy.notes);
  return manifest(name, {
    kind: "gemini",
    what,
    toolNames: null,
    removed: [],
    permissionMode: null,
    inlineServers: servers,
    allServers: false,
    loop: "Gemini CLI's agent loop (no limit is declared)",
    policy: policy.policy,
    hooks: commandHooks(path, v.hooks, false),
    notes,
  });
}

const at = (v: Record<string, unknown>, a: string, b: string): unknown => (isMap(v[a]) ? v[a][b] : undefined);

function policyOf(
  path: string,
  v: Record<string, unknown>,
  servers: McpServer[],
  yolo: string | null,
): { policy: ToolPolicy; notes: string[] } | { unknown: string } {
  const notes: string[] = [];
  if (v.policyPaths !== undefined)
    return { unknown: "policyPaths names policy files whose rules capgate does not read" };
  let mode = at(v, "general", "defaultApprovalMode") ?? at(v, "tools", "approvalMode") ?? "default";
  if (mode === "yolo" && !yolo) {
    notes.push('defaultApprovalMode = "yolo" is ignored in a settings file (only the command line sets it)');
    mode = "default";
  }
  if (yolo) mode = "yolo";
  if (mode !== "default" && mode !== "auto_edit" && mode !== "plan" && mode !== "yolo")
    return {
      unknown: `defaultApprovalMode = ${JSON.stringify(mode)} is not a mode Gemini CLI knows: it refuses to start`,
    };
  const why = yolo ?? `defaultApprovalMode = "${String(mode)}"`;
  const byMode: Record<string, [PolicyRule, PolicyRule, PolicyRule, PolicyRule]> = {
    // edits, other writing tools, web_fetch, MCP tools
    default: [rule("ask", why), rule("ask", why), rule("ask", why), rule("ask", why)],
    auto_edit: [rule("allow", why), rule("ask", why), rule("allow", why), rule("ask", why)],
    plan: [rule("deny", why), rule("deny", why), rule("deny", why), rule("deny", why)],
    yolo: [rule("allow", why), rule("allow", why), rule("allow", why), rule("allow", why)],
  };
  const [edit, writing, fetch, mcp] = byMode[mode]!;
  const policy: ToolPolicy = {
    source: path,
    tools: { web_fetch: fetch },
    otherwise: { edit, writing, mcp },
    commands: [],
  };
  const name = (t: string) => GEMINI.canonical(t.replace(/\(.*$/s, ""));
  const core = at(v, "tools", "core");
  if (mode !== "plan" && Array.isArray(core)) {
    // Whether it also refuses servers' tools it does not list depends on the version: the worst case, not.
    const off = rule("deny", "tools.core lists the only built-in tools it may use");
    policy.otherwise = { edit: off, writing: off, mcp: policy.otherwise.mcp };
    policy.tools = {};
    listed(policy, stringsOf(core), "tools.core");
  }
  if (mode !== "plan") listed(policy, stringsOf(at(v, "tools", "allowed")), "tools.allowed");
  for (const t of stringsOf(at(v, "tools", "confirmationRequired")))
    if (policy.tools[name(t)]?.answer !== "deny") policy.tools[name(t)] = rule("ask", "tools.confirmationRequired");
  // What is excluded is refused over anything that allows it (tools.exclude outranks tools.allowed).
  for (const t of stringsOf(at(v, "tools", "exclude")))
    if (!SHELL.test(t)) {
      policy.tools[name(t)] = rule("deny", "tools.exclude");
      if (name(t) === "run_shell_command") policy.commands = [];
    }
  const names = new Set(servers.map((s) => s.name));
  for (const s of stringsOf(at(v, "mcp", "allowed")))
    if (names.has(s) && mode !== "plan" && policy.tools[`${s}/*`]?.answer !== "deny")
      policy.tools[`${s}/*`] = rule("allow", "mcp.allowed runs the server's tools without asking");
  // An excluded server is refused over its `trust` and `mcp.allowed`.
  for (const s of stringsOf(at(v, "mcp", "excluded"))) policy.tools[`${s}/*`] = rule("deny", "mcp.excluded");
  return { policy, notes };
}

/** A list of tools Gemini CLI runs without asking: a shell command in it narrows the shell to such commands. */
function listed(policy: ToolPolicy, list: string[], key: string): void {
  let shellWhole = false;
  const scoped: string[] = [];
  for (const t of list) {
    const m = SHELL.exec(t.trim());
    if (m) {
      scoped.push(m[2]!.trim());
      // Gemini CLI matches a command by its start: the command and anything after it.
      policy.commands.push({ rule: t.trim(), command: `${m[2]!.trim()} *` });
    } else if (/^mcp_/.test(t)) continue;
    else {
      const n = GEMINI.canonical(t.trim());
      if (n === "run_shell_command") shellWhole = true;
      policy.tools[n] = rule("allow", `${key} runs ${n} without asking`);
    }
  }
  if (scoped.length && !shellWhole)
    policy.tools.run_shell_command = rule("deny", `${key} narrows the shell to ${scoped.join(", ")}`);
}
