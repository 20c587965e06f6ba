import { isMap } from "../../artifact/prompt.js";
import { parseData } from "../../parse/document.js";

/**
 * A Markdown file's frontmatter read the way Claude Code reads its agents, commands and skills
 * (read from its published package, 2.1.332; decision 20):
 *
 * - the file may start with a byte-order mark; the opening `---` must then be its first bytes, and
 *   the frontmatter ends at the first `---` after it, wherever that is (even inside a line);
 * - the YAML is parsed as written; when that fails, it is parsed once more after a repair: each
 *   line `key: value` whose value is not quoted, not a list in brackets, and holds one of
 *   `{ } [ ] * & # ! | > % @` or a backquote, or `": "`, gets its value double-quoted, and tabs
 *   that indent a line become two spaces each — so `description: Use it when: the user asks`
 *   reads as the runtime reads it;
 * - a key written twice keeps its last value; a document that is not a mapping is read as none.
 *
 * The YAML reader is capgate's, not the runtime's: where the two could disagree — a frontmatter
 * that neither the text as written nor its repair parses — the caller takes the worst case.
 */
export type ClaudeFrontmatter =
  /** The file has no frontmatter: the whole of it is the body. */
  | { state: "none" }
  | { state: "read"; meta: Record<string, unknown>; repaired: boolean }
  | { state: "unreadable"; why: string };

/** The frontmatter block: from `---` at the start to the first `---` after it. */
const BLOCK = /^---\s*\n([\s\S]*?)---\s*\n?/;

export function claudeFrontmatter(path: string, text: string): ClaudeFrontmatter {
  const t = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const m = t.indexOf("---", 3) < 0 ? null : BLOCK.exec(t);
  if (!m) return { state: "none" };
  const yaml = m[1] ?? "";
  const asWritten = parseData(path, yaml, 1, { repeatedKeys: "last" });
  if (asWritten.ok) return { state: "read", meta: asMapping(asWritten.value), repaired: false };
  const repaired = parseData(path, repair(yaml), 1, { repeatedKeys: "last" });
  if (repaired.ok) return { state: "read", meta: asMapping(repaired.value), repaired: true };
  const at = asWritten.error.line ? ` (line ${asWritten.error.line})` : "";
  return { state: "unreadable", why: `its frontmatter is not valid YAML${at}: ${asWritten.error.reason}` };
}

const asMapping = (v: unknown): Record<string, unknown> => (isMap(v) ? v : {});

/** A character that makes a plain YAML value mean something else (or `": "`, a nested mapping). */
const SPECIAL = /[{}[\]*&#!|>%@`]|: /;

/** Claude Code's repair of a frontmatter that does not parse: quote the values YAML misreads. */
function repair(yaml: string): string {
  const lines = yaml.split("\n").map((line) => {
    const m = /^([a-zA-Z_-]+):\s+(\S.*)$/.exec(line);
    if (!m) return line;
    const [, key, value] = m as unknown as [string, string, string];
    const quoted = (value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"));
    if (quoted || isFlowList(value) || !SPECIAL.test(value)) return line;
    return `${key}: "${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  });
  return lines.join("\n").replace(/^\t+/gm, (tabs) => "  ".repeat(tabs.length));
}

/** A value in brackets that parses as a list is left as it is. */
function isFlowList(value: string): boolean {
  if (!value.startsWith("[") || !value.endsWith("]")) return false;
  const r = parseData("", value, 0, { repeatedKeys: "last" });
  return r.ok && Array.isArray(r.value);
}
