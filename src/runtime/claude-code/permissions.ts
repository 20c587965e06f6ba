import { CLAUDE_CODE } from "./tools.js";
import type { Permission, ToolRef } from "../types.js";

/** Claude Code's permission settings, as a project's `.claude/settings.json` writes them. */
export interface ClaudePermissions {
  /** Where they were read from, for explanations. */
  source: string;
  allow: string[];
  ask: string[];
  deny: string[];
  defaultMode: string | null;
  /** Hooks that may approve a call without asking: their event and matcher, and where they are when not in `source`. */
  approvingHooks: { event: string; matcher: string; where?: string }[];
}

export const NO_PERMISSIONS: ClaudePermissions = {
  source: "",
  allow: [],
  ask: [],
  deny: [],
  defaultMode: null,
  approvingHooks: [],
};

/**
 * Whether a hook's matcher may match a tool. Matchers are regular expressions capgate does not
 * run: a matcher that is not a plain name or a `|` list of names may match anything.
 */
function hookMatches(matcher: string, tool: ClaudeTool): boolean {
  const m = matcher.trim();
  if (m === "" || m === "*" || !/^[A-Za-z0-9_-]+(\|[A-Za-z0-9_-]+)*$/.test(m)) return true;
  const name = "builtin" in tool ? tool.builtin : `mcp__${tool.server}__${tool.tool ?? ""}`;
  return m
    .split("|")
    .some((n) => n === name || ("server" in tool && tool.tool === null && n.startsWith(`mcp__${tool.server}__`)));
}

/** A tool as Claude Code's rules name it: a built-in, or an MCP server's tool (`mcp__server__tool`). */
export type ClaudeTool = ToolRef;

/** A rule: `Tool`, `Tool(specifier)`, `mcp__server`, `mcp__server__tool`, `mcp__server__*`. */
interface Rule {
  text: string;
  tool: ClaudeTool;
  /** Covers everything the tool does (no specifier, or one known to match anything). */
  whole: boolean;
  /**
   * May cover everything: a specifier made only of wildcards and the characters around them
   * (`**\/.*`, `./*`). An allow rule is read by this, a deny or ask rule by `whole`: each its
   * worst case.
   */
  broad: boolean;
  /**
   * Read as written. A rule that is not (unbalanced, a wildcard where a server's name goes) is
   * read as the worst case of its list: an allow rule covering the whole tool, and a deny or ask
   * rule covering nothing.
   */
  certain: boolean;
}

/** Modes whose meaning is documented; any other is taken as the worst case. */
const MODES = new Set(["default", "acceptEdits", "plan", "bypassPermissions", "dontAsk"]);

/** Specifiers that match every use of a tool. */
const EVERYTHING = new Set(["", "*", "**", ":*", "*:*", "/**", "./**", "//**", "**/*", "/**/*", "//**/*", "domain:*"]);

/**
 * Whether a specifier may match every use of its tool: made only of wildcards and the characters
 * around them in paths, commands and domains (`**\/*`, `~/**`, `domain:*`, but also `./*`).
 */
function mayMatchEverything(spec: string): boolean {
  const s = spec.trim().replace(/^domain:/, "");
  return s === "" || (s.includes("*") && /^[*/.~:\s]+$/.test(s));
}

export function parseRule(text: string): Rule {
  const t = text.trim();
  if (t.startsWith("mcp__")) {
    const rest = t.slice("mcp__".length);
    const sep = rest.indexOf("__");
    const server = sep < 0 ? rest : rest.slice(0, sep);
    const tool = sep < 0 ? null : rest.slice(sep + 2);
    return {
      text,
      tool: { server, tool: tool === null || tool === "*" ? null : tool },
      whole: true,
      broad: true,
      certain: !/[*?]/.test(server) && server !== "",
    };
  }
  const open = t.indexOf("(");
  if (open < 0) return { text, tool: { builtin: t }, whole: true, broad: true, certain: true };
  const builtin = { builtin: t.slice(0, open) };
  if (!t.endsWith(")")) return { text, tool: builtin, whole: true, broad: true, certain: false };
  const spec = t.slice(open + 1, -1).trim();
  return { text, tool: builtin, whole: EVERYTHING.has(spec), broad: mayMatchEverything(spec), certain: true };
}

/**
 * Whether a rule covers the whole of a tool; an uncertain rule, as its list's worst case. Claude
 * Code applies an `Edit` rule to every built-in tool that edits files: an allow rule is read so,
 * a deny rule by its own name only.
 */
function covers(rule: Rule, tool: ClaudeTool, uncertain: "covers" | "misses"): boolean {
  const sameBuiltin = (name: string) =>
    "builtin" in tool &&
    (name === tool.builtin ||
      (uncertain === "covers" && name === "Edit" && CLAUDE_CODE.builtin(tool.builtin)?.kind === "edit"));
  if (!rule.certain) {
    if (uncertain === "misses") return false;
    if ("server" in rule.tool) return "server" in tool;
    return sameBuiltin(rule.tool.builtin);
  }
  if (!(uncertain === "covers" ? rule.broad : rule.whole)) return false;
  if ("builtin" in rule.tool) return sameBuiltin(rule.tool.builtin);
  if (!("server" in tool) || rule.tool.server !== tool.server) return false;
  return rule.tool.tool === null || rule.tool.tool === tool.tool;
}

/** A tool as a rule would name it: `mcp__server__tool` an MCP server's, anything else a built-in. */
function claudeToolOf(name: string): ClaudeTool {
  if (name.startsWith("mcp__")) return parseRule(name).tool;
  const open = name.indexOf("(");
  return { builtin: open > 0 ? name.slice(0, open) : name };
}

/**
 * Whether rules that take tools away (`permissions.deny`, a subagent's `disallowedTools`) take
 * away the tool a name names: only a rule that covers it whole and is read as written does.
 */
export function takesAway(rules: readonly string[], name: string): boolean {
  const tool = claudeToolOf(name);
  return rules.some((r) => covers(parseRule(r), tool, "misses"));
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
  const denied = rules(perms.deny).find((r) => covers(r, tool, "misses"));
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
  // A hook's command may answer "allow" before anyone is asked: the worst case.
  const hook = perms.approvingHooks.find((h) => hookMatches(h.matcher, tool));
  if (hook)
    return {
      available: true,
      asked: false,
      why: `${hook.where ?? src}: a ${hook.event} hook${hook.matcher.trim() ? ` (matcher \`${hook.matcher.trim()}\`)` : " for every tool"} may approve it without asking`,
    };
  const asked = rules(perms.ask).find((r) => covers(r, tool, "misses"));
  if (asked) return { available: true, asked: true, why: quote(asked, "ask", src) };
  const allowed = rules(perms.allow).find((r) => covers(r, tool, "covers"));
  if (allowed) return { available: true, asked: false, why: quote(allowed, "allow", src) };
  if (m === "dontAsk") return { available: false, why: "permission mode dontAsk refuses what no allow rule covers" };
  if (m === "acceptEdits" && "builtin" in tool && CLAUDE_CODE.builtin(tool.builtin)?.kind === "edit")
    return { available: true, asked: false, why: "permission mode acceptEdits accepts file edits without asking" };
  return { available: true, asked: true, why: "Claude Code asks before each call" };
}

/** The allow rules scoped to one command or path: each pre-confirms only what it names. */
export function scopedAllows(perms: ClaudePermissions): string[] {
  return perms.allow.filter((r) => {
    const rule = parseRule(r);
    return rule.certain && !rule.broad;
  });
}
