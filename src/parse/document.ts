import {
  parseDocument,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Document,
  type Pair,
} from "yaml";
import type { ZodType } from "zod";
import { messageOf } from "../common/errors.js";
import { fail, ok, type Parsed } from "./result.js";

/** Keys that could reach an object's prototype in code that merges parsed data. */
export const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** Aliases allowed in one document; a billion-laughs document needs far more. */
const MAX_ALIASES = 50;
/** Nesting allowed in one document; deeper input is hostile, not configuration. */
const MAX_DEPTH = 64;

/** Bracket nesting or indentation past which the YAML parser itself could run out of stack. */
const MAX_RAW_NESTING = 256;

/**
 * Parses YAML or JSON. JSON goes through JSON.parse when that is provably equivalent (see
 * `parseJsonFast`), else through the YAML 1.2 parser, so that duplicate keys — which JSON.parse
 * silently collapses — are an error in both.
 */
/** What JSON itself says is wrong with a text, without its position (the line is given apart). */
function jsonMessage(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    return firstLine(messageOf(e))
      .replace(/\s*\(line \d+ column \d+\)$/, "")
      .replace(/\s*(in JSON )?at position \d+$/, "");
  }
}

/** How a reader takes a key written twice in one mapping: an error (capgate's own files), or the last one (as a runtime's reader does). */
export interface DataOptions {
  repeatedKeys?: "error" | "last";
}

export function parseData(path: string, text: string, lineOffset = 0, opts: DataOptions = {}): Parsed<unknown> {
  const raw = rawNesting(text);
  if (raw) return fail(path, `nested too deeply (${raw}); deeper input is hostile, not configuration`);
  const lastWins = opts.repeatedKeys === "last";
  const fast = lastWins ? undefined : parseJsonFast(text);
  if (fast !== undefined) return ok(fast.value);
  const lineCounter = new LineCounter();
  let doc: Document.Parsed;
  try {
    // Duplicate keys are checked below in linear time; the parser's own check is quadratic.
    doc = parseDocument(text, {
      lineCounter,
      uniqueKeys: false,
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
    return fail(path, `malformed: ${(/\.json$/i.test(path) && jsonMessage(text)) || firstLine(first.message)}`, line);
  }
  const problem = keyProblem(
    doc,
    text,
    (range) => (range ? lineCounter.linePos(range[0]!).line + lineOffset : undefined),
    lastWins,
  );
  if (problem) return fail(path, problem.reason, problem.line);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const msg = messageOf(e);
    if (/alias/i.test(msg)) return fail(path, `too many YAML aliases (limit ${MAX_ALIASES}): ${msg}`);
    return fail(path, `cannot be read: ${msg}`);
  }
  const bad = checkValue(value);
  return bad ? fail(path, bad) : ok(value);
}

/**
 * The first key the document may not hold — repeated, a collection, or prototype-reaching — with
 * its line. On the way, a numeric `version:` takes back its text as written (`1.10` is a float
 * to YAML; a version is what was written). The nodes are taken in the order `visit` takes them: a
 * mapping's keys are checked for repeats before its pairs, each pair before its key and value.
 */
function keyProblem(
  doc: Document.Parsed,
  text: string,
  lineOf: (range: readonly number[] | null | undefined) => number | undefined,
  lastWins = false,
): KeyProblem | undefined {
  const walk = (node: unknown): KeyProblem | undefined => {
    if (isMap(node) && !lastWins) {
      const repeated = repeatedKey(node.items, lineOf);
      if (repeated) return repeated;
    }
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        const problem = walk(item);
        if (problem) return problem;
      }
      return undefined;
    }
    if (!isPair(node)) return undefined;
    return pairProblem(node, text, lineOf) ?? walk(node.key) ?? walk(node.value);
  };
  return walk(doc.contents);
}

type KeyProblem = { reason: string; line?: number | undefined };

function repeatedKey(
  pairs: readonly Pair<unknown, unknown>[],
  lineOf: (range: readonly number[] | null | undefined) => number | undefined,
): KeyProblem | undefined {
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (seen.has(key))
      return {
        reason: `duplicate key "${key}": keys must be unique`,
        line: lineOf(isScalar(pair.key) ? pair.key.range : undefined),
      };
    seen.add(key);
  }
  return undefined;
}

function pairProblem(
  pair: Pair<unknown, unknown>,
  text: string,
  lineOf: (range: readonly number[] | null | undefined) => number | undefined,
): KeyProblem | undefined {
  // A list or a mapping as a key has no meaning in any file capgate reads; the parser would
  // turn it into a string and warn on the log.
  if (isCollection(pair.key)) return { reason: "a key that is a list or a mapping", line: lineOf(pair.key.range) };
  if (!isScalar(pair.key)) return undefined;
  // A merge key is read as a key by YAML 1.2 and merged by YAML 1.1 readers (which runtimes
  // use for frontmatter): the same file would say two things.
  if (pair.key.value === "<<" && pair.key.type === "PLAIN")
    return {
      reason: "a YAML merge key (<<): readers disagree on what it means; write the keys out",
      line: lineOf(pair.key.range),
    };
  if (FORBIDDEN_KEYS.has(String(pair.key.value)))
    return { reason: `forbidden key "${String(pair.key.value)}"`, line: lineOf(pair.key.range) };
  if (pair.key.value === "version" && isScalar(pair.value) && typeof pair.value.value === "number") {
    const range = pair.value.range;
    const written = range ? text.slice(range[0], range[1]).trim() : "";
    if (written && written !== String(pair.value.value)) pair.value.value = written;
  }
  return undefined;
}

/**
 * Whatever spelled them (plain keys, quoted keys, aliases), the parsed value may hold no
 * prototype-reaching key and may not nest deeper than MAX_DEPTH. Shared (aliased) nodes are
 * checked once.
 */
