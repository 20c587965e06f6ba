import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const page = readFileSync(join(ROOT, "docs", "threat-model.md"), "utf8");
const rows = page.split("\n").filter((l) => /^\|\s*\d+\s*\|/.test(l));
/** A test file, or the scenario table the contract's test files run (`test/scenarios/contract.ts`). */
const NAMED = /`(test\/[^`]+\.test\.ts|test\/scenarios\/contract\.ts)`: "([^"]+)"/g;

describe("docs/threat-model.md", () => {
  it("has a row per attack, and every row names tests", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
    for (const row of rows) expect([...row.matchAll(NAMED)].length, row.slice(0, 60)).toBeGreaterThan(0);
  });

  it("names only tests that exist", () => {
    for (const row of rows) {
      for (const [, file, name] of row.matchAll(NAMED)) {
        const path = join(ROOT, file!);
        expect(existsSync(path), file).toBe(true);
        // The name as it is written in the test (a table row's `name:` or a title with placeholders).
        expect(readFileSync(path, "utf8"), `${file}: ${name}`).toContain(name!.replace(/\\\|/g, "|"));
      }
    }
  });
});
