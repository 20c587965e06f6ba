import { isMap } from "../../artifact/prompt.js";
import { serversOfMap } from "../../artifact/mcp.js";
import type { AgentManifest, McpServer, PolicyAnswer, ToolPolicy } from "../../artifact/types.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { ok, type Parsed } from "../../parse/result.js";
import { frontmatterOf, manifest, stemOf, worstCase } from "../declare.js";
import { rule, worstOf } from "../policy.js";
import { OPENCODE, PERMISSION_OF } from "./tools.js";

/**
 * OpenCode's config and agents as `opencode-ai` 1.18 reads them (`Config.loadInstanceState`,
 * `ConfigPermissionV1`, `Permission.evaluate`, `Agent.state`; opencode.ai/docs/permissions):
 * `opencode.json`/`opencode.jsonc` (JSON with comments and trailing commas) and markdown agents
 * in `.opencode/agent(s)/`. Every agent starts from OpenCode's own rules — everything allowed, but
 * a few questions — then the config's `permission` (and the retired `tools` booleans), then its
 * own; the last rule that matches decides, and what no rule matches asks. With nothing set,
 * OpenCode edits, runs commands and fetches unasked: `autonomous`. The config is judged as its
 * worst agent: any of them can be chosen at run time.
 */

type Action = "allow" | "ask" | "deny";
interface Rule {
  key: string;
  pattern: string;
  action: Action;
  /** Where it is written, for reasons. */
  from: string;
}

const BASE: Rule[] = [
  { key: "*", pattern: "*", action: "allow", from: "OpenCode's default" },
  { key: "doom_loop", pattern: "*", action: "ask", from: "OpenCode's default" },
  { key: "external_directory", pattern: "*", action: "ask", from: "OpenCode's default" },
  { key: "question", pattern: "*", action: "deny", from: "OpenCode's default" },
];

const WHAT = { config: "the repository's OpenCode agents", agent: "OpenCode agent" };

export function parseOpencode(path: string, text: string): Parsed<AgentManifest> {
  return /\.md$/i.test(path) ? markdownAgent(path, text) : configAgents(path, text);
}

/** `opencode.json`: the default agent and those its `agent` map defines, judged as the worst of them. */
function configAgents(path: string, text: string): Parsed<AgentManifest> {
  const data = parseJsonc(path, text, { repeatedKeys: "last" });
  if (!data.ok || !isMap(data.value))
    return ok(
      worstCase(
        "opencode",
        WHAT.config,
        path,
        `${data.ok ? "not a JSON object" : data.error.reason}: OpenCode refuses to start with it`,
        path,
      ),
    );
  const v = data.value;
  const global = rulesOf(v.permission, "permission", v.tools);
  if (typeof global === "string") return ok(worstCase("opencode", WHAT.config, path, global, path));
  const servers = serversOf(v.mcp);
  if (typeof servers === "string") return ok(worstCase("opencode", WHAT.config, path, servers, path));
  const policies = [policyOf(path, [...BASE, ...global], servers)];
  const notes: string[] = [];
  if (isMap(v.agent))
    for (const [name, a] of Object.entries(v.agent)) {
      if (!isMap(a) || a.disable === true) continue;
      const own = rulesOf(a.permission, `agent.${name}.permission`, a.tools);
      if (typeof own === "string") return ok(worstCase("opencode", WHAT.config, path, own, path));
      policies.push(policyOf(`${path} (agent ${name})`, [...BASE, ...global, ...own], servers));
      notes.push(`agent ${name}`);
    }
  if (notes.length) notes.unshift(`the worst of its ${notes.length + 1} agents counts: build, ${notes.join(", ")}`);
  return ok(opencodeAgent(path, path, WHAT.config, worstOf(policies), servers, notes.length ? [notes[0]!] : []));
}

/** A markdown agent: its frontmatter's `permission` and `tools` over OpenCode's own rules. */
function markdownAgent(path: string, text: string): Parsed<AgentManifest> {
  const name = stemOf(path);
  const fm = frontmatterOf(path, text);
  if (!fm.ok) return ok(worstCase("opencode", WHAT.agent, path, fm.why, name));
  const own = rulesOf(fm.meta.permission, "permission", fm.meta.tools);
  if (typeof own === "string") return ok(worstCase("opencode", WHAT.agent, path, own, name));
  return ok(opencodeAgent(path, name, WHAT.agent, policyOf(path, [...BASE, ...own], []), [], []));
}

function opencodeAgent(
  path: string,
  name: string,
  what: string,
  policy: ToolPolicy,
  servers: McpServer[],
  notes: string[],
): AgentManifest {
  return manifest(name, {
    kind: "opencode",
    what,
    toolNames: [...OPENCODE.every(), ...servers.map((s) => `${s.name}/*`)],
    removed: [],
    permissionMode: null,
    inlineServers: servers,
    allServers: false,
    loop: "OpenCode's agent loop (no limit is declared)",
    policy,
    ...(notes.length ? { notes } : {}),
  });
}

