import { describe, expect, it } from "vitest";
import { discover } from "../../src/config/discover.js";
import { parseConfig } from "../../src/config/resolve.js";
import { starterConfig } from "../../src/cli/init.js";

/** Trees laid out as public repositories lay them out (anthropics/skills, github/awesome-copilot, claude-plugins-official). */
const TREES: Record<string, string[]> = {
  plugins: [
    "plugins/pr-review-toolkit/.claude-plugin/plugin.json",
    "plugins/pr-review-toolkit/agents/code-reviewer.md",
    "plugins/pr-review-toolkit/agents/silent-failure-hunter.md",
    "external_plugins/github/.claude-plugin/plugin.json",
    "external_plugins/github/.mcp.json",
    "external_plugins/terraform/.mcp.json",
    "external_plugins/github/agents/triager.md",
    "README.md",
  ],
  copilot: [
    "agents/arm-migration.agent.md",
    "agents/lingodotdev-i18n.agent.md",
    "chatmodes/planner.chatmode.md",
    "prompts/playwright-explore-website.prompt.md",
    ".github/agents/go-sdk-tool-migrator.md",
    ".vscode/mcp.json",
    "mcp.json",
  ],
  skills: [
    "skills/pdf/SKILL.md",
    "skills/pdf/scripts/fill.py",
    "document-skills/xlsx/SKILL.md",
    ".claude/settings.json",
  ],
  promptfoo: ["promptfooconfig.yaml", "evals/smoke/cases.yaml", "app/src/index.ts"],
};

describe("capgate init finds what a repository already has", () => {
  it("a Claude Code plugin's subagents and MCP config, outside the default globs", () => {
    const d = discover(TREES.plugins!);
    expect(d.agents["claude-code"]).toMatchObject({
      defaults: false,
      paths: [
        "plugins/pr-review-toolkit/agents/code-reviewer.md",
        "plugins/pr-review-toolkit/agents/silent-failure-hunter.md",
        "external_plugins/github/agents/triager.md",
      ],
    });
    // The defaults cover plugins/*; the other plugin's agents get a glob of their own.
    expect(d.agents["claude-code"].globs).toEqual([
      ".claude/agents/**/*.md",
      "plugins/*/agents/**/*.md",
      "external_plugins/github/agents/**/*.md",
    ]);
    expect(d.kinds.mcp).toMatchObject({
      defaults: false,
      paths: ["external_plugins/github/.mcp.json", "external_plugins/terraform/.mcp.json"],
    });
    // One glob for the plugins' configs, so a plugin added later is gated too.
    expect(d.kinds.mcp.globs).toContain("external_plugins/*/.mcp.json");
  });

  it("Copilot agents, chat modes and prompt files kept in collections", () => {
    const d = discover(TREES.copilot!);
    expect(d.agents.copilot.paths).toHaveLength(5);
    expect(d.agents.copilot.globs).toEqual(
      expect.arrayContaining(["agents/*.agent.md", "chatmodes/*.chatmode.md", "prompts/*.prompt.md"]),
    );
    expect(d.kinds.prompt.paths).toEqual([]);
  });

  it("skills anywhere (the default glob), and the project settings", () => {
    const d = discover(TREES.skills!);
    expect(d.kinds.skill).toMatchObject({
      defaults: true,
      paths: ["skills/pdf/SKILL.md", "document-skills/xlsx/SKILL.md"],
    });
    expect(d.agents["claude-settings"].paths).toEqual([".claude/settings.json"]);
  });

  it("eval suites by folder, and a promptfoo config at the top by its own file", () => {
    expect(discover(TREES.promptfoo!).suites).toEqual([
      { name: "promptfoo", files: ["promptfooconfig.yaml"], why: "promptfoo config: promptfooconfig.yaml" },
      { name: "smoke", files: ["evals/smoke/**"], why: "eval cases: evals/smoke/cases.yaml" },
    ]);
  });

  it("a folder of code merely named evals is no suite; one with definitions or results is, saying why", () => {
    const tree = [
      "evals/analysis/package.json",
      "evals/analysis/src/index.ts",
      "evals/analysis/tsconfig.json",
      "evals/safety/task.py",
      "evals/safety/helpers.py",
      "evals/nightly/logs/2026-01-01.eval",
      "evals/rag/promptfooconfig.yaml",
      "evals/scripts/run.sh",
    ];
    const d = discover(tree, (p) => p === "evals/safety/task.py");
    expect(d.suites).toEqual([
      { name: "nightly", files: ["evals/nightly/**"], why: "Inspect log: evals/nightly/logs/2026-01-01.eval" },
      { name: "rag", files: ["evals/rag/**"], why: "promptfoo config: evals/rag/promptfooconfig.yaml" },
      { name: "safety", files: ["evals/safety/**"], why: "Inspect task: evals/safety/task.py" },
    ]);
    expect(d.notSuites).toEqual([
      { folder: "evals/analysis", why: "no eval definitions or results among its 3 files" },
      { folder: "evals/scripts", why: "no eval definitions or results among its 1 files" },
    ]);
    // Python that is not an Inspect task is code too.
    expect(discover(tree).suites.map((s) => s.name)).toEqual(["nightly", "rag"]);
    const parsed = parseConfig(".github/capgate.yml", starterConfig(d));
    if (!parsed.ok) throw new Error(parsed.error.reason);
    expect([...parsed.value.suites.keys()].sort()).toEqual(["nightly", "rag", "safety"]);
  });

  it.each(Object.entries(TREES))("the config written for %s is valid and gates what was found", (_name, tree) => {
    const d = discover(tree);
    const parsed = parseConfig(".github/capgate.yml", starterConfig(d));
    if (!parsed.ok) throw new Error(parsed.error.reason);
    const config = parsed.value;
    for (const s of Object.values(d.agents)) for (const p of s.paths) expect(config.agentSource(p), p).not.toBeNull();
    for (const p of d.kinds.mcp.paths) expect(config.artifact.mcp(p), p).toBe(true);
    for (const p of d.kinds.skill.paths) expect(config.artifact.skill(p), p).toBe(true);
  });
});