export function checkValue(value: unknown): string | null {
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): string | null => {
    if (v === null || typeof v !== "object" || seen.has(v)) return null;
    if (depth > MAX_DEPTH) return `nested more than ${MAX_DEPTH} levels deep`;
    seen.add(v);
    if (Array.isArray(v)) {
      for (const x of v) {
        const r = walk(x, depth + 1);
        if (r) return r;
      }
      return null;
    }
    if (v instanceof Map) return "a mapping with non-string keys";
    for (const k of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(k)) return `forbidden key "${k}"`;
      const r = walk((v as Record<string, unknown>)[k], depth + 1);
      if (r) return r;
    }
    return null;
  };
  return walk(value, 0);
}

/**
 * A linear pre-scan for nesting deep enough to exhaust the parser's stack: brackets (counted
 * naively, so an overestimate) and, at the start of each line, indentation with the sequence
 * dashes, `?` and `:` indicators after it (`[ \t]*(?:[-?:][ \t]+)*`). A text that cannot hold
 * either is passed over; any other is walked once (`walkNesting`).
 */
export function rawNesting(text: string): string | null {
  return mayNestDeeply(text) ? walkNesting(text) : null;
}

/** What `rawNesting` answers, found by walking the text a character at a time. */
export function walkNesting(text: string): string | null {
  let depth = 0;
  let max = 0;
  /** The first line indented past the limit, by its indentation. */
  let deepLine = 0;
  for (let i = 0; i < text.length;) {
    // At a line's start: its indentation, then each indicator followed by blanks.
    const start = i;
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    for (;;) {
      const c = text.charCodeAt(i);
      if ((c !== 45 && c !== 63 && c !== 58) || !isBlank(text.charCodeAt(i + 1))) break;
      i += 2;
      while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    }
    if (deepLine === 0 && i - start > MAX_RAW_NESTING * 2) deepLine = i - start;
    // The rest of the line: its brackets.
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        i++;
        break;
      }
      if (c === 91 || c === 123) {
        depth++;
        if (depth > max) max = depth;
      } else if ((c === 93 || c === 125) && depth > 0) depth--;
    }
  }
  if (max > MAX_RAW_NESTING) return `${max} brackets deep`;
  if (deepLine > 0) return `${deepLine} columns of indentation`;
  return null;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** A line that starts with more blanks and indicators than the limit lets any line's indentation run. */
const LONG_LINE_START = new RegExp(`(?:^|\\n)[ \\t?:-]{${MAX_RAW_NESTING * 2 + 1}}`);

/**
 * Whether a text can hold what `rawNesting` looks for: more opening brackets than the limit (the
 * depth is never more than their count), or a line whose first characters past the limit are all
 * blanks and indicators (an indentation run holds nothing else). Asked of the engine's own string
 * search, so that the texts that hold neither — nearly all — are not walked a character at a time.
 */
function mayNestDeeply(text: string): boolean {
  let opening = 0;
  for (const bracket of ["[", "{"])
    for (let i = text.indexOf(bracket); i >= 0; i = text.indexOf(bracket, i + 1))
      if (++opening > MAX_RAW_NESTING) return true;
  return LONG_LINE_START.test(text);
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
  // A numeric version (1.10) must keep its text, which only the YAML path does.
  if (/"version"\s*:\s*[0-9]/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const written = writtenKeys(text);
  let parsed = 0;
  const count = (v: unknown): void => {
    if (v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach(count);
    for (const x of Object.values(v)) {
      parsed++;
      count(x);
    }
  };
  if (checkValue(value) !== null) return undefined;
  count(value);
  return parsed === written ? { value } : undefined;
}

/**
 * How many keys a text JSON.parse accepted writes: the strings followed by `:`. Every string
 * token is whole and a `"` outside one opens the next, so one pass from quote to closing quote
 * finds them all (a backslash escapes the character after it); between tokens JSON allows only
 * spaces, tabs and line breaks.
 */
function writtenKeys(text: string): number {
  let keys = 0;
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) {
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 34) break;
    }
    let j = i + 1;
    for (let c = text.charCodeAt(j); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++j));
    if (text.charCodeAt(j) === 58) keys++;
  }
  return keys;
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

interface IssueLike {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
  expected?: string;
  /** Of a union: each alternative's own issues, with paths relative to the union's value. */
  errors?: readonly (readonly IssueLike[])[];
}

/** Schema issues in words, each with the path it is at; a union says what each form lacks. */
export function formatIssues(issues: readonly IssueLike[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length ? issue.path.map(String).join(".") : "(top level)";
      return `${where}: ${describeIssue(issue)}`;
    })
    .join("; ");
}

/** What is wrong at an issue's path. */
function describeIssue(issue: IssueLike): string {
  if (issue.code === "unrecognized_keys" && issue.keys) {
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  if (issue.code === "invalid_union" && issue.errors && issue.errors.length > 0) {
    // Forms of another type say only what they expected; the others say what they lack.
    const wrongType = (form: readonly IssueLike[]) =>
      form.every((i) => i.code === "invalid_type" && i.path.length === 0);
    const near = issue.errors.filter((form) => form.length > 0 && !wrongType(form));
    if (near.length === 0) {
      const expected = [...new Set(issue.errors.flat().map((i) => i.expected ?? "another type"))];
      return `expected ${expected.join(" or ")}`;
    }
    const forms = near.map((form) =>
      form
        .slice(0, 3)
        .map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ` : "") + describeIssue(i))
        .join(", "),
    );
    return forms.length === 1 ? forms[0]! : `matches none of its forms (${forms.join(" | ")})`;
  }
  return issue.message;
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
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
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

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}
