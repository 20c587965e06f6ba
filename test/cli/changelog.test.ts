import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { agent, BASE, CONFIG, skill, tool, toolFile } from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** A repository with two releases, v1.0.0 and v1.1.0, and between them what a release does. */
function released(): TestRepo {
  const repo = new TestRepo();
  repos.push(repo);
  repo.commit(
    {
      ...BASE,
      "agents/triage.yaml": agent({ name: "triage-bot", version: "1.0.0", tools: ["tools/lookup.json"], maxSteps: 3 }),
      ".mcp.json": JSON.stringify({ mcpServers: { docs: { command: "npx", args: ["-y", "docs-mcp@1.2.0"] } } }),
    },
    "v1",
  );
  repo.git("tag", "v1.0.0");
  // An agent gains a destructive writing tool, unconfirmed; a read-only tool turns writing.
  repo.commit({
    "tools/refunds.json": toolFile(tool("issue_refund", { readOnlyHint: false, destructiveHint: true })),
    "agents/support.yaml": agent({
      version: "2.0.0",
      tools: ["tools/orders.json", "tools/refunds.json"],
      maxSteps: 12,
    }),
  });
  repo.commit({
    "tools/lookup.json": JSON.stringify({ version: "2.0.0", tools: [tool("lookup_sku", { readOnlyHint: false })] }),
  });
  // A server added, unpinned; one changed; an agent removed; a threshold and a workflow changed.
  repo.commit({
    ".mcp.json": JSON.stringify({
      mcpServers: {
        docs: { command: "npx", args: ["-y", "docs-mcp@1.3.0"] },
        github: { command: "npx", args: ["-y", "@modelcontextprotocol/server-github"] },
      },
    }),
    "agents/triage.yaml": null,
    ".github/capgate.yml": CONFIG.replace("min_pass_rate: 0.95", "min_pass_rate: 0.9"),
    ".github/workflows/ci.yml": "name: ci\non: [push, pull_request]\njobs: {}\n",
    "evals/regression/cases.yaml": "- id: r1\n- id: r2\n",
  });
  repo.git("tag", "v1.1.0");
  return repo;
}

