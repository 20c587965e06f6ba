import type { Permission, ToolRef } from "../types.js";
import { commandPattern, dangerous } from "../commands.js";
import { MODES } from "./settings-keys.js";
import { CLAUDE_CODE } from "./tools.js";

/**
 * Claude Code's permission model, as its published package (2.1.332) reads rules and decides
 * (decision 20): deny rules first, then the permission mode, then a hook that may approve, then
 * ask rules, then allow rules.
 */

/** Claude Code's permission settings, as a project's settings write them. */
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

/** A tool as Claude Code's rules name it: a built-in, or an MCP server's tool (`mcp__server__tool`). */
export type ClaudeTool = ToolRef;

/** The names Claude Code takes for others (its older names of the same tools). */
const ALIASES: Record<string, string> = {
  Task: "Agent",
  KillShell: "TaskStop",
  KillBash: "TaskStop",
  ListMcpResources: "ListMcpResourcesTool",
};
const canonical = (name: string) => (Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name);

/**
 * Whether a hook's matcher may match a tool. Empty or `*` matches every tool; letters, digits,
 * `_` and `|` (for tool events `,`, `-` and spaces too) are a list of exact names; anything else is
 * a regular expression capgate does not run (a pull request writes it), so it may match anything.
 */
function hookMatches(matcher: string, tool: ClaudeTool): boolean {
  const m = matcher.trim();
  if (m === "" || m === "*" || !/^[A-Za-z0-9_|, -]+$/.test(m)) return true;
  const name = "builtin" in tool ? canonical(tool.builtin) : `mcp__${tool.server}__${tool.tool ?? ""}`;
  return m
    .split(/[|,]/)
    .map((n) => n.trim())
    .some(
      (n) => canonical(n) === name || ("server" in tool && tool.tool === null && n.startsWith(`mcp__${tool.server}__`)),
    );
}

/** A rule as Claude Code reads it: `Tool`, `Tool(content)`, `mcp__server`, `mcp__server__tool`, `mcp__server__*`. */
export interface Rule {
  text: string;
  tool: ClaudeTool;
  /** Covers everything the tool does: no content, or `()` or `(*)`. */
  whole: boolean;
  /**
   * May cover everything: content made only of wildcards and the characters around them
   * (`**\/*`, `./*`, `* *`). An allow rule is read by this, a deny or ask rule by `whole`: each
   * list's worst case.
   */
  broad: boolean;
  /** The content, for a rule that has one. */
  content: string | null;
}

/** Content that matches every use of a tool: a deny rule with it takes the whole tool away. */
const EVERYTHING = new Set(["**", ":*", "*:*", "/**", "./**", "//**", "**/*", "/**/*", "//**/*", "domain:*"]);

/**
 * Whether content may match every use of its tool: made only of wildcards and the characters
 * around them in paths, commands and domains (`**\/*`, `~/**`, `domain:*`, but also `./*`).
 */
function mayMatchEverything(spec: string): boolean {
  const s = spec.trim().replace(/^domain:/, "");
  return s === "" || (s.includes("*") && /^[*/.~:\s]+$/.test(s));
}

/**
 * A rule, or null when Claude Code drops it as malformed: content runs from the first `(` to the
 * last `)`, which must end the rule, and the tool's name holds no parenthesis.
 */
export function parseRule(text: string): Rule | null {
  const t = text.trim();
  if (t === "") return null;
  if (t.startsWith("mcp__") && !t.includes("(")) {
    const rest = t.slice("mcp__".length);
    const sep = rest.indexOf("__");
    const server = sep < 0 ? rest : rest.slice(0, sep);
    const tool = sep < 0 ? null : rest.slice(sep + 2);
    if (server === "") return null;
    return {
      text,
      tool: { server, tool: tool === null || tool === "*" || tool === "" ? null : tool },
      whole: true,
      broad: true,
      content: null,
    };
  }
  const open = t.indexOf("(");
  const close = t.lastIndexOf(")");
  if (open < 0 && close < 0) return { text, tool: { builtin: canonical(t) }, whole: true, broad: true, content: null };
  if (open <= 0 || close !== t.length - 1 || close < open) return null;
  const name = t.slice(0, open);
  if (/[()]/.test(name)) return null;
  const content = t.slice(open + 1, -1);
  // `Bash()` and `Bash(*)` are `Bash`; content that matches every use is as good as none.
  const bare = content === "" || content === "*";
  const whole = bare || EVERYTHING.has(content.trim());
  return {
    text,
    tool: { builtin: canonical(name) },
    whole,
    broad: whole || mayMatchEverything(content),
    content: bare ? null : content,
  };
}

