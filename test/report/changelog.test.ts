import { describe, expect, it } from "vitest";
import type { Changelog } from "../../src/analysis/changelog.js";
import {
  CHANGELOG_END,
  CHANGELOG_START,
  spliceSection,
  toChangelog,
  toReleaseSection,
} from "../../src/report/changelog.js";

const empty: Changelog = {
  capgate: "changelog/v1",
  from: "a".repeat(40),
  to: "b".repeat(40),
  tier: "tools",
  agents: [],
  breaking: [],
  versions: [],
  servers: [],
  locked: [],
  evals: [],
  governance: [],
  artifacts: [],
};

describe("release notes on servers' locked tools", () => {
  it("say which servers' locked tools changed, inert", () => {
    const md = toChangelog(
      {
        ...empty,
        locked: [
          {
            name: "docs",
            config: ".mcp.json",
            status: "changed",
            tools: [
              { tool: "purge", change: "added", parts: [], said: "adds tool purge (not read-only)" },
              {
                tool: "search",
                change: "changed",
                parts: ["description"],
                said: 'tool search: description changed to "<img src=x> @everyone"',
              },
            ],
            other: [],
          },
          { name: "web", config: ".vscode/mcp.json", status: "locked", tools: [], other: [] },
        ],
      },
      "v1",
      "v2",
    );
    expect(md).toMatch(/### MCP servers' locked tools \(capgate\.lock\)/);
    expect(md).toMatch(
      /- \*\*docs\*\* in `\.mcp\.json`: adds tool purge \\\(not read-only\\\); tool search: description changed/,
    );
    expect(md).toMatch(/- \*\*web\*\* in `\.vscode\/mcp\.json`: locked/);
    expect(md).not.toMatch(/<img|@everyone/);
  });
});

describe("the release body's capgate section", () => {
  const sec = (text: string) => `${CHANGELOG_START}\n## Capability changes (v1 → v2)\n${text}\n${CHANGELOG_END}`;
  const section = `${sec("new")}\n`;
  it.each([
    ["an empty body becomes the section", "", section],
    ["a body without markers keeps its text, the section appended", "Notes.", `Notes.\n\n${section}`],
    ["a body ending in a newline gets one blank line", "Notes.\n", `Notes.\n\n${section}`],
    [
      "the section between the markers is replaced, every other byte kept",
      `A\r\n${sec("old")} tail`,
      `A\r\n${sec("new")} tail`,
    ],
    [
      "an opening marker with no closing one is not a section: nothing is cut",
      `A ${CHANGELOG_START} B`,
      `A ${CHANGELOG_START} B\n\n${section}`,
    ],
    [
      "a marker the author wrote before capgate's section is the author's text, kept",
      `We mark notes with ${CHANGELOG_START}.\nThanks to @alice.\n\n${sec("old")}\n`,
      `We mark notes with ${CHANGELOG_START}.\nThanks to @alice.\n\n${sec("new")}\n`,
    ],
    [
      "a closing marker the author quotes after capgate's section is the author's text, kept",
      `${sec("old")}\n\nIt ends at \`${CHANGELOG_END}\`; thanks to @bob.\n`,
      `${sec("new")}\n\nIt ends at \`${CHANGELOG_END}\`; thanks to @bob.\n`,
    ],
    [
      "both markers quoted after capgate's section are the author's text, kept",
      `${sec("old")}\n\nSee \`${CHANGELOG_START}\` … \`${CHANGELOG_END}\`.\n`,
      `${sec("new")}\n\nSee \`${CHANGELOG_START}\` … \`${CHANGELOG_END}\`.\n`,
    ],
    [
      "a body edited on GitHub's web page (CRLF throughout) has its section replaced, not a second one added",
      `Notes.\r\n\r\n${sec("old").replace(/\n/g, "\r\n")}\r\nThanks.\r\n`,
      `Notes.\r\n\r\n${sec("new")}\r\nThanks.\r\n`,
    ],
    [
      "a body with old Mac line endings (CR) has its section replaced",
      `Notes.\r${sec("old").replace(/\n/g, "\r")}`,
      `Notes.\r${sec("new")}`,
    ],
  ])("%s", (_what, body, expected) => {
    expect(spliceSection(body, section)).toBe(expected);
  });

  it("a re-run on a body edited on the web page keeps exactly one capgate section", () => {
    const first = spliceSection("Release notes.", section);
    const edited = first.replace(/\r?\n/g, "\r\n");
    const again = spliceSection(edited, `${sec("newer")}\n`);
    expect(again.split(CHANGELOG_START)).toHaveLength(2);
    expect(again).toContain("newer");
    expect(again.startsWith("Release notes.\r\n")).toBe(true);
  });

  it("a body that mentions the opening marker keeps all of its text over a first run and a re-run", () => {
    const body = `Our notes go after ${CHANGELOG_START}, as usual.\nThanks to @alice for the fixes.`;
    const once = spliceSection(body, section);
    const twice = spliceSection(once, section.replace("\nnew\n", "\nnewer\n"));
    expect(twice.startsWith(body)).toBe(true);
    expect(twice).toContain("Thanks to @alice");
    expect(twice).toContain("newer");
    expect(twice.split(CHANGELOG_END)).toHaveLength(2);
  });

  it("an agent named with capgate's markers cannot end the section early", () => {
    const hostile = `x ${CHANGELOG_END} <!-- capgate:changelog --> *y*`;
    const c: Changelog = {
      ...empty,
      agents: [
        {
          name: hostile,
          path: `agents/${hostile}.yaml`,
          from: null,
          to: "tools",
          escalation: true,
          why: [hostile],
          gained: [{ name: hostile, source: "s", writing: false, confirmed: true }],
          lost: [],
          changed: [],
          confirmation: { removed: [], added: [] },
          steps: null,
        },
      ],
    };
    const out = toReleaseSection(c, "v1", "v2");
    expect(out.split(CHANGELOG_END)).toHaveLength(2);
    expect(out.split(CHANGELOG_START)).toHaveLength(2);
    // Spliced into a body and spliced again, it is still one section.
    const once = spliceSection("Intro", out);
    expect(spliceSection(once, out)).toBe(once);
  });
});

describe("an agent's tool whose hints changed", () => {
  it("is said with what it was and what it is now, unconfirmed when it writes unasked", () => {
    const hints = (readOnly: boolean, destructive: boolean) => ({ readOnly, destructive, openWorld: false });
    const c: Changelog = {
      ...empty,
      agents: [
        {
          name: "support-bot",
          path: "agents/support.yaml",
          from: "tools",
          to: "write",
          escalation: true,
          why: [],
          gained: [],
          lost: [],
          changed: [
            {
              from: { name: "update_order", source: "s", writing: false, confirmed: true, hints: hints(true, false) },
              to: { name: "update_order", source: "s", writing: true, confirmed: false, hints: hints(false, true) },
            },
          ],
          confirmation: { removed: [], added: [] },
          steps: null,
        },
      ],
    };
    expect(toChangelog(c, "v1", "v2")).toContain(
      "`update_order` (read-only) is now (writing, destructive, unconfirmed)",
    );
  });
});
