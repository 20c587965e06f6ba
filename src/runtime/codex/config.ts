import { isMap } from "../../artifact/prompt.js";
import { serversOfMap } from "../../artifact/mcp.js";
import type { AgentManifest, McpServer, PolicyRule, ToolPolicy } from "../../artifact/types.js";
import type { LoadedAgent } from "../../input/types.js";
import { ok, type Parsed } from "../../parse/result.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { parseToml } from "../../parse/toml.js";
import { commandHooks, manifest, stemOf, worstCase } from "../declare.js";
import { rule, worstOf } from "../policy.js";

/**
 * A Codex config as Codex reads it (codex-rs `config/src/config_toml.rs`, `AskForApproval`,
 * `SandboxMode`, `mcp_types.rs`; developers.openai.com/codex/config-reference): the repository's
 * session (`.codex/config.toml`) or a sub-agent role (`.codex/agents/<role>.toml`, any config key
 * besides its name). Codex loads a project's config only for a project its user trusts, with
 * workspace-write and on-request when nothing is set: what follows is what it does once trusted.
 *
 * - `sandbox_mode` (or `default_permissions`): `read-only` lets commands read only — leaving the
 *   sandbox asks — so the shell and `apply_patch` write nothing unasked; `workspace-write` and
 *   `danger-full-access` edit and run commands without asking whatever the approval policy.
 * - `approval_policy`: `on-request` (and its retired alias `on-failure`), `never`, a `granular`
 *   table; `untrusted` is retired (Codex refuses to start with it) and any other value too: the
 *   worst case, said.
 * - MCP tools ask unless a server's `default_tools_approval_mode` or a tool's `approval_mode` is
 *   `approve`; with `never` a question is a refusal, except with no sandbox, where all run unasked.
 *   `approvals_reviewer = "auto_review"` has a model, not a person, answer the questions.
 * - `profiles`: Codex before 0.129 read a project's profiles, and one is chosen at run time: the
 *   worst of them counts. `web_search = "live"` fetches live pages.
 */

const WHAT = { session: "the repository's Codex session", role: "Codex sub-agent role" };

export function parseCodexConfig(path: string, text: string): Parsed<AgentManifest> {
  const role = /\/agents\/[^/]+\.toml$/i.test(path);
  const what = role ? WHAT.role : WHAT.session;
  const doc = parseToml(path, text);
  const nameOf = (v: Record<string, unknown>) =>
    role ? (typeof v.name === "string" && v.name.trim() ? v.name.trim() : stemOf(path)) : path;
  if (!doc.ok)
    return ok(
      worstCase(
        "codex",
        what,
        path,
        `${doc.error.reason}: Codex refuses to start in a trusted project`,
        role ? stemOf(path) : path,
      ),
    );
  const v = doc.value;
  return ok(
    codexAgent(
      path,
      nameOf(v),
      what,
      v,
      "Codex loads a project's config only once its user trusts the project: this is the project trusted",
    ),
  );
}

/**
 * A sub-agent role as Codex runs it: its file's keys over the project config it is spawned from
 * (`apply_role_to_config`), so what it does not set — servers, web search, the approval policy —
 * is the project's. Codex drops a role that has no description, in its file or in the config's
 * `[agents.<name>]`.
 */
export function composeCodexRole(view: RevisionView, path: string, loaded: LoadedAgent): Lookup<AgentManifest> {
  // Each file read once per blob, however many roles ask for the project config.
  const toml = (p: string) => view.parsed(p, "codex-toml", parseToml);
  const read = toml(path);
  if (read.state === "absent") return read;
  if (!read.result.ok) return view.parsed(path, "agent:codex", parseCodexConfig);
  const role = read.result;
  const configPath = (loaded.files ?? []).find((f) => f !== path);
  const project = configPath ? toml(configPath) : null;
  const base: Record<string, unknown> = project?.state === "parsed" && project.result.ok ? project.result.value : {};
  const name = typeof role.value.name === "string" && role.value.name.trim() ? role.value.name.trim() : stemOf(path);
  const entry = isMap(base.agents) && isMap(base.agents[name]) ? base.agents[name] : {};
  const described = [role.value.description, entry.description].some((d) => typeof d === "string" && d.trim());
  const servers = {
    ...(isMap(base.mcp_servers) ? base.mcp_servers : {}),
    ...(isMap(role.value.mcp_servers) ? role.value.mcp_servers : {}),
  };
  const merged: Record<string, unknown> = { ...base, ...role.value, mcp_servers: servers };
  delete merged.profiles;
  const m = codexAgent(
    path,
    name,
    WHAT.role,
    merged,
    `a role runs over ${configPath ?? "the project's config"}: what it does not set is the project's`,
  );
  if (!described) m.runtime!.notLoaded = "Codex drops a role with no description";
  return { state: "parsed", result: ok(m) };
}

