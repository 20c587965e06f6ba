import { parseDocument, isScalar, isPair, visit, LineCounter } from "yaml";
import type { ZodType } from "zod";
import { fail, ok, type Parsed } from "./result.js";

/** Keys that could reach an object's prototype in code that merges parsed data. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Aliases allowed in one document; a billion-laughs document needs far more. */
const MAX_ALIASES = 50;
/** Nesting allowed in one document; deeper input is hostile, not configuration. */
const MAX_DEPTH = 64;

/**
 * Parses YAML or JSON (JSON is read by the same YAML 1.2 parser so that duplicate keys,
 * which JSON.parse silently collapses, are an error in both).
 */
export function parseData(path: string, text: string, lineOffset = 0): Parsed<unknown> {
  const fast = parseJsonFast(text);
  if (fast !== undefined) return ok(fast.value);
  const lineCounter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: true,
      merge: false,
      prettyErrors: false,
      strict: true,
      schema: "core",
    });
  } catch (e) {
    return fail(path, `cannot be parsed: ${messageOf(e)}`);
  }
  const first = doc.errors[0];
  if (first) {
    const line = first.pos ? lineCounter.linePos(first.pos[0]).line + lineOffset : undefined;
    return fail(path, `malformed: ${firstLine(first.message)}`, line);
  }
  let problem: { reason: string; line?: number } | undefined;
  visit(doc, (_key, node, ancestry) => {
    if (ancestry.length > MAX_DEPTH * 2) {
      problem = { reason: `nested more than ${MAX_DEPTH} levels deep` };
      return visit.BREAK;
    }
    if (isPair(node) && isScalar(node.key) && FORBIDDEN_KEYS.has(String(node.key.value))) {
      const range = node.key.range;
      problem = { reason: `forbidden key "${String(node.key.value)}"` };
      if (range) problem.line = lineCounter.linePos(range[0]).line + lineOffset;
      return visit.BREAK;
    }
    return undefined;
  });
  if (problem) return fail(path, problem.reason, problem.line);
  try {
    return ok(doc.toJS({ maxAliasCount: MAX_ALIASES }));
  } catch (e) {
    const msg = messageOf(e);
    if (/alias/i.test(msg)) return fail(path, `too many YAML aliases (limit ${MAX_ALIASES}): ${msg}`);
    return fail(path, `cannot be read: ${msg}`);
  }
}

/**
 * JSON.parse is many times faster than the YAML parser, but keeps the last of duplicate keys. A
 * document is taken from it only when it is an object or array whose key count matches the keys
 * written in the text (so no key was repeated), holds no forbidden key and is not too deep;
 * anything else goes through the YAML parser, which reports the problem with its line.
 */
function parseJsonFast(text: string): { value: unknown } | undefined {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  let written = 0;
  // JSON.parse accepted the text, so every string token is whole; a key is a string before ':'.
  for (const m of text.matchAll(/"(?:[^"\\]|\\.)*"\s*(:)?/g)) if (m[1]) written++;
  let parsed = 0;
  let clean = true;
  const walk = (v: unknown, depth: number): void => {
    if (!clean || v === null || typeof v !== "object") return;
    if (depth > MAX_DEPTH) {
      clean = false;
      return;
    }
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const k of Object.keys(v)) {
      parsed++;
      if (FORBIDDEN_KEYS.has(k)) {
        clean = false;
        return;
      }
      walk((v as Record<string, unknown>)[k], depth + 1);
    }
  };
  walk(value, 0);
  return clean && parsed === written ? { value } : undefined;
}

/** Parses then validates against a zod schema; schema issues name the field path. */
export function parseWith<T>(path: string, text: string, schema: ZodType<T>, what: string, lineOffset = 0): Parsed<T> {
  const data = parseData(path, text, lineOffset);
  if (!data.ok) return data;
  return validate(path, data.value, schema, what);
}

export function validate<T>(path: string, data: unknown, schema: ZodType<T>, what: string): Parsed<T> {
  const result = schema.safeParse(data);
  if (result.success) return ok(result.data);
  return fail(path, `not a valid ${what}: ${formatIssues(result.error.issues)}`);
}

export function formatIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[],
): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
      if (issue.code === "unrecognized_keys" && issue.keys) {
        return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
      }
      return `${where}: ${issue.message}`;
    })
    .join("; ");
}

export interface Frontmatter {
  /** The frontmatter's raw YAML, or null when the file has none. */
  yaml: string | null;
  /** An opening fence with no closing one. */
  unclosed: boolean;
  /** 0-based line on which the YAML starts, for error positions. */
  yamlLine: number;
  body: string;
}

/**
 * Splits `---`-delimited YAML frontmatter from a Markdown-like body. Leading `#` comment lines
 * and blank lines are allowed before the opening fence (dotprompt files carry licence headers).
 */
export function splitFrontmatter(text: string, allowLeadingComments = false): Frontmatter {
  const lines = text.split(/\r?\n/);
  let start = 0;
  if (allowLeadingComments) {
    while (start < lines.length && (/^\s*$/.test(lines[start]!) || /^#/.test(lines[start]!))) start++;
    if (lines[start] !== "---") start = 0;
  }
  if (lines[start]?.trimEnd() !== "---") return { yaml: null, unclosed: false, yamlLine: 0, body: text };
  for (let i = start + 1; i < lines.length; i++) {
    const l = lines[i]!.trimEnd();
    if (l === "---" || l === "...") {
      return {
        yaml: lines.slice(start + 1, i).join("\n"),
        unclosed: false,
        yamlLine: start + 1,
        body: lines.slice(i + 1).join("\n"),
      };
    }
  }
  return { yaml: null, unclosed: true, yamlLine: 0, body: text };
}

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return "unknown error";
  }
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}
