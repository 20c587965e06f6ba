import { posix } from "node:path";
import type { AgentManifest, McpServer, RuntimeAgent, SkillDoc } from "../../artifact/types.js";
import { unknownCapability, type Capability, type PreApproval } from "../../capability/tools.js";
import type { ResolvedConfig } from "../../config/resolve.js";
import type { FileError } from "../../parse/result.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { serversFor } from "../servers.js";
import { skillCapabilities } from "../skills.js";
import type { AgentRuntime, Permission, RuntimeContext, ToolRef } from "../types.js";
import { scriptsOf } from "../scripts.js";
import { claudeList, parseClaudeGiven } from "./agent.js";
import { claudeFolders } from "./hooks.js";
import { declsOf, layeredSettings, pluginHooks, pluginNamed, pluginServers } from "./compose.js";
import { homeOf, loadableSkills, runnableCommands } from "./loads.js";
import { readMarketplace, readMarketplaceEntries } from "./plugins.js";
import {
  dangerousRule,
  disallows,
  NO_PERMISSIONS,
  parseRule,
  permissionOf,
  scopedAllows,
  takesAway,
  type ClaudePermissions,
} from "./permissions.js";
import { mergeSettings } from "./settings.js";
import { CLAUDE_CODE } from "./tools.js";

/**
 * Claude Code: its subagents, the repository's session and each plugin's, their tools in its own
 * names (`mcp__server__tool` for a server's), and its permission model — deny, then the mode,
 * then a hook that may approve, then ask, then allow — deciding whether a person is asked.
 */

interface ClaudeContext extends RuntimeContext {
  permissions: ClaudePermissions;
  mode: string | null;
  /** Bash runs without asking inside the sandbox. */
  sandboxBash: boolean;
}

export const claudeCode: AgentRuntime<ClaudeContext> = {
  kind: "claude-code",
  name: "Claude Code",
  builtin: (name) => CLAUDE_CODE.builtin(name),
  everyBuiltin: () => CLAUDE_CODE.every(),
  canonical: (name) => name,
  mcpTool: (name) => mcpToolOf(name),
  serverTool: (server, tool) => `mcp__${server}__${tool}`,
  // Tool allowlists are other clients' fields (Copilot `tools`, Gemini `includeTools`/`excludeTools`):
  // Claude Code starts the whole server.
  honoursServerLists: false,
  alsoServer: () => null,
  takesAway: (removed, name) => disallows(removed, name),
  context: (view, path, rt) => contextOf(view, path, rt),
  confirm(tool, rt, ctx) {
    const p = askedOf(tool, ctx);
    // Run where nobody can answer (a workflow step), a question is a refusal.
    if (rt.unattended && p.available && p.asked) return { available: false, why: `${p.why}; ${rt.unattended}` };
    return p;
  },
  extras: (view, path, m, ctx, config) => extrasOf(view, path, m, ctx, config),
  changedParts: (base, head, path) => marketplaceEntriesChanged(base, head, path),
  preApprovals(view, path, m, ctx) {
    const of = (rule: string, where?: string): PreApproval => {
      const parsed = parseRule(rule);
      const danger = parsed ? dangerousRule(parsed) : null;
      return { rule, ...(danger ? { does: `${danger.command} ${danger.does}` } : {}), ...(where ? { in: where } : {}) };
    };
    const ofDoc = (doc: Lookup<SkillDoc>, where: string) =>
      doc.state === "parsed" && doc.result.ok ? (doc.result.value.allowedTools ?? []).map((t) => of(t, where)) : [];
    const named = new Set(m.skills);
    return [
      ...ctx.permissions.allow.map((rule) => of(rule)),
      ...loadableSkills(view, path, m.runtime)
        .filter((f) => !named.has(f))
        .flatMap((f) => ofDoc(given(view, `${f}/SKILL.md`), `skill ${f}`)),
      ...runnableCommands(view, path, m.runtime).flatMap((c) => ofDoc(given(view, c), `command ${c}`)),
    ];
  },
  refs(view, path, m) {
    const rt = m.runtime;
    const home = homeOf(view, path, rt);
    const own = view.rev.loads?.agents[path];
    const plugin = home.plugin;
    // A plugin is declared by its manifest, and by its own entry of its marketplace (not the others').
    const pluginFiles = plugin
      ? [...(plugin.manifest ? [plugin.manifest] : []), ...(plugin.marketplace ? [entryKey(plugin.marketplace)] : [])]
      : [];
    return {
      skills: loadableSkills(view, path, rt),
      servers: namedServers(rt),
      files: [
        ...new Set([
          ...(rt.settings ? rt.settings.files : []),
          ...(!rt.settings || rt.unattended ? home.settings : []),
          ...(own?.files ?? []).map((f) => (plugin?.marketplace?.path === f ? entryKey(plugin.marketplace) : f)),
          ...pluginFiles,
          ...runnableCommands(view, path, rt),
          ...memoryFiles(rt, home),
          ...enabledPlugins(view, rt).flatMap((p) =>
            p.plugin ? (view.rev.loads?.agents[p.plugin.session]?.files ?? []) : [],
          ),
        ]),
      ],
      automation: [...new Set([...automationPaths(rt, home), ...preApprovedScripts(view, path, rt)])].sort(),
    };
  },
};