const ACTIONS = new Set(["allow", "ask", "deny"]);

/** A `permission` value (and the retired `tools` booleans before it) as ordered rules, or what is wrong with it. */
function rulesOf(permission: unknown, where: string, tools: unknown): Rule[] | string {
  const out: Rule[] = [];
  if (isMap(tools))
    for (const [t, on] of Object.entries(tools))
      if (typeof on === "boolean")
        out.push({
          key: PERMISSION_OF[t] ?? t,
          pattern: "*",
          action: on ? "allow" : "deny",
          from: `tools.${t}: ${on}`,
        });
  if (permission === undefined || permission === null) return out;
  if (typeof permission === "string") {
    if (!ACTIONS.has(permission)) return `${where} = ${JSON.stringify(permission)} is not allow, ask or deny`;
    return [...out, { key: "*", pattern: "*", action: permission as Action, from: `${where}: "${permission}"` }];
  }
  if (!isMap(permission)) return `${where} is neither an action nor a map of them`;
  for (const [key, val] of Object.entries(permission)) {
    if (typeof val === "string" && ACTIONS.has(val))
      out.push({ key, pattern: "*", action: val as Action, from: `${where}.${key}: "${val}"` });
    else if (isMap(val)) {
      for (const [pattern, action] of Object.entries(val)) {
        if (typeof action !== "string" || !ACTIONS.has(action))
          return `${where}.${key}.${pattern} is not allow, ask or deny`;
        out.push({ key, pattern, action: action as Action, from: `${where}.${key} "${pattern}": "${action}"` });
      }
    } else return `${where}.${key} is neither an action nor a map of patterns`;
  }
  return out;
}

/** OpenCode's wildcard: `*` anything, `?` one character, whole; `"x *"` also matches `x`. */
function matches(text: string, pattern: string): boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`, "s");
  return re.test(text) || (pattern.endsWith(" *") && matches(text, pattern.slice(0, -2)));
}

/** What the rules decide for a tool checked under a permission key: the last rule for the whole of it, or ask. */
function decisionOf(rules: readonly Rule[], key: string): { action: Action; from: string } {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (matches(key, r.key) && r.pattern === "*") return r;
  }
  return { action: "ask", from: "no rule matches, so OpenCode asks" };
}

const ANSWER: Record<Action, PolicyAnswer> = { allow: "allow", ask: "ask", deny: "deny" };

function policyOf(source: string, rules: readonly Rule[], servers: readonly McpServer[]): ToolPolicy {
  const tools: ToolPolicy["tools"] = {};
  for (const t of OPENCODE.every()) {
    const d = decisionOf(rules, PERMISSION_OF[t] ?? t);
    tools[t] = rule(ANSWER[d.action], d.from);
  }
  for (const s of servers) {
    const d = decisionOf(rules, `${s.name}_tool`);
    tools[`${s.name}/*`] = rule(ANSWER[d.action], d.from);
  }
  const any = decisionOf(rules, "any");
  const commands: ToolPolicy["commands"] = [];
  // Commands allowed one by one where the shell is not allowed whole: each runs unasked, named.
  if (tools.bash?.answer !== "allow")
    for (const r of rules)
      if (r.key !== "*" && matches("bash", r.key) && r.pattern !== "*" && r.action === "allow")
        commands.push({ rule: r.from, command: r.pattern.replace(/ \*$/, "") });
  return {
    source,
    tools,
    otherwise: {
      edit: rule(ANSWER[any.action], any.from),
      writing: rule(ANSWER[any.action], any.from),
      mcp: rule(ANSWER[any.action], any.from),
    },
    commands,
  };
}

/** `mcp.<name>`: a local server (`command` a list) or a remote one; `enabled: false` is off. */
function serversOf(mcp: unknown): McpServer[] | string {
  if (mcp === undefined) return [];
  if (!isMap(mcp)) return "`mcp` must be an object of servers";
  const entries: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(mcp)) {
    if (!isMap(e)) return `mcp.${name}: a server must be an object`;
    if (e.command === undefined && e.url === undefined) continue;
    const cmd = Array.isArray(e.command) ? e.command.map(String) : typeof e.command === "string" ? [e.command] : [];
    entries[name] = {
      ...(cmd.length ? { command: cmd[0], args: cmd.slice(1) } : {}),
      ...(typeof e.url === "string" ? { url: e.url } : {}),
      ...(isMap(e.environment) ? { env: e.environment } : {}),
      ...(isMap(e.headers) ? { headers: e.headers } : {}),
      ...(e.enabled === false ? { disabled: true } : {}),
    };
  }
  return serversOfMap("mcp", entries);
}
