import { builtinTool } from "./builtins.js";

/** Claude Code's permission settings, as a project's `.claude/settings.json` writes them. */
export interface ClaudePermissions {
  /** Where they were read from, for explanations. */
  source: string;
  allow: string[];
  ask: string[];
  deny: string[];
  defaultMode: string | null;
}

export const NO_PERMISSIONS: ClaudePermissions = { source: "", allow: [], ask: [], deny: [], defaultMode: null };

/** A tool as Claude Code's rules name it: a built-in, or an MCP server's tool (`mcp__server__tool`). */
export type ClaudeTool = { builtin: string } | { server: string; tool: string | null };

/** What Claude Code does when the tool is called. */
export type Permission = { available: false; why: string } | { available: true; asked: boolean; why: string };

/** A rule: `Tool`, `Tool(specifier)`, `mcp__server`, `mcp__server__tool`, `mcp__server__*`. */
interface Rule {
  text: string;
  tool: ClaudeTool;
  /** Covers everything the tool does (no specifier, or one that matches anything). */
  whole: boolean;
}

/** Specifiers that match every use of a tool. */
const EVERYTHING = new Set(["*", "**", ":*", "*:*", "/**", "./**", "//**", "~/**"]);

/** Modes whose meaning is documented; any other is taken as the worst case. */
const MODES = new Set(["default", "acceptEdits", "plan", "bypassPermissions", "dontAsk"]);

export function parseRule(text: string): Rule {
  const t = text.trim();
  if (t.startsWith("mcp__")) {
    const rest = t.slice("mcp__".length);
    const sep = rest.indexOf("__");
    if (sep < 0) return { text, tool: { server: rest, tool: null }, whole: true };
    const tool = rest.slice(sep + 2);
    return { text, tool: { server: rest.slice(0, sep), tool: tool === "*" ? null : tool }, whole: true };
  }
  const open = t.indexOf("(");
  // A rule that cannot be read as written is taken as covering its whole tool: the worst case.
  if (open < 0 || !t.endsWith(")")) return { text, tool: { builtin: open < 0 ? t : t.slice(0, open) }, whole: true };
  const spec = t.slice(open + 1, -1).trim();
  return { text, tool: { builtin: t.slice(0, open) }, whole: spec === "" || EVERYTHING.has(spec) };
}

function covers(rule: Rule, tool: ClaudeTool): boolean {
  if ("builtin" in rule.tool) return "builtin" in tool && rule.tool.builtin === tool.builtin;
  if (!("server" in tool) || rule.tool.server !== tool.server) return false;
  return rule.tool.tool === null || rule.tool.tool === tool.tool;
}

const quote = (rule: Rule, list: string, source: string) => `${source}: \`${rule.text}\` in permissions.${list}`;

/**
 * Whether Claude Code offers a tool, and asks before each call: deny rules first, then the
 * permission mode, then ask rules, then allow rules (Claude Code's order). An allow rule scoped to
 * one command (`Bash(npm test)`) pre-confirms that command only: the tool still asks for the rest.
 * `mode` is the subagent's `permissionMode`, else the settings' `defaultMode`.
 */
export function permissionOf(
  tool: ClaudeTool,
  writes: boolean,
  perms: ClaudePermissions,
  mode: string | null,
): Permission {
  const src = perms.source || "the settings";
  const rules = (list: string[]) => list.map(parseRule);
  const denied = rules(perms.deny).find((r) => r.whole && covers(r, tool));
  if (denied) return { available: false, why: quote(denied, "deny", src) };
  // Reading changes nothing: whatever the mode asks, a read-only tool cannot raise a tier.
  if (!writes) return { available: true, asked: true, why: "read-only" };
  const m = mode ?? perms.defaultMode ?? "default";
  if (!MODES.has(m))
    return {
      available: true,
      asked: false,
      why: `permission mode ${m} is not one capgate knows, so the worst case: nothing is asked`,
    };
  if (m === "bypassPermissions")
    return { available: true, asked: false, why: "permission mode bypassPermissions asks nothing" };
  if (m === "plan") return { available: false, why: "permission mode plan is read-only" };
  const asked = rules(perms.ask).find((r) => r.whole && covers(r, tool));
  if (asked) return { available: true, asked: true, why: quote(asked, "ask", src) };
  const allowed = rules(perms.allow).find((r) => r.whole && covers(r, tool));
  if (allowed) return { available: true, asked: false, why: quote(allowed, "allow", src) };
  if (m === "dontAsk") return { available: false, why: "permission mode dontAsk refuses what no allow rule covers" };
  if (m === "acceptEdits" && "builtin" in tool && builtinTool("claude-code", tool.builtin)?.kind === "edit")
    return { available: true, asked: false, why: "permission mode acceptEdits accepts file edits without asking" };
  return { available: true, asked: true, why: "Claude Code asks before each call" };
}

/** The allow rules scoped to one command or path: each pre-confirms only what it names. */
export function scopedAllows(perms: ClaudePermissions): string[] {
  return perms.allow.filter((r) => !parseRule(r).whole);
}