/** A command or skill as Claude Code reads it for what it pre-approves, once per blob. */
const given = (view: RevisionView, path: string): Lookup<SkillDoc> =>
  view.parsed(path, "claude-given", parseClaudeGiven);

/** A marketplace entry as a part of its file (NUL: no path holds one). */
const entryKey = (m: { path: string; entry: string }) => `${m.path}\0${m.entry}`;

/**
 * The entries of a marketplace a change alters: added, removed, or written otherwise (a
 * re-indented entry is no change). Null for a file that is no marketplace of either revision.
 */
function marketplaceEntriesChanged(base: RevisionView, head: RevisionView, path: string): string[] | null {
  const isMarketplace = (v: RevisionView) => (v.rev.loads?.plugins ?? []).some((p) => p.marketplace?.path === path);
  if (!isMarketplace(base) && !isMarketplace(head)) return null;
  const entries = (v: RevisionView) => {
    if (!v.has(path)) return new Map<string, string>();
    const m = v.parsed(path, "claude-marketplace-entries", readMarketplaceEntries);
    return m.state === "parsed" && m.result.ok ? m.result.value : new Map<string, string>();
  };
  const before = entries(base);
  const after = entries(head);
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).map((n) => entryKey({ path, entry: n }));
}

/**
 * What an agent's automation runs from the repository: the scripts its hooks and command-running
 * settings name, and the folder where hooks keep them (`.claude/hooks/`, a plugin's `hooks/`).
 */
function automationPaths(rt: RuntimeAgent, home: ReturnType<typeof homeOf>): string[] {
  const root =
    home.plugin && rt.pluginOf !== undefined
      ? home.plugin.root === ""
        ? ""
        : `${home.plugin.root}/`
      : home.root && rt.settings
        ? `${home.root}/`
        : null;
  // Where hooks keep their scripts, and the workflows Claude Code runs (code capgate does not read).
  const folders = root === null ? [] : [`${root}hooks/`, `${root}workflows/`];
  const runners = (rt.settings?.runners ?? []).flatMap((r) => scriptsOf(r.runs, claudeFolders(home.plugin?.root)));
  return [...new Set([...(rt.hooks ?? []).flatMap((h) => h.scripts), ...runners, ...folders])].sort();
}

/**
 * The repository's scripts an agent runs unasked by a rule that pre-approves them
 * (`Bash(./scripts/label.sh:*)` in its settings or in a command's or skill's `allowed-tools`): what
 * they do runs as the rule lets it, so a change to one reaches the agent as automation does.
 */
function preApprovedScripts(view: RevisionView, path: string, rt: RuntimeAgent): string[] {
  const rules = [...(rt.settings?.allow ?? [])];
  // Read where the revision holds them (planning asks before the commands are read).
  for (const c of runnableCommands(view, path, rt).filter((p) => view.has(p))) {
    const d = given(view, c);
    if (d.state === "parsed" && d.result.ok) rules.push(...(d.result.value.allowedTools ?? []));
  }
  const out: string[] = [];
  for (const r of rules) {
    const m = /^Bash\((.*)\)$/s.exec(r.trim());
    if (m) out.push(...scriptsOf(m[1]!.replace(/:?\*$/, "").trim(), claudeFolders(undefined)));
  }
  return out;
}

/**
 * The instructions Claude Code loads into a session (its memory): `CLAUDE.md` and
 * `.claude/CLAUDE.md` at the top and in the folder a session below it starts in, and a committed
 * `CLAUDE.local.md`. A session's, and an agent's a workflow runs; a subagent's prompt is its own file.
 */
