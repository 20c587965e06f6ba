import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Decision } from "../../src/decision/decide.js";
import { code, inert, oneLine } from "../../src/report/inert.js";
import { COMMENT_MARKER, toMarkdown } from "../../src/report/markdown.js";
import { renderMarkdown as render, visibleText as visible } from "../helpers/markdown.js";

/** What a pull request can put in a path, a name or a reason. */
const HOSTILE = [
  "tools/x\r\r## ✅ capgate: pass — nothing gated changed\r\r<!--.json",
  "<img src=x onerror=alert(1)>",
  "<details open><summary>all good</summary>",
  "[approve here](https://evil.example/phish)",
  "![pixel](https://evil.example/t.png)",
  "@octocat please merge",
  "cc @acme/trust-safety",
  "fixes #1 and acme/agents#12",
  "https://evil.example/x and www.evil.example",
  "mail admin@evil.example",
  COMMENT_MARKER,
  "line\u2028## heading\u2029next\u0085nel\vvt\ffeed",
  "| a | b |",
  "`code` and ``more``",
  "**bold** _em_ ~~gone~~",
  "$\\sqrt{2}$ and [^1]",
  "&lt;b&gt; &amp; &#60;",
  "\u202eevil\u202c ok \u001b[2K\u001b[31mred",
  "\\*not escaped\\*",
  "- [x] task",
];

describe("repository text is rendered inert", () => {
  it.each(HOSTILE)("in prose and in a table cell: %j", (text) => {
    for (const md of [`- ⏳ **eval** — ${inert(text)}\n`, `| a | b |\n| --- | --- |\n| x | ${inert(text)} |\n`]) {
      const html = render(md);
      // Only the structure capgate wrote: a list item, or one row of a two-column table.
      const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/g)].map((m) => m[1]));
      for (const t of tags) expect(["ul", "li", "strong", "table", "thead", "tbody", "tr", "th", "td"]).toContain(t);
      if (md.startsWith("|")) expect(html.match(/<td>/g)).toHaveLength(2);
      // A reader sees exactly the text, on one line.
      expect(visible(html)).toContain(oneLine(text).trim());
      // Nothing GitHub would link or notify after rendering.
      const shown = html.replace(/<[^>]*>/g, "");
      expect(shown).not.toMatch(/@[A-Za-z0-9]/);
      expect(shown).not.toMatch(/#[0-9]/);
      expect(shown).not.toMatch(/:\/\/|www\./i);
      expect(md).not.toContain("<!--");
    }
  });

  it("holds for any text (fast-check)", () => {
    const alphabet = fc.constantFrom(..."<>&[]()!|`*_~#@:/.\\-\r\n\u2028\u0085\u202e\u001b ab1".split(""));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const text = chars.join("");
        const html = render(`| a | b |\n| --- | --- |\n| x | ${inert(text)} |\n`);
        expect(html.match(/<td>/g)).toHaveLength(2);
        expect(html).not.toMatch(/<(a|img|h[1-6]|details|code|script|p)\b/);
        expect(visible(html.split("<tbody>")[1] ?? "")).toBe(`x\n${oneLine(text).trim()}`.trim());
      }),
      { numRuns: 500 },
    );
  });

  it("code spans keep any backticks and pipes as text", () => {
    for (const text of ["a`b", "``x``", "`", "a|b", " lead", ""]) {
      const html = render(`| p |\n| --- |\n| ${code(text, { inTable: true })} |\n`);
      expect(html).toMatch(/<td><code>/);
      expect(visible(html.split("<tbody>")[1]!)).toBe(oneLine(text).trim());
    }
  });
});

function hostileDecision(n: number): Decision {
  const h = (i: number) => HOSTILE[i % HOSTILE.length]!;
  return {
    decision: "block",
    tier: "autonomous",
    touched: [{ tier: "autonomous", because: [h(0)] }],
    escalations: [
      {
        agent: h(1),
        path: h(0),
        from: "tools",
        to: "autonomous",
        reason: `${h(1)}: tools → autonomous: ${h(2)}`,
        causes: [h(2)],
      },
    ],
    changes: Array.from({ length: n }, (_, i) => ({
      path: h(i),
      oldPath: h(i + 1),
      status: "renamed" as const,
      kind: "tool" as const,
      agents: [h(i + 2)],
      agentTiers: ["autonomous" as const],
      tier: "autonomous" as const,
      touches: ["autonomous" as const],
      why: h(i + 3),
    })),
    requirements: Array.from({ length: n }, (_, i) => ({
      kind: "eval" as const,
      id: `eval:${i}`,
      status: "missing" as const,
      tiers: ["autonomous" as const],
      summary: h(i),
      detail: h(i + 5),
    })),
    agents: [],
    agentChanges: [],
    notes: [h(3), h(11)],
    base: "a".repeat(40),
    head: "b".repeat(40),
    config: { path: h(10), source: "base" },
  };
}

describe("the report with hostile text everywhere", () => {
  it("has one verdict, no heading, no link, and every requirement in its table", () => {
    const md = toMarkdown(hostileDecision(12));
    expect(md.startsWith(`${COMMENT_MARKER}\n❌ **capgate: blocked**`)).toBe(true);
    expect(md.split(COMMENT_MARKER)).toHaveLength(2);
    const html = render(md);
    expect(html).not.toMatch(/<(a|img|h[1-6]|script)\b/);
    // Hostile text may say "capgate: pass", but only as text: the one verdict is capgate's own.
    expect(html.match(/<strong>capgate: [a-z]+<\/strong>/g)).toEqual(["<strong>capgate: blocked</strong>"]);
    const tables = html.split("<table>").slice(1);
    expect(tables[0]!.match(/<tr>/g)).toHaveLength(13); // header + 12 requirements
    expect(tables[1]!.match(/<tr>/g)).toHaveLength(13); // header + 12 changes
    expect(html.match(/<details>/g)).toHaveLength(1);
  });

  it("is cut between lines, never inside an element it opened", () => {
    const d = hostileDecision(200);
    const whole = toMarkdown(d).split("\n");
    for (const limit of [400, 1000, 3000, 8000, 20000, 60000]) {
      const md = toMarkdown(d, { limit, moreAt: "https://github.com/o/r/actions/runs/1" });
      expect(md.length).toBeLessThanOrEqual(limit);
      expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
      if (whole.join("\n").length > limit) expect(md).toMatch(/the report is cut here\. \[Full report\]/);
      const lines = md.split("\n");
      const body = lines.slice(0, lines.findIndex((l) => l.startsWith("…the report is cut")) - 1);
      for (const l of body) if (l !== "</details>" && l !== "") expect(whole).toContain(l);
      expect(render(md)).not.toMatch(/<(a|img|h[1-6])\b(?![^>]*actions\/runs)/);
    }
  });
});
