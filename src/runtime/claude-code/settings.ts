import type { AgentManifest, ClaudeSettingsDoc } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import { manifest } from "../declare.js";
import { approving, hooksOf } from "./hooks.js";
import { INERT_KEYS, READ_KEYS, RUNNING_KEYS, WORST_KEYS } from "./settings-keys.js";

/**
 * A Claude Code settings file (`.claude/settings.json`, `.claude/settings.local.json`), read as
 * Claude Code reads it: plain JSON (a comment or a trailing comma makes Claude Code ignore the
 * whole file), a key written twice keeping its last value, every key by what it does (the table in
 * `settings-keys.ts`).
 */
export function readSettings(path: string, text: string): Parsed<ClaudeSettingsDoc> {
  const plain = text.replace(/^\uFEFF/, "");
  const data = parseJsonc(path, plain, { strict: true, repeatedKeys: "last" });
  let json = true;
  try {
    JSON.parse(plain);
  } catch {
    json = false;
  }
  // Claude Code reads its settings with JSON.parse: what that refuses, it ignores whole.
  if (!json || (!data.ok && /^malformed/.test(data.error.reason))) {
    const why = data.ok ? "" : ` (${data.error.reason}${data.error.line ? ` at line ${data.error.line}` : ""})`;
    return ok({ ...EMPTY, files: [path], ignored: `it is not plain JSON${why}, so Claude Code ignores it` });
  }
  if (!data.ok) return data;
  const v = data.value;
  if (!isMap(v)) return ok({ ...EMPTY, files: [path], ignored: "it is not a JSON object, so Claude Code ignores it" });
  const settings = settingsOf(v, path);
  return typeof settings === "string" ? fail(path, settings) : ok(settings);
}

const EMPTY: ClaudeSettingsDoc = {
  allow: [],
  ask: [],
  deny: [],
  defaultMode: null,
  enableAllProjectMcpServers: false,
  enabledMcpjsonServers: [],
  disabledMcpjsonServers: [],
  approvingHooks: [],
  hooks: [],
  runners: [],
  env: [],
  plugins: [],
  marketplaces: [],
  sandboxBash: false,
  unknownKeys: [],
  files: [],
};

/** `.claude/settings.json` on its own: the repository's Claude Code session, an agent with every built-in tool. */
export function parseClaudeSettings(path: string, text: string): Parsed<AgentManifest> {
  const r = readSettings(path, text);
  return r.ok ? ok(sessionOf(r.value)) : r;
}

/** The repository's session as the settings it runs under configure it. */
export function sessionOf(settings: ClaudeSettingsDoc, name = "Claude Code session"): AgentManifest {
  return manifest(
    name,
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
      hooks: settings.hooks,
    },
    { servers: settings.enabledMcpjsonServers.map((name) => ({ name })) },
  );
}

/**
 * Settings read in layers, as Claude Code merges them (later files win): lists are joined without
 * repeats, a value the later file sets is the later file's. The shared settings come first, the
 * local ones over them.
 */
export function mergeSettings(layers: readonly ClaudeSettingsDoc[]): ClaudeSettingsDoc {
  const join = <T>(pick: (d: ClaudeSettingsDoc) => readonly T[]) => [...new Set(layers.flatMap(pick))];
  const last = <T>(pick: (d: ClaudeSettingsDoc) => T | null | undefined, fallback: T) =>
    layers.reduce<T>((acc, d) => pick(d) ?? acc, fallback);
  const read = layers.filter((l) => l.ignored === undefined);
  const ignored = layers.filter((l) => l.ignored !== undefined).map((l) => `${l.files.join(", ")}: ${l.ignored}`);
  return {
    allow: join((d) => d.allow),
    ask: join((d) => d.ask),
    deny: join((d) => d.deny),
    defaultMode: last((d) => d.defaultMode, null as string | null),
    enableAllProjectMcpServers: read.reduce((acc, d) => (d.setsEnableAll ? d.enableAllProjectMcpServers : acc), false),
    enabledMcpjsonServers: join((d) => d.enabledMcpjsonServers),
    disabledMcpjsonServers: join((d) => d.disabledMcpjsonServers),
    approvingHooks: layers.flatMap((d) => d.approvingHooks),
    hooks: layers.flatMap((d) => d.hooks),
    runners: layers.flatMap((d) => d.runners),
    env: layers.flatMap((d) => d.env),
    plugins: join((d) => d.plugins),
    marketplaces: layers.flatMap((d) => d.marketplaces),
    sandboxBash: last((d) => (d.setsSandbox ? d.sandboxBash : null), false),
    unknownKeys: join((d) => d.unknownKeys),
    ...(ignored.length === layers.length && ignored.length > 0 ? { ignored: ignored.join("; ") } : {}),
    files: layers.flatMap((d) => d.files),
  };
}

