import type { AgentManifest, ClaudeSettingsDoc } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import { manifest } from "../declare.js";

/** `.claude/settings.json`: the repository's Claude Code session, an agent with every built-in tool. */
export function parseClaudeSettings(path: string, text: string): Parsed<AgentManifest> {
  const data = parseJsonc(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!isMap(v)) return fail(path, "Claude Code settings must be a JSON object");
  const settings = settingsOf(v);
  if (typeof settings === "string") return fail(path, settings);
  return ok(
    manifest(
      "Claude Code session",
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
      },
      { servers: settings.enabledMcpjsonServers.map((name) => ({ name })) },
    ),
  );
}

/** Hook events whose command may answer "allow" for a tool call, so that nobody is asked. */
const APPROVING_HOOK_EVENTS = ["PreToolUse", "PermissionRequest"];

/** The settings' hooks that may approve tool calls: each event's matchers (a left-out matcher is every tool). */
export function approvingHooks(v: unknown): ClaudeSettingsDoc["approvingHooks"] | string {
  if (v === undefined || v === null) return [];
  if (!isMap(v)) return "`hooks` must be an object of hook events";
  const out: ClaudeSettingsDoc["approvingHooks"] = [];
  for (const event of APPROVING_HOOK_EVENTS) {
    const list = v[event];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `\`hooks.${event}\` must be a list`;
    for (const entry of list) {
      if (!isMap(entry)) return `\`hooks.${event}\` holds an entry that is not an object`;
      const m = entry.matcher;
      if (m !== undefined && m !== null && typeof m !== "string")
        return `\`hooks.${event}\`: a matcher must be a string`;
      out.push({ event, matcher: typeof m === "string" ? m : "" });
    }
  }
  return out;
}

export function settingsOf(v: Record<string, unknown>): ClaudeSettingsDoc | string {
  const p = v.permissions ?? {};
  if (!isMap(p)) return "`permissions` must be an object";
  const strings = (x: unknown, field: string): string[] | string => {
    if (x === undefined || x === null) return [];
    if (Array.isArray(x) && x.every((s) => typeof s === "string")) return x as string[];
    return `\`${field}\` must be a list of rules`;
  };
  const allow = strings(p.allow, "permissions.allow");
  const ask = strings(p.ask, "permissions.ask");
  const deny = strings(p.deny, "permissions.deny");
  const enabled = strings(v.enabledMcpjsonServers, "enabledMcpjsonServers");
  const disabled = strings(v.disabledMcpjsonServers, "disabledMcpjsonServers");
  for (const l of [allow, ask, deny, enabled, disabled]) if (typeof l === "string") return l;
  if (p.defaultMode !== undefined && typeof p.defaultMode !== "string")
    return "`permissions.defaultMode` must be a string";
  const hooks = approvingHooks(v.hooks);
  if (typeof hooks === "string") return hooks;
  return {
    allow: allow as string[],
    ask: ask as string[],
    deny: deny as string[],
    defaultMode: typeof p.defaultMode === "string" ? p.defaultMode : null,
    enableAllProjectMcpServers: v.enableAllProjectMcpServers === true,
    enabledMcpjsonServers: enabled as string[],
    disabledMcpjsonServers: disabled as string[],
    approvingHooks: hooks,
  };
}
