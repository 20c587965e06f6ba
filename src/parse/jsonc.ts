import { parse, printParseErrorCode, visit, type ParseError } from "jsonc-parser";
import { fail, ok, type Parsed } from "./result.js";
import { checkValue, FORBIDDEN_KEYS, rawNesting } from "./document.js";

/**
 * Reads JSON with comments and trailing commas (JSONC: VS Code's, Zed's and Claude Code's settings
 * and MCP configs) with `jsonc-parser`, the reader VS Code itself uses. What JSON.parse would
 * silently settle is an error here, at its line: a key written twice, a prototype-reaching key.
 */
export function parseJsonc(
  path: string,
  text: string,
  opts: { strict?: boolean; trailingCommas?: boolean; repeatedKeys?: "error" | "last" } = {},
): Parsed<unknown> {
  const nested = rawNesting(text);
  if (nested) return fail(path, `nested too deeply (${nested}); deeper input is hostile, not configuration`);
  const lineOf = lines(text);
  const errors: ParseError[] = [];
  // Strict: plain JSON, as a reader built on JSON.parse takes it (no comment, no trailing comma).
  const strict = opts.strict === true;
  const value: unknown = parse(text.replace(/^\uFEFF/, ""), errors, {
    allowTrailingComma: opts.trailingCommas ?? !strict,
    disallowComments: strict,
  });
  const first = errors[0];
  if (first) return fail(path, `malformed: ${describeCode(printParseErrorCode(first.error))}`, lineOf(first.offset));
  let problem: { reason: string; offset: number } | null = null;
  const open: Set<string>[] = [];
  visit(text, {
    onObjectBegin: () => void open.push(new Set()),
    onObjectEnd: () => void open.pop(),
    onObjectProperty: (key, offset) => {
      if (problem) return;
      const seen = open[open.length - 1]!;
      if (FORBIDDEN_KEYS.has(key)) problem = { reason: `forbidden key "${key}"`, offset };
      else if (seen.has(key) && opts.repeatedKeys !== "last")
        problem = { reason: `duplicate key "${key}": keys must be unique`, offset };
      seen.add(key);
    },
  });
  if (problem !== null) {
    const p: { reason: string; offset: number } = problem;
    return fail(path, p.reason, lineOf(p.offset));
  }
  const bad = checkValue(value);
  return bad ? fail(path, bad) : ok(value);
}

/** `PropertyNameExpected` → "property name expected". */
function describeCode(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** The 1-based line of an offset. */
function lines(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}