function memoryFiles(rt: RuntimeAgent, home: ReturnType<typeof homeOf>): string[] {
  if (!rt.settings || rt.pluginOf !== undefined) return [];
  const top = ["CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md"];
  const at = home.root ? posix.dirname(home.root) : ".";
  return at === "." ? top : [...top, `${at}/CLAUDE.md`, `${at}/.claude/CLAUDE.md`, `${at}/CLAUDE.local.md`];
}

/** The server and tool an MCP tool name names: `mcp__server__tool`, `mcp__server__*`, `mcp__server`. */
function mcpToolOf(name: string): { server: string; tool: string | null } | null {
  if (!name.startsWith("mcp__")) return null;
  const rest = name.slice(5);
  const sep = rest.indexOf("__");
  if (sep < 0) return { server: rest, tool: null };
  const tool = rest.slice(sep + 2);
  return { server: rest.slice(0, sep), tool: tool === "*" ? null : tool };
}

/** The servers its tool names name. */
function namedServers(rt: RuntimeAgent): string[] {
  return (rt.toolNames ?? []).flatMap((name) => mcpToolOf(name)?.server ?? []);
}

/**
 * What an agent runs under: the repository's session its settings; a project's subagent the
 * settings of its `.claude` folder; a plugin's agent or session none of the repository's (its
 * installer's, read as asking), and its plugin's servers instead of the repository's.
 */
function contextOf(view: RevisionView, path: string, rt: RuntimeAgent): ClaudeContext {
  const errors: FileError[] = [];
  let permissions = NO_PERMISSIONS;
  let mode = rt.permissionMode;
  let sandboxBash = false;
  const home = homeOf(view, path, rt);
  // A session's settings are its own; an agent run in CI runs under the repository's and its arguments over them.
  const repo = !rt.settings || rt.unattended ? settingsAt(view, home.settings, errors, (why) => (mode = why)) : null;
  const settings = rt.settings && repo ? mergeSettings([repo, rt.settings]) : (rt.settings ?? repo);
  if (settings && !settings.ignored) {
    permissions = { source: settings.files.join(" over ") || home.settings.join(" over "), ...settings };
    sandboxBash = settings.sandboxBash;
  }
  // Its own hooks run beside the settings' (a subagent's frontmatter `hooks`, a plugin's hooks).
  if (rt.approvingHooks?.length && !rt.settings)
    permissions = {
      ...permissions,
      approvingHooks: [
        ...permissions.approvingHooks,
        ...rt.approvingHooks.map((h) => ({
          ...h,
          where: rt.pluginOf !== undefined ? `plugin ${rt.pluginOf}'s hooks` : "its own frontmatter",
        })),
      ],
    };
  if (home.plugin) {
    const servers = new Map<string, McpServer>();
    for (const s of rt.inlineServers.length ? rt.inlineServers : pluginServers(view, home.plugin))
      if (!s.disabled) servers.set(s.name, s);
    return { servers, off: new Set(), errors, permissions, mode, sandboxBash };
  }
  const reach = serversFor(view, rt, {
    enabled: rt.settings ? new Set(rt.settings.enabledMcpjsonServers) : null,
    disabled: new Set(rt.settings?.disabledMcpjsonServers ?? []),
  });
  return { ...reach, errors: [...errors, ...reach.errors], permissions, mode, sandboxBash };
}

/** The settings a subagent runs under, read from its folder's layers. */
function settingsAt(
  view: RevisionView,
  layers: readonly string[],
  errors: FileError[],
  worst: (why: string) => void,
): ReturnType<typeof asDoc> {
  if (layers.length === 0) return null;
  const s = layeredSettings(view, layers);
  if (s === null) return null;
  if ("unseen" in s) {
    worst(`unseen (${s.unseen})`);
    return null;
  }
  if (!s.ok) {
    // Settings that cannot be read say nothing about what is asked: the worst case.
    errors.push(s.error);
    worst(`unreadable (${layers.join(", ")} cannot be read)`);
    return null;
  }
  return asDoc(s.value);
}

const asDoc = (d: NonNullable<RuntimeAgent["settings"]>) => d as NonNullable<RuntimeAgent["settings"]> | null;

/**
 * What it may do besides its tools: the skills it may load with its `Skill` tool and the commands
 * it may run (what their `allowed-tools` pre-approve runs without asking), the commands an allow
 * rule runs unasked that delete, publish, push, send or run any code, what a plugin's hooks may
 * approve, and what its settings give that capgate cannot see (a plugin from elsewhere, a key it
 * does not know).
 */