describe("capgate changelog between two releases", () => {
  const repo = released();
  const json = JSON.parse(repo.capgate(["changelog", "--from", "v1.0.0", "--to", "v1.1.0", "--json"]).stdout);

  it("is capgate.changelog/v1: the range and its highest tier", () => {
    // The config and a workflow changed: governance is the ladder's top.
    expect(json).toMatchObject({ capgate: "changelog/v1", tier: "governance" });
    expect(json.from).toMatch(/^[0-9a-f]{40}$/);
  });

  it("says per agent what it gained and lost, with annotations, confirmation and steps", () => {
    const support = json.agents.find((a: { name: string }) => a.name === "support-bot");
    expect(support).toMatchObject({
      from: "tools",
      to: "autonomous",
      escalation: true,
      gained: [
        {
          name: "issue_refund",
          writing: true,
          confirmed: false,
          hints: { readOnly: false, destructive: true, openWorld: true },
        },
      ],
      lost: [],
      steps: { from: 8, to: 12 },
    });
    expect(support.why.join(" ")).toMatch(/gains issue_refund/);
    expect(json.agents.find((a: { name: string }) => a.name === "triage-bot")).toMatchObject({
      from: "tools",
      to: null,
      lost: [expect.objectContaining({ name: "lookup_sku", writing: false })],
    });
  });

  it("lists breaking tool changes, version bumps, servers, eval thresholds and governance, each once", () => {
    // Without readOnlyHint the MCP defaults hold: not read-only, and destructive.
    expect(json.breaking).toEqual([
      { path: "tools/lookup.json", change: "lookup_sku became destructive" },
      { path: "tools/lookup.json", change: "lookup_sku is no longer read-only" },
    ]);
    expect(json.versions).toEqual(
      expect.arrayContaining([{ path: "agents/support.yaml", from: "1.4.0", to: "2.0.0" }]),
    );
    expect(json.servers).toEqual([
      {
        name: "docs",
        path: ".mcp.json",
        status: "changed",
        from: "command npx -y docs-mcp@1.2.0",
        to: "command npx -y docs-mcp@1.3.0",
        pinned: true,
      },
      {
        name: "github",
        path: ".mcp.json",
        status: "added",
        from: null,
        to: "command npx -y @modelcontextprotocol/server-github",
        pinned: false,
      },
    ]);
    expect(json.evals).toEqual([
      {
        suite: "regression",
        files: ["evals/regression/cases.yaml"],
        thresholds: [{ field: "min_pass_rate", from: 0.95, to: 0.9 }],
      },
    ]);
    expect(json.governance).toEqual([
      { path: ".github/capgate.yml", status: "modified" },
      { path: ".github/workflows/ci.yml", status: "modified" },
    ]);
    const all = JSON.stringify(json);
    expect(all.match(/"issue_refund"/g)).toHaveLength(1);
  });

  it("reads as release notes, a section only where there is something to say", () => {
    const md = repo.capgate(["changelog", "--from", "v1.0.0", "--to", "v1.1.0"]).stdout;
    expect(md).toMatch(/^## Capability changes \(v1\.0\.0 → v1\.1\.0\)/);
    for (const s of ["Agents", "Breaking tool changes", "MCP servers", "Eval suites", "Versions", "Governance"])
      expect(md).toContain(`### ${s}`);
    expect(md).toMatch(
      /⚠️ \*\*support-bot\*\* \(`agents\/support\.yaml`\): tools → autonomous; gains `issue_refund` \(writing, destructive, open-world, unconfirmed\); steps 8 → 12/,
    );
    expect(md).toMatch(
      /added \*\*github\*\* in `\.mcp\.json`: `command npx -y @modelcontextprotocol\/server-github` — \*\*not pinned to a version\*\*/,
    );
    expect(md).toMatch(/\*\*regression\*\*: min_pass_rate 0\.95 → 0\.9; 1 definition file changed/);
    const quiet = repo.capgate(["changelog", "--from", "v1.1.0", "--to", "v1.1.0"]).stdout;
    expect(quiet).toMatch(/No prompts, skills, tools, MCP configs, agents or eval suites changed\./);
    expect(quiet).not.toContain("###");
  });

  it("--format github writes the section between capgate's markers", () => {
    const out = repo.capgate(["changelog", "--from", "v1.0.0", "--to", "v1.1.0", "--format", "github"]).stdout;
    expect(out.startsWith("<!-- capgate:changelog -->\n## Capability changes")).toBe(true);
    expect(out.trimEnd().endsWith("<!-- /capgate:changelog -->")).toBe(true);
    expect(repo.capgate(["changelog", "--from", "v1.0.0", "--to", "v1.1.0", "--format", "html"]).code).toBe(2);
  });
});

describe("capgate changelog: what the agents' own entries do not say", () => {
  const repo = new TestRepo();
  repos.push(repo);
  const github = (args: string[], env: Record<string, string>) =>
    JSON.stringify({
      mcpServers: {
        github: {
          command: "docker",
          args: ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server:1.2.0", ...args],
          env,
        },
      },
    });
  repo.commit(
    {
      ...BASE,
      ".mcp.json": github(["--read-only"], { GITHUB_READ_ONLY: "1" }),
      "tools/unused.json": toolFile(tool("list_repos", { readOnlyHint: true })),
      // Unlike any file the change adds, so git does not take its removal for a move.
      "tools/gone.json": JSON.stringify(
        {
          tools: [
            tool(
              "wipe_cache",
              { readOnlyHint: false, destructiveHint: true },
              {
                region: { type: "string", description: "the cache region to wipe, all of it" },
                confirm_token: { type: "string", description: "a token from the operator console" },
              },
            ),
          ],
        },
        null,
        4,
      ),
      ".claude/agents/deployer.md": "---\nname: deployer\ndescription: Deploys.\ntools: Bash\n---\nDeploy.\n",
      ".github/agents/runner.agent.md": "---\nname: runner\ndescription: Runs.\ntools: [read, execute]\n---\nRun.\n",
      ".claude/agents/broken.md": '---\nname: broken\ndescription: "open\ntools: Read\n---\nx\n',
      "tools/ops.json": JSON.stringify({
        tools: [
          tool("restart", { readOnlyHint: false, destructiveHint: false }),
          tool("status", { readOnlyHint: true }),
        ],
      }),
      "agents/ops.yaml": agent({
        name: "ops-bot",
        tools: ["tools/ops.json"],
        maxSteps: 5,
        confirm: ["restart", "status"],
      }),
    },
    "v1",
  );
  repo.git("tag", "v1");
  repo.commit({
    ".mcp.json": github(["--toolsets", "all"], {}),
    "tools/unused.json": toolFile(tool("delete_repository", { readOnlyHint: false, destructiveHint: true })),
    "skills/ship/SKILL.md": skill("ship", "Bash"),
    "skills/ship/run.sh": "#!/bin/sh\ngit push\n",
    "skills/ship/Makefile": "all:\n\t./run.sh\n",
    "tools/gone.json": null,
    // `status` moves to a file that says nothing of it: now writing and destructive, still confirmed.
    "tools/ops.json": toolFile(tool("restart", { readOnlyHint: false, destructiveHint: false })),
    "tools/status.json": toolFile(tool("status")),
    // Every tool now: `execute` is `shell` by another name, not a tool lost.
    ".github/agents/runner.agent.md": "---\nname: runner\ndescription: Runs.\n---\nRun.\n",
    // Readable at last: its worst case was every tool, so nothing is gained or lost by name.
    ".claude/agents/broken.md": "---\nname: broken\ndescription: fixed\ntools: Read, Bash\n---\nx\n",
    // A subagent moved where no agent is read is gone.
    ".claude/agents/deployer.md": null,
    "docs/deployer.md": "---\nname: deployer\ndescription: Deploys.\ntools: Bash\n---\nDeploy.\n",
    "agents/ops.yaml": agent({
      name: "ops-bot",
      tools: ["tools/ops.json", "tools/status.json"],
      maxSteps: 5,
      confirm: ["restart", "status"],
    }),
  });
  repo.git("tag", "v2");
  const json = JSON.parse(repo.capgate(["changelog", "--from", "v1", "--to", "v2", "--json"]).stdout);

  it("a server started differently is changed: its arguments and environment are its capability", () => {
    expect(json.servers).toEqual([
      {
        name: "github",
        path: ".mcp.json",
        status: "changed",
        from: "command docker run -i --rm ghcr.io/github/github-mcp-server:1.2.0 --read-only (env GITHUB_READ_ONLY=1)",
        to: "command docker run -i --rm ghcr.io/github/github-mcp-server:1.2.0 --toolsets all",
        // An image by tag can be moved to other content: only its digest pins it.
        pinned: false,
      },
    ]);
  });

  it("a tool an agent keeps whose annotations change is said, though the agent's tier stays", () => {
    const ops = json.agents.find((a: { name: string }) => a.name === "ops-bot");
    expect(ops).toMatchObject({ from: "write", to: "write", escalation: false, gained: [], lost: [] });
    expect(ops.changed).toEqual([
      {
        from: expect.objectContaining({
          name: "status",
          writing: false,
          hints: expect.objectContaining({ readOnly: true }),
        }),
        to: expect.objectContaining({
          name: "status",
          writing: true,
          hints: expect.objectContaining({ destructive: true }),
        }),
      },
    ]);
    const md = repo.capgate(["changelog", "--from", "v1", "--to", "v2"]).stdout;
    expect(md).toMatch(
      /\*\*ops-bot\*\* \(`agents\/ops\.yaml`\): write; `status` \(read-only, open-world\) is now \(writing, destructive, open-world\)/,
    );
  });

  it("an agent moved where no agent is read is removed, with the tools it had", () => {
    expect(json.agents.find((a: { name: string }) => a.name === "deployer")).toMatchObject({
      path: ".claude/agents/deployer.md",
      from: "write",
      to: null,
      lost: [expect.objectContaining({ name: "Bash", writing: true })],
    });
  });

  it("a tool is not lost under one name and gained under another, nor diffed against an unreadable declaration", () => {
    const runner = json.agents.find((a: { name: string }) => a.name === "runner");
    expect(runner.lost).toEqual([]);
    expect(runner.gained.map((t: { name: string }) => t.name)).not.toContain("shell");
    const broken = json.agents.find((a: { path: string }) => a.path === ".claude/agents/broken.md");
    expect(broken).toMatchObject({ from: "autonomous", gained: [], lost: [], changed: [] });
  });

  it("lists the prompts, skills and tools no agent uses, a skill once, a tool file with the tools it gains and loses", () => {
    expect(json.artifacts).toEqual([
      { path: "skills/ship", kind: "skill", status: "added", tier: "write", gained: [], lost: [] },
      {
        path: "tools/gone.json",
        kind: "tool",
        status: "deleted",
        tier: "write",
        gained: [],
        lost: [{ name: "wipe_cache", writing: true, hints: { readOnly: false, destructive: true, openWorld: true } }],
      },
      {
        path: "tools/unused.json",
        kind: "tool",
        status: "modified",
        tier: "write",
        gained: [
          { name: "delete_repository", writing: true, hints: { readOnly: false, destructive: true, openWorld: true } },
        ],
        lost: [{ name: "list_repos", writing: false, hints: { readOnly: true, destructive: false, openWorld: true } }],
      },
    ]);
    const md = repo.capgate(["changelog", "--from", "v1", "--to", "v2"]).stdout;
    expect(md).toContain("### Prompts, skills and tools no agent uses");
    expect(md).toMatch(/- added skill `skills\/ship` \(write\)\n/);
    expect(md).toMatch(
      /- modified tool file `tools\/unused\.json` \(write\): gains `delete_repository` \(writing, destructive, open-world\); loses `list_repos`/,
    );
  });
});

describe("capgate changelog names the runtime of an agent a runtime declares", () => {
  it("a Codex session widened from a read-only sandbox", () => {
    const repo = new TestRepo();
    repos.push(repo);
    repo.commit({ ...BASE, ".codex/config.toml": 'sandbox_mode = "read-only"\n' }, "v1");
    repo.git("tag", "v1");
    repo.commit({ ".codex/config.toml": 'sandbox_mode = "workspace-write"\n' });
    const out = repo.capgate(["changelog", "--from", "v1", "--to", "HEAD"]);
    expect(out.stdout).toMatch(/\*\*\.codex\/config\.toml\*\* \(`\.codex\/config\.toml`, Codex\): tools → autonomous/);
    const json = JSON.parse(repo.capgate(["changelog", "--from", "v1", "--to", "HEAD", "--json"]).stdout);
    expect(json.agents[0]).toMatchObject({
      path: ".codex/config.toml",
      runtime: "Codex",
      from: "tools",
      to: "autonomous",
    });
  });
});