/** A Codex agent run with a config: the repository's session, a sub-agent role, or a workflow step's `codex exec`. */
export function codexAgent(
  path: string,
  name: string,
  what: string,
  v: Record<string, unknown>,
  note: string,
): AgentManifest {
  const nameOf = () => name;
  const servers = isMap(v.mcp_servers) ? serversOfMap("mcp_servers", v.mcp_servers) : [];
  if (typeof servers === "string")
    return worstCase("codex", what, path, `${servers}: Codex refuses to start in a trusted project`, name);
  const variants: [string, Record<string, unknown>][] = [["", v]];
  if (isMap(v.profiles))
    for (const [name, p] of Object.entries(v.profiles))
      if (isMap(p)) variants.push([`profile ${name}: `, { ...v, ...p }]);
  const read = variants.map(([label, x]) => variantOf(path, label, x, v.mcp_servers, servers));
  const broken = read.find((r): r is { unknown: string } => "unknown" in r);
  if (broken) return worstCase("codex", what, path, broken.unknown, nameOf());
  const policies = read as { policy: ToolPolicy; tools: string[] }[];
  const named = Object.keys(policies[0]?.policy.tools ?? {}).filter((k) => k.includes("/") && !k.endsWith("/*"));
  const tools = [...new Set([...policies.flatMap((p) => p.tools), ...servers.map((s) => `${s.name}/*`), ...named])];
  const notes = [note];
  if (variants.length > 1)
    notes.push(
      `${variants.length - 1} profile(s): Codex 0.129 and later ignore a project's profiles, earlier versions read them; the worst counts`,
    );
  return manifest(nameOf(), {
    kind: "codex",
    what,
    toolNames: tools,
    removed: [],
    permissionMode: null,
    inlineServers: servers,
    allServers: false,
    loop: "Codex's agent loop (no limit is declared)",
    policy: worstOf(policies.map((p) => p.policy)),
    hooks: commandHooks(path, v.hooks, true),
    notes,
  });
}

type Sandbox = "read-only" | "workspace-write" | "danger-full-access";

/** One way Codex may run with the config: its sandbox and approvals as a policy, and the built-in tools it has. */
function variantOf(
  path: string,
  label: string,
  v: Record<string, unknown>,
  rawServers: unknown,
  servers: McpServer[],
): { policy: ToolPolicy; tools: string[] } | { unknown: string } {
  const sandbox = sandboxOf(v);
  if ("unknown" in sandbox) return { unknown: `${label}${sandbox.unknown}` };
  const approval = v.approval_policy ?? "on-request";
  const granular = isMap(approval) && isMap(approval.granular);
  if (!granular && approval !== "on-request" && approval !== "on-failure" && approval !== "never")
    return {
      unknown: `${label}approval_policy = ${JSON.stringify(approval)} ${approval === "untrusted" ? "is retired" : "is not a value Codex knows"}: Codex refuses to start`,
    };
  const policyName = granular ? "a granular approval_policy" : `approval_policy = "${String(approval)}"`;
  const byModel = v.approvals_reviewer === "auto_review" || v.approvals_reviewer === "guardian_subagent";
  const writes: PolicyRule =
    sandbox.mode === "read-only"
      ? rule("read", `${sandbox.why}: commands only read, and leaving the sandbox asks`)
      : rule(
          "allow",
          `${sandbox.why} with ${policyName}: Codex edits files and runs commands ${sandbox.mode === "workspace-write" ? "in the workspace " : ""}without asking`,
        );
  const ask = (why: string): PolicyRule =>
    approval === "never"
      ? sandbox.mode === "danger-full-access"
        ? rule("allow", `${why}, but approval_policy = "never" with no sandbox approves every call`)
        : rule("deny", `${why}, and approval_policy = "never" cancels what would ask`)
      : byModel
        ? rule(
            "allow",
            `${why}, answered by Codex's auto-reviewer (approvals_reviewer = "${String(v.approvals_reviewer)}"), not a person`,
          )
        : rule("ask", why);
  const tools = serverRules(rawServers, servers, ask);
  // The retired `[features] web_search_request = true` turns live search on when `web_search` is not set.
  const legacyLive = isMap(v.features) && v.features.web_search_request === true;
  const search = v.web_search ?? (legacyLive ? "live" : "cached");
  const builtins = [...BUILTINS];
  if (search === "live") builtins.push("web_search_live");
  else if (search !== "disabled") builtins.push("web_search");
  return {
    policy: {
      source: `${path}${label ? ` (${label.slice(0, -2)})` : ""}`,
      tools: {
        shell: writes,
        apply_patch: writes,
        web_search_live: rule("allow", `web_search = "live": Codex searches the live web without asking`),
        ...tools,
      },
      otherwise: {
        edit: writes,
        writing: writes,
        mcp: ask("an MCP tool call asks unless its server or tool is set to approve"),
      },
      commands: [],
    },
    tools: builtins,
  };
}

