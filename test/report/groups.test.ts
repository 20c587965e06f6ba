import { describe, expect, it } from "vitest";
import { toMarkdown } from "../../src/report/markdown.js";
import { toText } from "../../src/report/text.js";
import { skill } from "../scenarios/fixture.js";
import { Case } from "../core/builder.js";

describe("a report people read", () => {
  const files = (rev: number) =>
    Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`skills/pdf/scripts/s${i}.py`, `print(${i + rev})\n`]));
  const d = new Case()
    .base({ "skills/pdf/SKILL.md": skill("pdf", "Read Bash"), ...files(0) })
    .head(files(1))
    .decide();

  it("says what a skill's change touches once, for every file of the folder", () => {
    const text = toText(d);
    expect(text).toMatch(
      /Gated changes \(12\):\n {2}skill skills\/pdf \(12 files\) \[skill\] write — Bash is not a known read-only tool/,
    );
    expect(text.match(/Bash is not a known read-only tool/g)).toHaveLength(2);
    expect(text).toMatch(/modified skills\/pdf\/scripts\/s0\.py, .*… 2 more/);
    expect(toMarkdown(d).match(/Bash is not a known read-only tool/g)).toHaveLength(1);
  });

  it("lists each thing to do once in To unblock", () => {
    const unblock = toText(d).split("To unblock:\n")[1]!.split("\n\n")[0]!.split("\n");
    expect(new Set(unblock).size).toBe(unblock.length);
    const md = toMarkdown(d).split("**To unblock:**")[1]!.split("\n\n")[1]!.split("\n");
    expect(new Set(md.map((l) => l.replace(/^.*?— /, ""))).size).toBe(md.length);
  });
});

describe("tiers touched", () => {
  it("lists under each tier only the agents at that tier", () => {
    const subagent = "---\nname: helper\ndescription: Helps.\ntools: Read, mcp__db__query\n---\nYou help.\n";
    const d = new Case()
      .base({
        ".mcp.json": '{"mcpServers": {"db": {"command": "pg-mcp"}}}\n',
        ".claude/settings.json": '{"permissions": {"allow": []}}\n',
        ".claude/agents/helper.md": subagent,
      })
      .head({ ".claude/settings.json": '{"permissions": {"allow": ["mcp__*"]}}\n' })
      .decide();
    const touched = toText(d).split("Tiers touched:\n")[1]!.split("\n\n")[0]!.split("\n");
    expect(touched).toEqual([
      "  autonomous: .claude/settings.json → helper",
      "  write: .claude/settings.json → Claude Code session",
    ]);
  });
});

describe("to unblock", () => {
  it("names what each thing to do is for, so two skills needing the same bump are two lines", () => {
    const d = new Case()
      .base({
        "skills/a/SKILL.md": skill("a", "Read", "1.0.0"),
        "skills/b/SKILL.md": skill("b", "Read", "1.0.0"),
      })
      .head({
        "skills/a/SKILL.md": skill("a", "Read", "1.0.0") + "More.\n",
        "skills/b/SKILL.md": skill("b", "Read", "1.0.0") + "More.\n",
      })
      .decide();
    const unblock = toText(d).split("To unblock:\n")[1]!.split("\n\n")[0]!.split("\n");
    const versions = unblock.filter((l) => /needs a higher version/.test(l));
    expect(versions).toEqual([
      expect.stringMatching(/^ {2}- skills\/a\/SKILL\.md carries a higher version — .*at least 1\.0\.1/),
      expect.stringMatching(/^ {2}- skills\/b\/SKILL\.md carries a higher version — .*at least 1\.0\.1/),
    ]);
    expect(toMarkdown(d)).toMatch(/\*\*version\*\* — skills\/b\/SKILL\.md carries a higher version — /);
  });
});

describe("a change that gates nothing", () => {
  it("says so once, in the headline", () => {
    const text = toText(new Case().base({ "README.md": "a\n" }).head({ "README.md": "b\n" }).decide());
    expect(text.match(/nothing gated changed/g)).toHaveLength(1);
    expect(text).toMatch(/^PASS — nothing gated changed|capgate: PASS — nothing gated changed/m);
  });
});

describe("two agents of one name", () => {
  it("are told apart by their paths wherever the report names what a change reaches", () => {
    const sub = "---\nname: simplifier\ndescription: Simplifies.\ntools: Read\n---\nx\n";
    const d = new Case()
      .base({ "plugins/a/agents/s.md": sub, "plugins/b/agents/s.md": sub, "tools/t.json": "{}" })
      .head({
        "plugins/a/agents/s.md": sub.replace("Simplifies.", "Simplifies more."),
        "plugins/b/agents/s.md": sub.replace("Simplifies.", "Simplifies less."),
      })
      .decide();
    const reached = d.changes.flatMap((c) => c.agents).sort();
    expect(reached).toEqual(["simplifier (plugins/a/agents/s.md)", "simplifier (plugins/b/agents/s.md)"]);
  });
});