function extrasOf(
  view: RevisionView,
  path: string,
  m: AgentManifest & { runtime: RuntimeAgent },
  ctx: ClaudeContext,
  config: ResolvedConfig,
): Capability[] {
  const rt = m.runtime;
  const caps: Capability[] = [];
  const named = new Set(m.skills);
  for (const folder of loadableSkills(view, path, rt))
    if (!named.has(folder))
      caps.push(
        ...preApproved(
          given(view, `${folder}/SKILL.md`),
          `skill ${folder}`,
          `skill ${folder} (loaded with the Skill tool)`,
          ctx,
          config,
        ),
      );
  for (const command of runnableCommands(view, path, rt))
    caps.push(
      ...preApproved(
        given(view, command),
        `command ${command}`,
        `command ${command} (run with the SlashCommand tool)`,
        ctx,
        config,
      ),
    );
  if (rt.pluginOf !== undefined) caps.push(...pluginExtras(view, rt.pluginOf, ctx, config));
  caps.push(...scopedRuleCapabilities(rt, ctx, config));
  if (rt.settings) caps.push(...settingsExtras(view, rt));
  return caps;
}

/** The scoped allow rules that run something unasked that counts: classified writing, or a dangerous command. */
function scopedRuleCapabilities(rt: RuntimeAgent, ctx: ClaudeContext, config: ResolvedConfig): Capability[] {
  const caps: Capability[] = [];
  for (const rule of scopedAllows(ctx.permissions)) {
    const danger = dangerousRule(rule);
    const classified = config.isClassifiedWriting(rule.text);
    if (!danger && !classified) continue;
    // Deny, then ask, then allow: a rule that also asks is asked.
    if (takesAway(ctx.permissions.deny, rule.text) || asks(ctx.permissions.ask, rule.text)) continue;
    caps.push({
      name: rule.text,
      source: rt.what,
      writing: true,
      why: classified ? "classified writing by the config" : `${danger!.command} ${danger!.does}`,
      confirmable: false,
      confirmation: { asked: false, why: `${ctx.permissions.source}: \`${rule.text}\` in permissions.allow` },
    });
  }
  caps.push(...allowedServerTools(rt, ctx, config));
  return caps;
}

/** Whether an ask rule covers an allow rule: the same rule, or one that asks before its whole tool. */
const asks = (ask: readonly string[], rule: string): boolean =>
  ask.some((a) => a.trim() === rule.trim()) || takesAway(ask, rule);

/**
 * A server's tool an allow rule names one by one (`mcp__github__update_issue`) runs unasked. Where
 * the repository does not declare that tool (its server is elsewhere, or lists no tools), its
 * annotations are unknown: a writing tool, unless the config classifies it read-only.
 */
function allowedServerTools(rt: RuntimeAgent, ctx: ClaudeContext, config: ResolvedConfig): Capability[] {
  const caps: Capability[] = [];
  for (const text of ctx.permissions.allow) {
    const t = mcpToolOf(text.trim());
    if (!t || t.tool === null || t.tool === "*") continue;
    const server = ctx.servers.get(t.server);
    if (server?.tools?.includes(t.tool) || config.isClassifiedReadOnly(text)) continue;
    if (takesAway(ctx.permissions.deny, text) || asks(ctx.permissions.ask, text)) continue;
    caps.push({
      name: text,
      source: server ? `MCP server ${t.server}` : rt.what,
      writing: true,
      why: "an MCP tool whose annotations are not in the repository",
      confirmable: false,
      confirmation: { asked: false, why: `${ctx.permissions.source}: \`${text}\` in permissions.allow` },
    });
  }
  return caps;
}

