import { isMap } from "../../artifact/prompt.js";
import { parseMcpConfig } from "../../artifact/mcp.js";
import type { AgentManifest, ClaudeSettingsDoc, Hook, McpServer } from "../../artifact/types.js";
import type { LoadedAgent, PluginLoad } from "../../input/types.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { manifest, worstCase } from "../declare.js";
import { approving, hooksOf } from "./hooks.js";
import { readManifest, readMarketplace, type PluginDecl } from "./plugins.js";
import { mergeSettings, readSettings, sessionOf } from "./settings.js";

/**
 * The agents Claude Code makes of several files: the repository's session, whose settings are the
 * shared `settings.json` and the local `settings.local.json` read over it, and a plugin's own
 * session — what its commands, skills, hooks and servers give the session that installs it.
 */

const ABSENT = { state: "absent" } as const;

/** The settings of the layers given, merged as Claude Code merges them; null when none is there. */
export function layeredSettings(
  view: RevisionView,
  layers: readonly string[],
): Parsed<ClaudeSettingsDoc> | null | { unseen: string } {
  const docs: ClaudeSettingsDoc[] = [];
  for (const layer of layers) {
    const f = view.file(layer);
    if (f.state === "absent") continue;
    if (f.state === "unseen") return { unseen: `${layer} ${f.reason}` };
    const r = view.parsed(layer, "claude-settings", readSettings);
    if (r.state === "absent") continue;
    if (!r.result.ok) return r.result;
    docs.push(r.result.value);
  }
  return docs.length ? ok(mergeSettings(docs)) : null;
}

/** The repository's session, read from its settings layers. */
export function composeSession(view: RevisionView, path: string, loaded: LoadedAgent): Lookup<AgentManifest> {
  const s = layeredSettings(view, loaded.files ?? [path]);
  const name = sessionName(path);
  // Found by what its `.claude` holds (commands, skills), or at the other revision: it runs on Claude Code's defaults.
  if (s === null) return { state: "parsed", result: ok(sessionOf(mergeSettings([]), name)) };
  if ("unseen" in s)
    return {
      state: "parsed",
      result: ok(worstCase("claude-code", "the repository's Claude Code session", path, s.unseen, name)),
    };
  if (!s.ok) return { state: "parsed", result: s };
  return { state: "parsed", result: ok(sessionOf(s.value, name)) };
}

/**
 * A session's name: the repository's for its top `.claude`, and one started in a folder below for a
 * `.claude` there (`Claude Code session in packages/web`), whose settings are that folder's own.
 */
export function sessionName(path: string): string {
  const at = path.toLowerCase().lastIndexOf("/.claude/");
  return at > 0 ? `Claude Code session in ${path.slice(0, at)}` : "Claude Code session";
}

/** The plugin whose own session is at a path. */
export function pluginAt(view: RevisionView, session: string): PluginLoad | null {
  return view.rev.loads?.plugins.find((p) => p.session === session) ?? null;
}

/** The plugin an agent comes with, by its name. */
export function pluginNamed(view: RevisionView, name: string): PluginLoad | null {
  return view.rev.loads?.plugins.find((p) => p.name === name) ?? null;
}

/** What a plugin's manifest and marketplace entry declare, read. */
export function declsOf(view: RevisionView, plugin: PluginLoad): PluginDecl[] {
  const out: PluginDecl[] = [];
  if (plugin.manifest) {
    const m = view.parsed(plugin.manifest, "claude-plugin-manifest", readManifest);
    if (m.state === "parsed" && m.result.ok) out.push(m.result.value);
  }
  if (plugin.marketplace) {
    const mk = view.parsed(plugin.marketplace.path, "claude-marketplace", readMarketplace);
    const entry =
      mk.state === "parsed" && mk.result.ok
        ? mk.result.value.entries.find((e) => e.name === plugin.marketplace!.entry)
        : undefined;
    if (entry) out.push(entry.decl);
  }
  return out;
}

/** A plugin's hooks: its hooks files' and those its manifest writes itself. */
export function pluginHooks(view: RevisionView, plugin: PluginLoad): Parsed<Hook[]> {
  const out: Hook[] = [];
  const roots = (where: string) => ({ where, plugin: plugin.root });
  for (const file of plugin.hooks) {
    const r = view.parsed(file, "claude-hooks", (p, text) => readHooksFile(p, text, plugin.root));
    if (r.state === "absent") continue;
    if (!r.result.ok) return r.result;
    out.push(...r.result.value);
  }
  for (const d of declsOf(view, plugin))
    for (const inline of d.inlineHooks) {
      const record = isMap(inline) ? inline : {};
      const h = hooksOf(isMap(record.hooks) ? record.hooks : record, roots(plugin.manifest ?? plugin.session));
      if (typeof h === "string") return fail(plugin.manifest ?? plugin.session, h);
      out.push(...h);
    }
  return ok(out);
}

/** A plugin's `hooks/hooks.json`: `{ "hooks": { <event>: [...] } }`. */
function readHooksFile(path: string, text: string, root: string): Parsed<Hook[]> {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return fail(path, `not valid JSON (${(e as Error).message}): Claude Code does not load this plugin`);
  }
  if (!isMap(v)) return fail(path, "a hooks file must be a JSON object");
  const h = hooksOf(isMap(v.hooks) ? v.hooks : undefined, { where: path, plugin: root });
  return typeof h === "string" ? fail(path, `${h}: Claude Code does not load this plugin`) : ok(h);
}

/** A plugin's servers: its MCP configs' and those its manifest writes itself. */
export function pluginServers(view: RevisionView, plugin: PluginLoad): McpServer[] {
  const out: McpServer[] = [];
  for (const file of plugin.mcp) {
    const c = view.mcp(file);
    if (c.state === "parsed" && c.result.ok) out.push(...c.result.value.servers);
  }
  for (const d of declsOf(view, plugin))
    for (const inline of d.inlineServers) {
      const r = parseMcpConfig("mcpServers", JSON.stringify({ mcpServers: inline }));
      if (r.ok) out.push(...r.value.servers);
    }
  return out;
}

/** A plugin's own session: what its commands, skills, hooks and servers give the session that installs it. */
export function composePlugin(view: RevisionView, path: string, _loaded: LoadedAgent): Lookup<AgentManifest> {
  const plugin = pluginAt(view, path);
  if (!plugin) return ABSENT;
  const what = `plugin ${plugin.name}'s own session`;
  if (plugin.unseen !== undefined)
    return {
      state: "parsed",
      result: ok(
        worstCase(
          "claude-code",
          what,
          path,
          `its ${plugin.unseen} is outside the repository, so what it gives cannot be seen`,
          plugin.name,
        ),
      ),
    };
  if (plugin.refused !== undefined) return ABSENT;
  const hooks = pluginHooks(view, plugin);
  if (!hooks.ok) return ABSENT;
  const servers = pluginServers(view, plugin);
  const m = manifest(plugin.name, {
    kind: "claude-code",
    what,
    // It gives no tool of its own: its servers' tools, and what its commands, skills and hooks
    // let run without asking in the session that installs it.
    toolNames: servers.map((s) => `mcp__${s.name}__*`),
    removed: [],
    permissionMode: null,
    inlineServers: servers,
    allServers: false,
    loop: "the installing session's unlimited loop",
    hooks: hooks.value,
    approvingHooks: approving(hooks.value),
    pluginOf: plugin.name,
  });
  return { state: "parsed", result: ok(m) };
}