const rulesOf = (list: readonly string[]) => list.map(parseRule).filter((r): r is Rule => r !== null);

/**
 * Whether a rule covers the whole of a tool. Claude Code applies an `Edit` rule to every built-in
 * tool that edits files: an allow rule is read so, a deny rule by its own name only. `mcp__*`
 * stands for every server.
 */
function covers(rule: Rule, tool: ClaudeTool, list: "allow" | "deny"): boolean {
  if (!(list === "allow" ? rule.broad : rule.whole)) return false;
  if ("builtin" in rule.tool) {
    if (!("builtin" in tool)) return false;
    const name = canonical(tool.builtin);
    return (
      rule.tool.builtin === name ||
      (list === "allow" && rule.tool.builtin === "Edit" && CLAUDE_CODE.builtin(tool.builtin)?.kind === "edit")
    );
  }
  if (!("server" in tool)) return false;
  if (rule.tool.server !== "*" && rule.tool.server !== tool.server) return false;
  return rule.tool.tool === null || rule.tool.tool === tool.tool;
}

/** A tool as a rule would name it: `mcp__server__tool` an MCP server's, anything else a built-in. */
function claudeToolOf(name: string): ClaudeTool {
  if (name.startsWith("mcp__")) return parseRule(name)?.tool ?? { server: "", tool: null };
  const open = name.indexOf("(");
  return { builtin: canonical(open > 0 ? name.slice(0, open) : name) };
}

/** Whether `permissions.deny` takes away the tool a name names: only a rule that covers it whole does. */
export function takesAway(rules: readonly string[], name: string): boolean {
  const tool = claudeToolOf(name);
  return rulesOf(rules).some((r) => covers(r, tool, "deny"));
}

/**
 * Whether a subagent's `disallowedTools` takes away the tool a name names. Any entry naming the
 * tool takes all of it (`Bash(rm:*)` takes Bash); `mcp__server`, `mcp__server__*` a server, and
 * `mcp__*` every server.
 */
export function disallows(entries: readonly string[], name: string): boolean {
  const tool = claudeToolOf(name);
  return entries.some((e) => {
    const r = parseRule(e);
    if (!r) return false;
    if ("builtin" in r.tool) return "builtin" in tool && r.tool.builtin === canonical(tool.builtin);
    if (!("server" in tool)) return false;
    return (
      (r.tool.server === "*" || r.tool.server === tool.server) && (r.tool.tool === null || r.tool.tool === tool.tool)
    );
  });
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
  const denied = rulesOf(perms.deny).find((r) => covers(r, tool, "deny"));
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
  if (m === "auto")
    return {
      available: true,
      asked: false,
      why: "permission mode auto lets a classifier approve calls without asking",
    };
  if (m === "plan") return { available: false, why: "permission mode plan is read-only" };
  // A hook's command may answer "allow" before anyone is asked: the worst case.
  const hook = perms.approvingHooks.find((h) => hookMatches(h.matcher, tool));
  if (hook)
    return {
      available: true,
      asked: false,
      why: `${hook.where ?? src}: a ${hook.event} hook${hook.matcher.trim() && hook.matcher.trim() !== "*" ? ` (matcher \`${hook.matcher.trim()}\`)` : " for every tool"} may approve it without asking`,
    };
  const asked = rulesOf(perms.ask).find((r) => covers(r, tool, "deny"));
  if (asked) return { available: true, asked: true, why: quote(asked, "ask", src) };
  const allowed = rulesOf(perms.allow).find((r) => covers(r, tool, "allow"));
  if (allowed) return { available: true, asked: false, why: quote(allowed, "allow", src) };
  if (m === "dontAsk") return { available: false, why: "permission mode dontAsk refuses what no allow rule covers" };
  if (m === "acceptEdits" && "builtin" in tool && CLAUDE_CODE.builtin(tool.builtin)?.kind === "edit")
    return { available: true, asked: false, why: "permission mode acceptEdits accepts file edits without asking" };
  return { available: true, asked: true, why: "Claude Code asks before each call" };
}

/** The allow rules scoped to one command or path: each pre-confirms only what it names. */
export function scopedAllows(perms: Pick<ClaudePermissions, "allow">): Rule[] {
  return rulesOf(perms.allow).filter((r) => !r.broad && r.content !== null);
}

/**
 * What a scoped Bash rule pre-approves that deletes, publishes, pushes, sends, escalates
 * privileges or runs any code (the table in `commands.ts`), or null.
 */
export function dangerousRule(rule: Rule): { command: string; does: string } | null {
  if (!("builtin" in rule.tool) || rule.tool.builtin !== "Bash" || rule.content === null) return null;
  return dangerous(commandPattern(rule.content));
}
