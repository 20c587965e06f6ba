import type { ResolvedConfig } from "../config/resolve.js";
import type { ToolDef } from "../artifact/types.js";

/**
 * What a runtime's built-in tool does:
 * - `read-only`: reads the workspace or the session, changes nothing;
 * - `session`: changes only the session's own state (a to-do list, a background shell it started);
 * - `agent`: starts another agent or skill, which is judged at its own path;
 * - `edit`: writes files (what Claude Code's `acceptEdits` mode lets through without asking);
 * - `writing`: runs commands, reaches the network, or anything else that can change the world.
 */
export type BuiltinKind = "read-only" | "session" | "agent" | "edit" | "writing";

/** A runtime's built-in tool: what kind it is, and what it does in the runtime's terms. */
export interface Builtin {
  kind: BuiltinKind;
  does: string;
}

/** One thing an agent (or artifact) can do, and whether it can change the world. */
export interface Capability {
  /** The tool name, as `confirm` names it. */
  name: string;
  /** Where it comes from, for explanations: a tool file, a skill folder, an MCP server. */
  source: string;
  writing: boolean;
  /** Why it counts as read-only or writing. */
  why: string;
  /** Whether a `confirm` entry can name it; unknown tools cannot be confirmed. */
  confirmable: boolean;
  /**
   * For an agent a runtime declares: whether the runtime asks a person before each call, and why
   * (its permission rules and mode); `confirm` lists do not apply.
   */
  confirmation?: { asked: boolean; why: string };
  /** An MCP tool's hints as they stand with the MCP defaults filled in (release notes show them). */
  hints?: { readOnly: boolean; destructive: boolean; openWorld: boolean };
}

/** A runtime's built-in tools, some under several names. */
export interface BuiltinTable {
  /** A tool by any of its names: its own entry, else the one its alias stands for. */
  builtin(name: string): Builtin | null;
  /** The name a tool goes by. */
  canonical(name: string): string;
  /** Every tool, once, by the name it goes by. */
  every(): string[];
  /** Every name a tool goes by (its own, then its aliases). */
  names(tool: string): string[];
}

/** The table of a runtime's built-in tools; `aliases` maps a name to the one it stands for. */
export function builtinTable(
  tools: Readonly<Record<string, Builtin>>,
  aliases: Readonly<Record<string, string>> = {},
): BuiltinTable {
  const canonical = (name: string) => (Object.hasOwn(aliases, name) ? aliases[name]! : name);
  return {
    builtin: (name) =>
      Object.hasOwn(tools, name)
        ? tools[name]!
        : Object.hasOwn(tools, canonical(name))
          ? tools[canonical(name)]!
          : null,
    canonical,
    every: () => Object.keys(tools).filter((n) => !Object.hasOwn(aliases, n)),
    names: (tool) => [tool, ...Object.keys(aliases).filter((a) => aliases[a] === tool)],
  };
}

/** The kinds of built-in tool that can change the world. */
export const WRITES: ReadonlySet<BuiltinKind> = new Set(["edit", "writing"]);

/** What a rule lets run without asking, as a change names it: `Bash(rm:*) (rm deletes files) in command x.md`. */
export interface PreApproval {
  /** The rule as written (`Bash(npm test)`). */
  rule: string;
  /** What it runs that counts, for a dangerous command (`rm deletes files`). */
  does?: string;
  /** Where it is written, when not in the settings (`command .claude/commands/x.md`). */
  in?: string;
}

export const preApprovalText = (p: PreApproval): string =>
  `${p.rule}${p.does ? ` (${p.does})` : ""}${p.in ? ` in ${p.in}` : ""}`;

/** The pre-approvals in words, the dangerous first, each once. */
export function preApprovalsInWords(list: readonly PreApproval[]): string[] {
  const sorted = [...list.filter((p) => p.does), ...list.filter((p) => !p.does)];
  return [...new Set(sorted.map(preApprovalText))];
}

export function toolCapability(tool: ToolDef, source: string, config: ResolvedConfig): Capability {
  let writing: boolean;
  let why: string;
  if (config.isClassifiedWriting(tool.name)) {
    writing = true;
    why = "classified writing by the config";
  } else if (tool.annotations.readOnlyHint === true) {
    writing = false;
    why = "readOnlyHint: true";
  } else if (config.isClassifiedReadOnly(tool.name)) {
    writing = false;
    why = "classified read-only by the config";
  } else {
    writing = true;
    why =
      tool.annotations.readOnlyHint === false ? "readOnlyHint: false" : "no readOnlyHint (MCP default: not read-only)";
  }
  const a = tool.annotations;
  const hints = {
    readOnly: a.readOnlyHint === true,
    destructive: a.readOnlyHint !== true && a.destructiveHint !== false,
    openWorld: a.openWorldHint !== false,
  };
  return { name: tool.name, source, writing, why, confirmable: true, hints };
}

/** The tool name a skill's `allowed-tools` entry grants, without its `(…)` specifier. */
export function baseToolName(entry: string): string {
  const i = entry.indexOf("(");
  return i > 0 ? entry.slice(0, i) : entry;
}

/** A capability that could not be read: the worst case, a writing tool nobody can confirm. */
export function unknownCapability(name: string, source: string, why: string): Capability {
  return { name, source, writing: true, why, confirmable: false };
}

export function isConfirmed(cap: Capability, confirm: readonly string[]): boolean {
  if (cap.confirmation) return cap.confirmation.asked;
  if (!cap.confirmable) return false;
  return confirm.includes(cap.name) || confirm.includes(baseToolName(cap.name));
}
