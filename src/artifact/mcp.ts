import { parseData } from "../parse/document.js";
import { parseJsonc } from "../parse/jsonc.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { isMap } from "./prompt.js";
import { launcherPin } from "./launcher.js";
import type { Launch, McpConfigDoc, McpServer } from "./types.js";

/** The keys a client's config holds its servers under, by dialect. */
const SERVER_MAPS = [
  "mcpServers", // Claude Code, Cursor, Copilot CLI and coding agent, Gemini, Windsurf
  "servers", // VS Code `.vscode/mcp.json`
  "context_servers", // Zed
] as const;

/** The fields that make an object a server entry (for a plugin `.mcp.json` with no wrapper). */
const SERVER_FIELDS = ["command", "url", "serverUrl", "httpUrl", "type"];

/**
 * Reads an MCP client config in any of the dialects clients write: JSON with comments and
 * trailing commas (VS Code, Zed, Claude Code), a server map under `mcpServers`, `servers` (with
 * VS Code's `inputs` beside it) or `context_servers`, a plugin's `.mcp.json` that is the server
 * map itself, or Continue's YAML list of servers. A file that holds no servers (a settings file
 * that configures something else) declares none.
 */
export function parseMcpConfig(path: string, text: string): Parsed<McpConfigDoc> {
  const data = /\.ya?ml$/i.test(path) ? parseData(path, text) : parseJsonc(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!isMap(v)) return fail(path, "an MCP config must be a JSON object");
  const servers: McpServer[] = [];
  const seen = new Set<string>();
  const add = (where: string, name: string, entry: unknown): string | null => {
    const server = serverOf(where, name, entry);
    if (typeof server === "string") return server;
    if (seen.has(name)) return `server "${name}" is defined twice`;
    seen.add(name);
    servers.push(server);
    return null;
  };
  const maps = SERVER_MAPS.filter((k) => v[k] !== undefined);
  for (const key of maps) {
    const map = v[key];
    // Continue writes its servers as a list of entries that carry their names.
    if (Array.isArray(map) && key === "mcpServers") {
      for (const [i, entry] of map.entries()) {
        const name = isMap(entry) && typeof entry.name === "string" ? entry.name : null;
        const problem = name === null ? `${key}[${i}]: a server needs a name` : add(`${key}[${i}]`, name, entry);
        if (problem) return fail(path, problem);
      }
      continue;
    }
    if (!isMap(map)) return fail(path, `\`${key}\` must be an object of servers`);
    for (const [name, entry] of Object.entries(map)) {
      const problem = add(`${key}.${name}`, name, entry);
      if (problem) return fail(path, problem);
    }
  }
  if (maps.length === 0 && isServerMap(v)) {
    for (const [name, entry] of Object.entries(v)) {
      const problem = add(name, name, entry);
      if (problem) return fail(path, problem);
    }
  }
  return ok({ servers });
}

/** A top level that is itself a map of servers: every value an object with a server's fields. */
function isServerMap(v: Record<string, unknown>): boolean {
  const entries = Object.values(v);
  return entries.length > 0 && entries.every((e) => isMap(e) && SERVER_FIELDS.some((f) => e[f] !== undefined));
}

/** The servers of a map of them (`mcp_servers` of a Codex config), or what is wrong with one. */
export function serversOfMap(where: string, map: Record<string, unknown>): McpServer[] | string {
  const out: McpServer[] = [];
  for (const [name, entry] of Object.entries(map)) {
    const s = serverOf(`${where}.${name}`, name, entry);
    if (typeof s === "string") return s;
    out.push(s);
  }
  return out;
}

/** One server entry, or what is wrong with it. */
function serverOf(where: string, name: string, entry: unknown): McpServer | string {
  if (!isMap(entry)) return `${where}: a server must be an object`;
  const list = (key: string): string[] | null | string => {
    const x = entry[key];
    if (x === undefined) return null;
    if (!Array.isArray(x) || !x.every((t) => typeof t === "string"))
      return `${where}.${key} must be a list of tool names`;
    return x as string[];
  };
  // Codex writes its lists `enabled_tools` and `disabled_tools`; its `tools` is a table of per-tool settings.
  const tools = isMap(entry.tools) ? null : list("tools");
  const include = list("includeTools");
  const exclude = list("excludeTools");
  const enabled = list("enabled_tools");
  const disabled = Array.isArray(entry.disabledTools) ? list("disabledTools") : list("disabled_tools");
  for (const l of [tools, include, exclude, enabled, disabled]) if (typeof l === "string") return l;
  const allowed = [tools, include, enabled].filter((l): l is string[] => Array.isArray(l));
  const launch = launchOf(entry);
  return {
    name,
    transport: transportOf(entry),
    disabled: entry.disabled === true || entry.enabled === false,
    // `["*"]` is every tool the server gives; a list limits it to those.
    tools: allowed.length === 0 || allowed.some((l) => l.includes("*")) ? null : allowed.flat(),
    excluded: [...(Array.isArray(exclude) ? exclude : []), ...(Array.isArray(disabled) ? disabled : [])],
    // Kiro's `autoApprove` lists tools run unasked; a server's tools are not known here, so any list is the whole server.
    trusted: entry.trust === true || (Array.isArray(entry.autoApprove) && entry.autoApprove.length > 0),
    ...packageOf(launch),
    launch,
  };
}

/** The arguments and environment a server is started with (Zed's older `command: {args, env}` too). */
function launchOf(entry: Record<string, unknown>): Launch {
  const inner = isMap(entry.command) ? entry.command : {};
  const args = Array.isArray(entry.args) ? entry.args : Array.isArray(inner.args) ? inner.args : [];
  const env = isMap(entry.env) ? entry.env : isMap(inner.env) ? inner.env : {};
  const pairs = (map: Record<string, unknown>, sep: string) =>
    Object.entries(map)
      .map(([k, v]) => `${k}${sep}${typeof v === "string" ? v : JSON.stringify(v)}`)
      .sort();
  const text = (x: unknown) => (typeof x === "string" ? x : null);
  const url = ["url", "serverUrl", "httpUrl"].map((k) => text(entry[k])).find((u) => u !== null) ?? null;
  return {
    command: text(entry.command) ?? text(inner.path),
    url,
    // Gemini's `httpUrl` is its streamable HTTP transport.
    type: text(entry.type) ?? text(entry.transport) ?? (text(entry.httpUrl) ? "http" : null),
    cwd: text(entry.cwd),
    args: args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))),
    env: pairs(env, "="),
    headers: isMap(entry.headers) ? pairs(entry.headers, ": ") : [],
  };
}

/** Whether the package or image a server runs is pinned, and which it is (null: it runs none, or is remote). */
function packageOf(launch: Launch): { pinned: boolean | null; package: string | null } {
  const pin = launcherPin(launch);
  if (pin.state === "exact") return { pinned: true, package: pin.package };
  if (pin.state === "unpinned") return { pinned: false, package: pin.package };
  return { pinned: null, package: null };
}

/** How the client reaches the server, in words; a shape no client documents is still a server. */
function transportOf(entry: Record<string, unknown>): string {
  for (const key of ["url", "serverUrl", "httpUrl"])
    if (typeof entry[key] === "string") return `${key} ${entry[key] as string}`;
  const command = entry.command;
  if (typeof command === "string") return `command ${command}`;
  // Zed's older entries: `command: { path, args }`.
  if (isMap(command) && typeof command.path === "string") return `command ${command.path}`;
  return typeof entry.type === "string" ? `type ${entry.type}` : "unknown transport";
}
