import { posix } from "node:path";
import type { AgentManifest, Hook, RuntimeAgent } from "../artifact/types.js";
import { isMap } from "../artifact/prompt.js";
import { splitToolList } from "../artifact/skill.js";
import { versionField } from "../artifact/version.js";
import { parseData, splitFrontmatter } from "../parse/document.js";

/**
 * What the runtime modules share to read an agent a runtime's own file declares. What a file
 * declares that cannot be read is not an error to the runtimes — Claude Code loads a subagent
 * whose frontmatter is not YAML with every tool — so it is read as the worst case: every tool,
 * asked for nothing.
 */

export type Meta = { ok: true; meta: Record<string, unknown>; body: string } | { ok: false; why: string };

/** A Markdown file's YAML frontmatter, as a mapping, or why it cannot be read. */
export function frontmatterOf(path: string, text: string): Meta {
  const fm = splitFrontmatter(text);
  if (fm.unclosed) return { ok: false, why: "its frontmatter is never closed (---)" };
  if (fm.yaml === null) return { ok: false, why: "it has no frontmatter" };
  const data = parseData(path, fm.yaml, fm.yamlLine);
  if (!data.ok) {
    const at = data.error.line ? ` (line ${data.error.line})` : "";
    return { ok: false, why: `its frontmatter is not valid YAML${at}: ${data.error.reason}` };
  }
  if (!isMap(data.value)) return { ok: false, why: "its frontmatter is not a mapping" };
  return { ok: true, meta: data.value, body: fm.body };
}

/** A tool list written as a comma- or space-separated string or a YAML list; undefined when absent. */
export function toolList(v: unknown, field: string): string[] | undefined | { bad: string } {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return splitToolList(v);
  // A list's items are names as written; only a string is a list to split.
  if (Array.isArray(v) && v.every((t) => typeof t === "string")) return v.map((t) => t.trim()).filter(Boolean);
  return { bad: `\`${field}\` is neither a list of tool names nor a string of them` };
}

/** The strings of a list as a config writes it; anything else holds none. */
export const stringsOf = (x: unknown): string[] =>
  Array.isArray(x) ? x.filter((t): t is string => typeof t === "string") : [];

/** The name a declaration gives, else the file's stem. */
export const nameOf = (meta: Record<string, unknown>, path: string) =>
  typeof meta.name === "string" && meta.name.trim() ? meta.name.trim() : stemOf(path);

export const stemOf = (path: string) => posix.basename(path).replace(/\..*$/, "");

/** The version a declaration carries (`metadata.version`, else `version`). */
export function versionOf(meta: Record<string, unknown>): string | undefined {
  return versionField(isMap(meta.metadata) ? meta.metadata.version : undefined) ?? versionField(meta.version);
}

export function manifest(name: string, runtime: RuntimeAgent, extra: Partial<AgentManifest> = {}): AgentManifest {
  return { name, tools: [], skills: [], servers: [], maxSteps: null, confirm: [], runtime, ...extra };
}

/** What an agent with an unreadable declaration gets: every tool, in an unlimited loop. */
export function worstCase(
  kind: RuntimeAgent["kind"],
  what: string,
  path: string,
  why: string,
  name = stemOf(path),
): AgentManifest {
  return manifest(name, {
    kind,
    what,
    toolNames: null,
    removed: [],
    permissionMode: null,
    inlineServers: [],
    allServers: true,
    loop: "an unlimited loop",
    unreadable: why,
  });
}

/**
 * Hooks written as `{ <event>: [{ matcher?, hooks: [{ command }] }] }` (Codex, Gemini CLI), or, where
 * `flat`, an event's entries may be the hooks themselves (`{ <event>: [{ matcher?, command }] }`,
 * Codex and Kiro): each command that runs on the event, as written. What is not such an entry runs nothing.
 */
export function commandHooks(path: string, hooks: unknown, flat: boolean): Hook[] {
  const out: Hook[] = [];
  if (!isMap(hooks)) return out;
  for (const [event, groups] of Object.entries(hooks))
    for (const g of Array.isArray(groups) ? groups : []) {
      if (!isMap(g)) continue;
      const matcher = typeof g.matcher === "string" ? g.matcher : "";
      for (const h of Array.isArray(g.hooks) ? g.hooks : flat ? [g] : [])
        if (isMap(h) && typeof h.command === "string")
          out.push({ event, matcher, runs: h.command, where: path, scripts: [] });
    }
  return out;
}
