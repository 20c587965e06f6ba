import { parseData, splitFrontmatter } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { isMap } from "./prompt.js";
import type { SkillDoc } from "./types.js";
import { versionField } from "./version.js";

/** Reads a SKILL.md: YAML frontmatter with `name` and `description` (Agent Skills spec). */
export function parseSkill(path: string, text: string): Parsed<SkillDoc> {
  const fm = splitFrontmatter(text);
  if (fm.unclosed) return fail(path, "frontmatter opened with --- is never closed", 1);
  if (fm.yaml === null)
    return fail(path, "SKILL.md must start with YAML frontmatter (---) holding name and description", 1);
  const data = parseData(path, fm.yaml, fm.yamlLine);
  if (!data.ok) return data;
  const meta = data.value;
  if (!isMap(meta)) return fail(path, "frontmatter must be a YAML mapping", fm.yamlLine + 1);
  if (typeof meta.name !== "string" || meta.name.trim() === "")
    return fail(path, "frontmatter needs a non-empty `name`");
  if (typeof meta.description !== "string" || meta.description.trim() === "") {
    return fail(path, "frontmatter needs a non-empty `description`");
  }
  const allowedTools = allowedToolsOf(meta);
  if (typeof allowedTools === "string") return fail(path, allowedTools);
  const doc: SkillDoc = { name: meta.name, allowedTools };
  if (meta.metadata !== undefined && !isMap(meta.metadata)) return fail(path, "`metadata` must be a mapping");
  const version = versionField(isMap(meta.metadata) ? meta.metadata.version : undefined) ?? versionField(meta.version);
  if (version !== undefined) doc.version = version;
  return ok(doc);
}

/** A frontmatter's `allowed-tools` (null when absent), or what is wrong with it. */
function allowedToolsOf(meta: Record<string, unknown>): string[] | null | string {
  const raw = meta["allowed-tools"];
  if (raw === undefined || raw === null) return null;
  if (typeof raw === "string") return splitToolList(raw);
  // A list's items are names as written (`Azure MCP/documentation` is one tool).
  if (Array.isArray(raw) && raw.every((t) => typeof t === "string")) return raw.map((t) => t.trim()).filter(Boolean);
  return "`allowed-tools` must be a space-separated string or a list of tool names";
}

/**
 * Splits an `allowed-tools` value on spaces and commas, keeping a parenthesised specifier such
 * as `Bash(git add:*)` whole.
 */
export function splitToolList(value: string): string[] {
  const out: string[] = [];
  let current = "";
  let depth = 0;
  for (const ch of value) {
    if (ch === "(") depth++;
    if (ch === ")") depth = Math.max(0, depth - 1);
    if (depth === 0 && (ch === "," || /\s/.test(ch))) {
      if (current) out.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  if (current) out.push(current);
  return out;
}