/** What a plugin's own session gives beside its servers: its inline commands' pre-approvals and what its hooks may approve. */
function pluginExtras(view: RevisionView, name: string, ctx: ClaudeContext, config: ResolvedConfig): Capability[] {
  const plugin = pluginNamed(view, name);
  if (!plugin) return [];
  const caps: Capability[] = [];
  for (const d of declsOf(view, plugin))
    for (const c of d.inlineCommands)
      if (c.allowedTools.length)
        caps.push(
          ...preApproved(
            { state: "parsed", result: { ok: true, value: { name: c.name, allowedTools: c.allowedTools } } },
            `command ${c.name}`,
            `command ${c.name} (written in the plugin's manifest)`,
            ctx,
            config,
          ),
        );
  const hooks = pluginHooks(view, plugin);
  for (const h of hooks.ok ? hooks.value : [])
    if (h.event === "PreToolUse" || h.event === "PermissionRequest") {
      const names =
        /^[A-Za-z0-9_|, -]+$/.test(h.matcher.trim()) && h.matcher.trim() !== ""
          ? claudeList(h.matcher.replace(/\|/g, ","))
          : ["every Claude Code tool"];
      for (const n of names)
        caps.push({
          ...unknownCapability(
            n,
            `plugin ${name}'s hooks`,
            `a ${h.event} hook may approve it in the session that installs the plugin`,
          ),
          confirmation: { asked: false, why: `${h.where}: a ${h.event} hook may approve it without asking` },
        });
    }
  return caps;
}

/** The plugins a session's settings enable, each found in the repository or not. */
function enabledPlugins(
  view: RevisionView,
  rt: RuntimeAgent,
): { id: string; plugin: ReturnType<typeof pluginNamed> }[] {
  const ids = rt.settings?.plugins ?? [];
  if (ids.length === 0) return [];
  const local = new Map<string, string>();
  for (const p of view.rev.loads?.plugins ?? []) {
    if (!p.marketplace) continue;
    const mk = view.parsed(p.marketplace.path, "claude-marketplace", readMarketplace);
    if (mk.state === "parsed" && mk.result.ok) local.set(`${p.name}@${mk.result.value.name}`, p.name);
  }
  return ids.map((id) => ({ id, plugin: local.has(id) ? pluginNamed(view, local.get(id)!) : null }));
}

/** What a session's settings give it that is not a tool: enabled plugins (theirs, or the worst case from elsewhere), keys capgate does not know. */
function settingsExtras(view: RevisionView, rt: RuntimeAgent): Capability[] {
  const caps: Capability[] = [];
  const source = rt.settings!.files.join(" over ");
  for (const { id, plugin } of enabledPlugins(view, rt)) {
    if (plugin && plugin.unseen === undefined) continue;
    caps.push({
      ...unknownCapability(
        `plugin ${id}`,
        source,
        "a plugin whose content is outside the repository: its hooks, commands and servers cannot be seen",
      ),
      confirmation: {
        asked: false,
        why: `${source}: enabledPlugins enables ${id}, from a marketplace outside the repository`,
      },
    });
  }
  for (const key of rt.settings!.unknownKeys)
    caps.push({
      ...unknownCapability(
        `settings key ${key}`,
        source,
        "a settings key capgate does not know, so it may remove asking",
      ),
      confirmation: { asked: false, why: `${source}: \`${key}\` is not a key capgate knows: the worst case` },
    });
  return caps;
}

/**
 * What a skill or command the agent may load gives: the writing tools its `allowed-tools` name,
 * which run without asking while it is active (less what the settings deny). One that names none
 * gives nothing; one that cannot be read, anything.
 */
function preApproved(
  doc: Lookup<SkillDoc>,
  source: string,
  what: string,
  ctx: ClaudeContext,
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
  return skillCapabilities(doc.result.value, source, config).flatMap((c) => {
    if (!c.writing || takesAway(ctx.permissions.deny, c.name)) return [];
    // An entry is an allow rule: one scoped to a command counts as the settings' do (PRODUCT §2b).
    const rule = parseRule(c.name);
    const scoped = rule !== null && !rule.broad && rule.content !== null;
    const danger = scoped ? dangerousRule(rule) : null;
    if (scoped && !danger && !config.isClassifiedWriting(c.name)) return [];
    return [
      {
        ...c,
        ...(danger ? { why: `${danger.command} ${danger.does}` } : {}),
        source,
        confirmable: false,
        confirmation: { asked: false, why },
      },
    ];
  });
}

/** Whether Claude Code asks before a writing tool, as its rules, mode and sandbox decide. */
function askedOf(tool: ToolRef, ctx: ClaudeContext): Permission {
  const p = permissionOf(tool, true, ctx.permissions, ctx.mode);
  if (p.available && p.asked && ctx.sandboxBash && "builtin" in tool && tool.builtin === "Bash")
    return {
      available: true,
      asked: false,
      why: `${ctx.permissions.source}: sandbox.autoAllowBashIfSandboxed runs Bash in the sandbox without asking`,
    };
  return p;
}
