import { parse, TomlError } from "smol-toml";
import { checkValue, rawNesting } from "./document.js";
import { fail, ok, type Parsed } from "./result.js";

/**
 * Reads TOML (Codex's `config.toml`, Gemini CLI's command files) with `smol-toml`, a TOML 1.0
 * reader: a key or table written twice is an error, as it is to the runtimes' readers, at its line.
 */
export function parseToml(path: string, text: string): Parsed<Record<string, unknown>> {
  const nested = rawNesting(text);
  if (nested) return fail(path, `nested too deeply (${nested}); deeper input is hostile, not configuration`);
  let value: Record<string, unknown>;
  try {
    value = parse(text.replace(/^\uFEFF/, "")) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof TomlError)
      return fail(
        path,
        `not valid TOML: ${e.message.split("\n", 1)[0]!.replace(/^Invalid TOML document: /, "")}`,
        e.line,
      );
    return fail(path, `not valid TOML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const bad = checkValue(value);
  return bad ? fail(path, bad) : ok(value);
}
