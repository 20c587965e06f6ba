import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Real public sample files, copied byte for byte; their origins and licences: test/fixtures/SOURCES.md. */
export const FORMATS = join(import.meta.dirname, "..", "fixtures", "formats");

export function fixture(...parts: string[]): string {
  return readFileSync(join(FORMATS, ...parts), "utf8");
}

export function fixtureBytes(...parts: string[]): Buffer {
  return readFileSync(join(FORMATS, ...parts));
}