/** The built-in tools every Codex session has (web search by its mode besides). */
const BUILTINS = [
  "shell",
  "apply_patch",
  "view_image",
  "read_file",
  "list_dir",
  "grep_files",
  "update_plan",
  "request_user_input",
  "spawn_agent",
];

/** Whether Codex asks before each server's tools, and before each tool the config names by its own approval mode. */
function serverRules(
  rawServers: unknown,
  servers: readonly McpServer[],
  ask: (why: string) => PolicyRule,
): Record<string, PolicyRule> {
  const tools: Record<string, PolicyRule> = {};
  const raw = isMap(rawServers) ? rawServers : {};
  for (const s of servers) {
    const found = raw[s.name];
    const entry: Record<string, unknown> = isMap(found) ? found : {};
    tools[`${s.name}/*`] = mcpRule(s.name, null, entry.default_tools_approval_mode, ask);
    if (isMap(entry.tools))
      for (const [t, cfg] of Object.entries(entry.tools))
        // A tool the config names is one the server gives: it is judged by its own approval mode.
        if (isMap(cfg) && cfg.approval_mode !== undefined)
          tools[`${s.name}/${t}`] = mcpRule(s.name, t, cfg.approval_mode, ask);
  }
  return tools;
}

/** The sandbox Codex runs commands in: `default_permissions` over `sandbox_mode`, workspace-write when neither is set. */
function sandboxOf(v: Record<string, unknown>): { mode: Sandbox; why: string } | { unknown: string } {
  const profile = v.default_permissions;
  if (profile !== undefined) {
    const builtins: Record<string, Sandbox> = {
      ":read-only": "read-only",
      ":workspace": "workspace-write",
      ":danger-full-access": "danger-full-access",
    };
    if (typeof profile === "string" && Object.hasOwn(builtins, profile))
      return { mode: builtins[profile]!, why: `default_permissions = "${profile}"` };
    return {
      unknown: `default_permissions = ${JSON.stringify(profile)} is a permissions profile whose reach capgate does not read`,
    };
  }
  const mode = v.sandbox_mode;
  if (mode === undefined)
    return { mode: "workspace-write", why: "no sandbox_mode (a trusted project's default, workspace-write)" };
  if (mode === "read-only" || mode === "workspace-write" || mode === "danger-full-access")
    return { mode, why: `sandbox_mode = "${mode}"` };
  return { unknown: `sandbox_mode = ${JSON.stringify(mode)} is not a value Codex knows: Codex refuses to start` };
}

/** Whether Codex asks before a server's tool, by its approval mode (`auto` asks for a tool whose annotations do not say it only reads). */
function mcpRule(server: string, tool: string | null, mode: unknown, ask: (why: string) => PolicyRule): PolicyRule {
  const where =
    tool === null ? `server ${server}'s default_tools_approval_mode` : `tool ${server}/${tool}'s approval_mode`;
  if (mode === "approve") return rule("allow", `${where} = "approve": run without asking`);
  if (mode === undefined || mode === "auto" || mode === "prompt" || mode === "writes")
    return ask(`${where} ${mode === undefined ? "is auto" : `= "${String(mode)}"`}: a call asks`);
  return rule("allow", `${where} = ${JSON.stringify(mode)} is not a value Codex knows: the worst case`);
}
