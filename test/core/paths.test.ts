import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { isObjectId } from "../../src/common/ids.js";
import { hasBaseName, normalizeRef } from "../../src/common/paths.js";

const PATHS = [
  "SKILL.md",
  "skills/a/SKILL.md",
  "skills/a/NOT-SKILL.md",
  "skills/a/SKILL.md.bak",
  "xSKILL.md",
  "a/xSKILL.md",
  "skills/SKILL.md/inner.md",
  "SKILL.mdx",
  "a/b/c/SKILL.md",
  "",
  "/SKILL.md",
];

describe("hasBaseName", () => {
  it("answers as posix.basename does on repository paths", () => {
    for (const p of PATHS) expect(hasBaseName(p, "SKILL.md"), p).toBe(posix.basename(p) === "SKILL.md");
    // Not vacuous: both answers occur.
    expect(PATHS.filter((p) => hasBaseName(p, "SKILL.md")).length).toBeGreaterThan(1);
    expect(PATHS.filter((p) => !hasBaseName(p, "SKILL.md")).length).toBeGreaterThan(1);
  });
});

describe("normalizeRef", () => {
  it.each([
    ["tools/./a.json", "tools/a.json"],
    ["tools//a.json", "tools/a.json"],
    ["a/../b/", "b"],
    ["../outside", null],
    ["/abs", null],
    ["C:/x", null],
    ["a\\b", null],
    [".", null],
    ["", null],
  ])("%s is %s, asked once or again", (ref, want) => {
    expect(normalizeRef(ref)).toBe(want);
    expect(normalizeRef(ref)).toBe(want);
  });
});

describe("isObjectId", () => {
  it("takes whole SHA-1 and SHA-256 ids, nothing shorter, between or odd", () => {
    expect(isObjectId("a".repeat(40))).toBe(true);
    expect(isObjectId("0123456789abcdef".repeat(4))).toBe(true);
    for (const s of ["a".repeat(39), "a".repeat(41), "a".repeat(63), "a".repeat(65), "A".repeat(40), "HEAD", ""])
      expect(isObjectId(s), s).toBe(false);
  });
});
