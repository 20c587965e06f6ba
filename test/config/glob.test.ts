import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS, GOVERNANCE_GLOBS } from "../../src/config/defaults.js";
import { globMatcher, placeMatcher } from "../../src/config/glob.js";

// globMatcher answers with picomatch's own regular expressions; these are the paths and globs on
// which its answer must be exactly picomatch's matcher's.
const GLOBS: string[][] = [
  ...Object.values(DEFAULT_AGENT_GLOBS),
  ...Object.values(DEFAULT_ARTIFACT_GLOBS),
  GOVERNANCE_GLOBS,
  ["**"],
  ["*"],
  ["a/[b]c.md"], // a class, and a literal name that is the glob itself
  ["[b]"],
  ["docs/rollback.md", "evals/**"],
  ["**/*.{json,yaml,yml}", "!x/**"],
  ["tools/@(a|b)/*.json", "tools/+(c)/**"],
  ["x/?.md", "x/**/.*"],
  ["skills/*/SKILL.md", "**/SKILL.md"],
  ["a\\*b"],
  ["{a,b}/c/**/d"],
];
const PATHS = [
  "",
  "a",
  "[b]",
  "b",
  "a/[b]c.md",
  "a/bc.md",
  "agents/x.yaml",
  "agents/a/b/c.yml",
  "agents/.hidden/x.yaml",
  ".claude/agents/reviewer.md",
  ".claude/agents/sub/dir/x.md",
  "plugins/p/agents/x.md",
  "plugins/p/q/agents/x.md",
  ".claude/settings.json",
  ".github/agents/a.md",
  ".github/chatmodes/b.chatmode.md",
  ".github/prompts/c.prompt.md",
  ".github/workflows/ci.yml",
  "prompts/a/b.md",
  "x.prompt.yml",
  "deep/er/y.prompty",
  "skills/s/SKILL.md",
  "skills/s/skill.md",
  "tools/d0/tool-1.json",
  "tools/a/t.json",
  "tools/c/t/u.json",
  "x/y/z.json",
  "x/a.md",
  "x/ab.md",
  "x/q/.env",
  "a*b",
  "a\\*b",
  "axb",
  "a/c/d",
  "agents\\x.yaml",
  "prompts/a\\b.md",
  "b/c/x/y/d",
  ".mcp.json",
  "plugins/p/.mcp.json",
  ".continue/mcpServers/s.yaml",
  "odd\nname/SKILL.md",
  "agents/new\nline.yaml",
  "./agents/x.yaml",
  "docs/rollback.md",
  "evals/a/b.json",
  "agents//x.yaml",
  "/agents/x.yaml",
];

describe("globMatcher", () => {
  it.each(GLOBS.map((g) => [g.join(", "), g] as const))("agrees with picomatch on %s", (_, globs) => {
    const mine = globMatcher(globs);
    const theirs = picomatch(globs, { dot: true, flags: "s", windows: false });
    const disagreements = PATHS.filter((p) => mine(p) !== Boolean(theirs(p)));
    expect(disagreements).toEqual([]);
    // Not vacuous: each set of globs matches some paths and not others.
    expect(PATHS.some((p) => mine(p))).toBe(true);
    expect(PATHS.some((p) => !mine(p))).toBe(true);
  });

  it("takes only / as a separator, on every platform: a backslash is part of a name", () => {
    expect(globMatcher(["agents/*.yaml"])("agents\\x.yaml")).toBe(false);
    expect(globMatcher(["prompts/*.md"])("prompts/a\\b.md")).toBe(true);
  });

  it("matches a runtime's places without regard to case, in the name and in the glob's pattern", () => {
    const places = placeMatcher([".github/agents/**/*.md", ".claude/settings.json"]);
    expect(places(".github/Agents/y.agent.md")).toBe(true);
    expect(places(".GitHub/agents/deep/y.agent.md")).toBe(true);
    expect(places(".CLAUDE/Settings.JSON")).toBe(true);
    expect(places(".github/agents/y.txt")).toBe(false);
    // The config's own globs keep their case.
    expect(globMatcher([".github/agents/**/*.md"])(".github/Agents/y.agent.md")).toBe(false);
  });

  it("shares each glob's expression between matchers without sharing answers", () => {
    // Two matchers holding the same glob, asked in turn: an expression that kept state between
    // calls (a `g` or `y` flag) would answer the second ask of the same path differently.
    const a = globMatcher(["tools/**/*.json"]);
    const b = globMatcher(["tools/**/*.json", "agents/*.yaml"]);
    for (let i = 0; i < 3; i++) {
      expect(a("tools/x/y.json")).toBe(true);
      expect(b("tools/x/y.json")).toBe(true);
      expect(b("agents/x.yaml")).toBe(true);
      expect(a("agents/x.yaml")).toBe(false);
    }
  });

  it("keeps one answer per set of globs, however their names could be joined", () => {
    // Sets that a naive joining of their globs would make the same hold their own expressions.
    expect(globMatcher(["a", "b"])("a")).toBe(true);
    expect(globMatcher(["a\0b"])("a")).toBe(false);
    expect(globMatcher(["a,b"])("a")).toBe(false);
    expect(placeMatcher(["A"])("a")).toBe(true);
    expect(globMatcher(["A"])("a")).toBe(false);
  });

  it("answers for a glob whose expression could read as a reference back to a group as it alone does", () => {
    // Joined after a glob with a group, an escape such as `\1` would refer to that group.
    for (const globs of [
      ["@(a|b)/x", "c\\1d"],
      ["@(a|b)/x", "[\\1]"],
    ]) {
      const mine = globMatcher(globs);
      const theirs = picomatch(globs, { dot: true, flags: "s", windows: false });
      for (const p of ["a/x", "c1d", "cd", "c\u0001d", "1", "\u0001", "b/x"]) expect(mine(p)).toBe(Boolean(theirs(p)));
    }
  });

  it("matches nothing without globs", () => {
    expect(globMatcher([])("agents/x.yaml")).toBe(false);
  });
});