/** What one settings object says, or what is wrong with it. */
export function settingsOf(v: Record<string, unknown>, path: string): ClaudeSettingsDoc | string {
  const p = v.permissions ?? {};
  if (!isMap(p)) return "`permissions` must be an object";
  const strings = (x: unknown, field: string): string[] | string => {
    if (x === undefined || x === null) return [];
    if (Array.isArray(x) && x.every((s) => typeof s === "string")) return x as string[];
    return `\`${field}\` must be a list of strings`;
  };
  const lists = {
    allow: strings(p.allow, "permissions.allow"),
    ask: strings(p.ask, "permissions.ask"),
    deny: strings(p.deny, "permissions.deny"),
    enabled: strings(v.enabledMcpjsonServers, "enabledMcpjsonServers"),
    disabled: strings(v.disabledMcpjsonServers, "disabledMcpjsonServers"),
  };
  for (const l of Object.values(lists)) if (typeof l === "string") return l;
  if (p.defaultMode !== undefined && p.defaultMode !== null && typeof p.defaultMode !== "string")
    return "`permissions.defaultMode` must be a string";
  const hooks = hooksOf(v.hooks, { where: path });
  if (typeof hooks === "string") return hooks;
  const sandbox = isMap(v.sandbox) ? v.sandbox : {};
  const sandboxOn = sandbox.enabled === true;
  return {
    allow: lists.allow as string[],
    ask: lists.ask as string[],
    deny: lists.deny as string[],
    defaultMode: typeof p.defaultMode === "string" ? p.defaultMode : null,
    enableAllProjectMcpServers: v.enableAllProjectMcpServers === true,
    setsEnableAll: typeof v.enableAllProjectMcpServers === "boolean",
    enabledMcpjsonServers: lists.enabled as string[],
    disabledMcpjsonServers: lists.disabled as string[],
    approvingHooks: approving(hooks),
    hooks,
    runners: runnersOf(v, path),
    env: isMap(v.env)
      ? Object.entries(v.env)
          .map(([name, value]) => ({
            name,
            value: typeof value === "string" ? value : JSON.stringify(value),
            where: path,
          }))
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      : [],
    plugins: isMap(v.enabledPlugins)
      ? Object.entries(v.enabledPlugins)
          .filter(([, on]) => on !== false)
          .map(([id]) => id)
          .sort()
      : [],
    marketplaces: marketplacesOf(v.extraKnownMarketplaces ?? v.additionalMarketplaces),
    // Bash is approved in the sandbox without a prompt unless the key is false (its default is on).
    sandboxBash: sandboxOn && sandbox.autoAllowBashIfSandboxed !== false,
    setsSandbox: isMap(v.sandbox),
    unknownKeys: Object.keys(v)
      .filter((k) => WORST_KEYS.has(k) || !(READ_KEYS.has(k) || RUNNING_KEYS.has(k) || INERT_KEYS.has(k)))
      .sort(),
    files: [path],
  };
}

/** The keys whose value is a command run without asking, with the command in words. */
function runnersOf(v: Record<string, unknown>, where: string): ClaudeSettingsDoc["runners"] {
  const out: ClaudeSettingsDoc["runners"] = [];
  for (const key of RUNNING_KEYS) {
    const x = v[key];
    if (x === undefined || x === null) continue;
    const runs =
      typeof x === "string"
        ? x
        : isMap(x) && typeof x.command === "string"
          ? x.command
          : JSON.stringify(x).slice(0, 200);
    out.push({ key, runs, where });
  }
  return out;
}

/** The marketplaces `extraKnownMarketplaces` adds: each one's name and source, in words. */
function marketplacesOf(v: unknown): { name: string; source: string }[] {
  if (!isMap(v)) return [];
  return Object.entries(v).map(([name, entry]) => {
    const s = isMap(entry) ? entry.source : undefined;
    const source = isMap(s)
      ? [s.source, s.repo, s.url, s.path, s.package].filter((x) => typeof x === "string").join(":")
      : typeof s === "string"
        ? s
        : "an unreadable source";
    return { name, source };
  });
}
