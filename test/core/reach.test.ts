import { describe, expect, it } from "vitest";
import { agent, skill, tool, toolFile } from "../scenarios/fixture.js";
import { Case, type Files } from "./builder.js";

/** A small product: two agents sharing a prompt, one with a tool file, a skill and a server. */
const PRODUCT: Files = {
  "agents/support.yaml": agent({
    name: "support",
    prompt: "prompts/shared.md",
    tools: ["tools/orders.json"],
    skills: ["skills/faq"],
    servers: [{ name: "docs", tools: ["tools/docs.json"] }],
    maxSteps: 4,
  }),
  "agents/writer.yaml": agent({ name: "writer", prompt: "prompts/shared.md", maxSteps: 1 }),
  "prompts/shared.md": "Be brief.\n",
  "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true })),
  "tools/other.json": toolFile(tool("ping", { readOnlyHint: true })),
  "tools/docs.json": toolFile(tool("search_docs", { readOnlyHint: true })),
  "skills/faq/SKILL.md": skill("faq", "Read"),
  "skills/faq/notes.md": "Notes.\n",
  ".mcp.json": JSON.stringify({ mcpServers: { docs: { command: "docs-mcp" }, other: { command: "x" } } }),
  "docs/rollback.md": "Revert.\n",
};

const rows: { name: string; change: Files; rename?: [string, string]; path: string; agents: string[] }[] = [
  {
    name: "a prompt reaches every agent naming it",
    change: { "prompts/shared.md": "Be kind.\n" },
    path: "prompts/shared.md",
    agents: ["support", "writer"],
  },
  {
    name: "a tool file reaches the agent naming it",
    change: { "tools/orders.json": toolFile(tool("get_order")) },
    path: "tools/orders.json",
    agents: ["support"],
  },
  {
    name: "a tool file no agent names reaches none",
    change: { "tools/other.json": toolFile(tool("ping")) },
    path: "tools/other.json",
    agents: [],
  },
  {
    name: "any file of a referenced skill folder reaches its agents",
    change: { "skills/faq/notes.md": "More notes.\n" },
    path: "skills/faq/notes.md",
    agents: ["support"],
  },
  {
    name: "an MCP config reaches the agents using a server it changes",
    change: {
      ".mcp.json": JSON.stringify({ mcpServers: { docs: { command: "docs-mcp@2" }, other: { command: "x" } } }),
    },
    path: ".mcp.json",
    agents: ["support"],
  },
  {
    name: "a manifest reaches its own agent",
    change: { "agents/writer.yaml": agent({ name: "writer", prompt: "prompts/shared.md", maxSteps: 2 }) },
    path: "agents/writer.yaml",
    agents: ["writer"],
  },
  {
    name: "a renamed tool file reaches the agent that names its new path",
    change: {
      "agents/support.yaml": agent({
        name: "support",
        prompt: "prompts/shared.md",
        tools: ["tools/orders-v2.json"],
        skills: ["skills/faq"],
        servers: ["docs"],
        maxSteps: 4,
        confirm: ["docs"],
      }),
    },
    rename: ["tools/orders.json", "tools/orders-v2.json"],
    path: "tools/orders-v2.json",
    agents: ["support"],
  },
];

describe("which agents a change reaches", () => {
  it.each(rows)("$name", ({ change, rename, path, agents }) => {
    const c = new Case().base(PRODUCT).head(change);
    if (rename) c.rename(...rename);
    const got = c.analyze().changes.find((x) => x.path === path);
    expect(got?.agents.sort()).toEqual(agents);
  });

  it("a manifest whose text names the change only in prose is screened in, parsed, and not reached", () => {
    const c = new Case()
      .base({
        ...PRODUCT,
        "agents/chatty.yaml": agent({ name: "chatty", prompt: "prompts/other.md" }).replace(
          '"name"',
          '"description": "mentions tools/orders.json", "name"',
        ),
        "prompts/other.md": "x\n",
      })
      .head({ "tools/orders.json": toolFile(tool("get_order")) });
    expect(c.analyze().changes.find((x) => x.path === "tools/orders.json")?.agents).toEqual(["support"]);
  });

  it("a file gone at head counts through the agents that named it at base, at their head tier", () => {
    const a = new Case()
      .base(PRODUCT)
      .head({
        "tools/orders.json": null,
        "agents/support.yaml": agent({
          name: "support",
          prompt: "prompts/shared.md",
          skills: ["skills/faq"],
          servers: [{ name: "docs", tools: ["tools/docs.json"] }],
          maxSteps: 4,
        }),
      })
      .analyze();
    expect(a.changes.find((x) => x.path === "tools/orders.json")).toMatchObject({ agents: ["support"], tier: "tools" });
    expect(a.escalations).toEqual([]);
  });
});
