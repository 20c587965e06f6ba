import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const page = readFileSync(join(ROOT, "docs", "threat-model.md"), "utf8");
const rows = page.split("\n").filter((l) => /^\|\s*\d+\s*\|/.test(l));

describe("docs/threat-model.md", () => {
  it("has a row per attack, and every row names tests", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const row of rows) expect(row, row.slice(0, 60)).toMatch(/`test\/[^`]+\.test\.ts`: "/);
  });

  it("names only tests that exist", () => {
    for (const row of rows) {
      for (const [, file, name] of row.matchAll(/`(test\/[^`]+\.test\.ts)`: "([^"]+)"/g)) {
        const path = join(ROOT, file!);
        expect(existsSync(path), file).toBe(true);
        // The name as it is written in the test (a table row's `name:` or a title with placeholders).
        expect(readFileSync(path, "utf8"), `${file}: ${name}`).toContain(name!.replace(/\\\|/g, "|"));
      }
    }
  });
});
