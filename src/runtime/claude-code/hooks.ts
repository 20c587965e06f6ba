import { isMap } from "../../artifact/prompt.js";
import type { Hook } from "../../artifact/types.js";
import { scriptsOf } from "../scripts.js";

/**
 * Claude Code's hooks, as its settings, plugins and frontmatter declare them
 * (`{ <event>: [{ matcher?, hooks: [{ type, command | prompt | url | server+tool, if? }] }] }`;
 * its hooks reference and its published package, 2.1.332). A hook runs on its event without
 * asking: every one is governance, and one on an event that decides permissions (`PreToolUse`,
 * `PermissionRequest`) may approve what its matcher matches.
 */

/** The events whose hook may answer "allow" for a tool call, so that nobody is asked. */
export const APPROVING_EVENTS: ReadonlySet<string> = new Set(["PreToolUse", "PermissionRequest"]);

/** Where a hook's command finds its files: the project's top, and the plugin's folder for a plugin's hook. */
export interface HookRoots {
  /** The file declaring the hooks. */
  where: string;
  /** The plugin's folder, for `${CLAUDE_PLUGIN_ROOT}` ("" for the repository's top). */
  plugin?: string;
}

/** The hooks a `hooks` value declares, or what is wrong with it. */
export function hooksOf(v: unknown, roots: HookRoots, field = "hooks"): Hook[] | string {
  if (v === undefined || v === null) return [];
  if (!isMap(v)) return `\`${field}\` must be an object of hook events`;
  const out: Hook[] = [];
  for (const [event, list] of Object.entries(v)) {
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) return `\`${field}.${event}\` must be a list`;
    for (const group of list) {
      if (!isMap(group)) return `\`${field}.${event}\` holds an entry that is not an object`;
      const m = group.matcher;
      if (m !== undefined && m !== null && typeof m !== "string")
        return `\`${field}.${event}\`: a matcher must be a string`;
      const matcher = typeof m === "string" ? m : "";
      const hooks = group.hooks;
      if (!Array.isArray(hooks)) return `\`${field}.${event}\`: each entry needs a list of \`hooks\``;
      for (const h of hooks) {
        const hook = hookOf(h, event, matcher, roots);
        if (typeof hook === "string") return `\`${field}.${event}\`: ${hook}`;
        out.push(hook);
      }
    }
  }
  return out;
}

function hookOf(h: unknown, event: string, matcher: string, roots: HookRoots): Hook | string {
  if (!isMap(h)) return "a hook that is not an object";
  const text = (k: string) => (typeof h[k] === "string" ? (h[k] as string) : null);
  const type = text("type") ?? "command";
  const command = text("command");
  const args = Array.isArray(h.args) ? h.args.filter((a): a is string => typeof a === "string") : [];
  const runs =
    type === "command"
      ? [command ?? "", ...args].join(" ").trim()
      : type === "http"
        ? `POST ${text("url") ?? "?"}`
        : type === "mcp_tool"
          ? `MCP tool ${text("server") ?? "?"}/${text("tool") ?? "?"}`
          : `${type}: ${text("prompt") ?? "?"}`;
  if (type === "command" && !command) return "a command hook with no `command`";
  const when = text("if");
  return {
    event,
    matcher,
    runs,
    ...(when ? { when } : {}),
    where: roots.where,
    scripts: type === "command" ? scriptsOf(runs, claudeFolders(roots.plugin)) : [],
  };
}

/** The folders a Claude Code command's variables name: the project's top, and a plugin's folder. */
export function claudeFolders(plugin?: string): Record<string, string> {
  return { CLAUDE_PROJECT_DIR: "", ...(plugin !== undefined ? { CLAUDE_PLUGIN_ROOT: plugin } : {}) };
}

/** The hooks among them that may approve a tool call: their event and matcher. */
export function approving(hooks: readonly Hook[]): { event: string; matcher: string }[] {
  return hooks.filter((h) => APPROVING_EVENTS.has(h.event)).map((h) => ({ event: h.event, matcher: h.matcher }));
}
