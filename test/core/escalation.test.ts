import { describe, expect, it } from "vitest";
import { agent, tool, toolFile } from "../scenarios/fixture.js";
import { Case, type Files } from "./builder.js";

const BASE: Files = {
  "agents/bot.yaml": agent({ name: "bot", prompt: "prompts/p.md", tools: ["tools/read.json"], maxSteps: 6 }),
  "prompts/p.md": "Help.\n",
  "tools/read.json": toolFile(tool("lookup", { readOnlyHint: true })),
  "tools/refund.json": toolFile(tool("refund")),
};

const rows: { name: string; head: Files; from: string | null; to: string | null; reason?: RegExp }[] = [
  {
    name: "gaining an unconfirmed writing tool in a loop is autonomous",
    head: {
      "agents/bot.yaml": agent({
        name: "bot",
        prompt: "prompts/p.md",
        tools: ["tools/read.json", "tools/refund.json"],
        maxSteps: 6,
      }),
    },
    from: "tools",
    to: "autonomous",
    reason:
      /bot: tools → autonomous: gains refund \(tools\/refund\.json; no readOnlyHint.*without confirmation in a loop of up to 6 steps/,
  },
  {
    name: "the same tool confirmed on every call is write",
    head: {
      "agents/bot.yaml": agent({
        name: "bot",
        prompt: "prompts/p.md",
        tools: ["tools/read.json", "tools/refund.json"],
        maxSteps: 6,
        confirm: ["refund"],
      }),
    },
    from: "tools",
    to: "write",
    reason: /gains writing tool refund/,
  },
  {
    name: "a referenced tool that stops being read-only escalates the agent, its manifest untouched",
    head: { "tools/read.json": toolFile(tool("lookup", { readOnlyHint: false })) },
    from: "tools",
    to: "autonomous",
    reason: /lookup is no longer read-only \(readOnlyHint: false\) and runs unconfirmed/,
  },
  {
    name: "dropping a tool is not an escalation",
    head: { "agents/bot.yaml": agent({ name: "bot", prompt: "prompts/p.md", maxSteps: 6 }) },
    from: null,
    to: null,
  },
  {
    name: "a new agent above chat is an escalation from nothing",
    head: {
      "agents/new.yaml": agent({ name: "new", prompt: "prompts/p.md", tools: ["tools/refund.json"], maxSteps: 1 }),
    },
    from: "(new)",
    to: "write",
    reason: /new: new agent at write/,
  },
];

describe("escalations", () => {
  it.each(rows)("$name", ({ head, from, to, reason }) => {
    const e = new Case().base(BASE).head(head).analyze().escalations;
    if (to === null) return expect(e).toEqual([]);
    expect(e).toHaveLength(1);
    expect(e[0]!.from ?? "(new)").toBe(from);
    expect(e[0]!.to).toBe(to);
    expect(e[0]!.reason).toMatch(reason!);
  });
});
