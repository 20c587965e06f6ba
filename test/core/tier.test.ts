import { describe, expect, it } from "vitest";
import type { Capability } from "../../src/capability/tools.js";
import { tierOf } from "../../src/tier/agent-tier.js";
import { agent, skill, tool, toolFile } from "../scenarios/fixture.js";
import { Case } from "./builder.js";

const cap = (name: string, writing: boolean, confirmable = true): Capability => ({
  name,
  source: "s",
  writing,
  why: "",
  confirmable,
});

describe("an agent's tier from its capabilities and autonomy", () => {
  const ro = cap("r", false);
  const w = cap("w", true);
  const unknown = cap("mcp:x", true, false);
  it.each([
    { caps: [], maxSteps: null, confirm: [], tier: "chat" },
    { caps: [ro], maxSteps: null, confirm: [], tier: "tools" },
    { caps: [ro, w], maxSteps: 5, confirm: ["w"], tier: "write" },
    { caps: [w], maxSteps: 1, confirm: [], tier: "write" },
    { caps: [w], maxSteps: 2, confirm: [], tier: "autonomous" },
    { caps: [w], maxSteps: null, confirm: [], tier: "autonomous" },
    { caps: [unknown], maxSteps: 3, confirm: ["mcp:x"], tier: "autonomous" },
    { caps: [unknown], maxSteps: 1, confirm: [], tier: "write" },
  ])(
    "$caps.length capabilities, max_steps $maxSteps, confirm $confirm → $tier",
    ({ caps, maxSteps, confirm, tier }) => {
      expect(tierOf(caps, maxSteps, confirm).tier).toBe(tier);
    },
  );
});

describe("the tier of an artifact no agent references", () => {
  const rows: { name: string; head: Record<string, string>; path: string; tier: string; why: RegExp }[] = [
    {
      name: "a read-only tool is tools",
      head: { "tools/ro.json": toolFile(tool("list", { readOnlyHint: true })) },
      path: "tools/ro.json",
      tier: "tools",
      why: /read-only tools; no agent references it/,
    },
    {
      name: "an unannotated tool is write (MCP defaults: not read-only)",
      head: { "tools/w.json": toolFile(tool("send")) },
      path: "tools/w.json",
      tier: "write",
      why: /writing tools send \(no readOnlyHint/,
    },
    {
      name: "a skill allowed Bash is write",
      head: { "skills/ops/SKILL.md": skill("ops", "Read Bash") },
      path: "skills/ops/SKILL.md",
      tier: "write",
      why: /Bash is not a known read-only tool/,
    },
    {
      name: "a skill allowed only read-only tools is tools",
      head: { "skills/look/SKILL.md": skill("look", "Read Grep") },
      path: "skills/look/SKILL.md",
      tier: "tools",
      why: /read-only allowed-tools/,
    },
    {
      name: "a prompt is chat",
      head: { "prompts/free.md": "Hello.\n" },
      path: "prompts/free.md",
      tier: "chat",
      why: /a prompt no agent references/,
    },
    {
      name: "an MCP config whose servers' tools are undeclared is write",
      head: { ".mcp.json": JSON.stringify({ mcpServers: { gh: { command: "gh-mcp" } } }) },
      path: ".mcp.json",
      tier: "write",
      why: /servers gh with undeclared tools/,
    },
  ];
  it.each(rows)("$name", ({ head, path, tier, why }) => {
    const change = new Case()
      .head(head)
      .analyze()
      .changes.find((c) => c.path === path)!;
    expect(change).toMatchObject({ tier, agents: [] });
    expect(change.why).toMatch(why);
  });

  it("a change reaching agents takes their highest head tier, and touches each", () => {
    const a = new Case()
      .base({
        "agents/a.yaml": agent({ name: "a", prompt: "prompts/p.md", tools: ["tools/t.json"], maxSteps: 1 }),
        "agents/b.yaml": agent({ name: "b", prompt: "prompts/p.md", maxSteps: 4 }),
        "prompts/p.md": "hi\n",
        "tools/t.json": toolFile(tool("send")),
      })
      .head({ "prompts/p.md": "hello\n" })
      .analyze();
    expect(a.changes).toEqual([
      expect.objectContaining({ path: "prompts/p.md", tier: "write", touches: ["write", "chat"] }),
    ]);
    expect(a.touched.map((t) => t.tier)).toEqual(["write", "chat"]);
  });
});
