import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { CLI_BUNDLE } from "../setup/build-cli.js";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { TestRepo } from "../helpers/repo.js";
import { agent, BASE, CONFIG, tool, toolFile } from "../scenarios/fixture.js";
import { fixtureBytes } from "../helpers/fixtures.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

function repoWith(files = BASE): { repo: TestRepo; base: string } {
  const repo = new TestRepo();
  repos.push(repo);
  const base = repo.commit(files, "base");
  repo.branch("pr");
  return { repo, base };
}

describe("capgate check exit codes", () => {
  it("exits 2 for an unknown revision, naming it", () => {
    const { repo } = repoWith();
    const r = repo.capgate(["check", "--base", "main", "--head", "no-such-branch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--head no-such-branch: no such commit/);
  });

  it("exits 2 when --base or --head is missing, or the command is unknown", () => {
    const { repo } = repoWith();
    expect(repo.capgate(["check", "--head", "main"]).code).toBe(2);
    expect(repo.capgate(["frobnicate"]).code).toBe(2);
    expect(repo.capgate(["check", "--base", "main", "--head", "main", "--bogus"]).code).toBe(2);
    expect(repo.capgate([]).code).toBe(2);
  });

  it("changelog names the flag it was given for an unknown revision", () => {
    const { repo } = repoWith();
    const r = repo.capgate(["changelog", "--from", "main", "--to", "nope"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to nope: no such commit/);
  });

  it("exits 2 when --results names no folder", () => {
    const { repo } = repoWith();
    const r = repo.capgate(["check", "--base", "main", "--head", "main", "--results", "no-such-folder"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--results no-such-folder: no such folder/);
  });

  it("exits 2 outside a git repository", () => {
    const dir = mkdtempSync(join(tmpdir(), "capgate-nogit-"));
    const { repo } = repoWith();
    const r = repo.capgate(["check", "--base", "a", "--head", "b"], dir);
    rmSync(dir, { recursive: true, force: true });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not inside a git repository/);
  });

  it("exits 2 for an invalid config, naming the file and the key", () => {
    const { repo } = repoWith({ ...BASE, ".github/capgate.yml": CONFIG.replace("suites:", "suits: {}\nsuites:") });
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const r = repo.capgate(["check", "--base", "main", "--head", head]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.github\/capgate\.yml/);
    expect(r.stderr).toMatch(/suits/);
  });

  it("exits 2 for a malformed config with its line", () => {
    const { repo } = repoWith({ ...BASE, ".github/capgate.yml": "version: 1\ntiers: [\n" });
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const r = repo.capgate(["check", "--base", "main", "--head", head]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/capgate\.yml:\d+: malformed/);
  });

  it("exits 2 when there is no config at either revision", () => {
    const { repo } = repoWith({ ...BASE, ".github/capgate.yml": null });
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const r = repo.capgate(["check", "--base", "main", "--head", head]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/capgate init/);
  });

  it("exits 2 for an unreadable or invalid approvals file", () => {
    const { repo } = repoWith();
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const missing = repo.capgate(["check", "--base", "main", "--head", head, "--approvals", "/nonexistent/a.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--approvals \/nonexistent\/a.json: cannot be read/);
    const bad = join(repo.dir, "..", "bad-approvals.json");
    writeFileSync(bad, JSON.stringify({ author: "dave", reviews: [{ user: "x", state: "LGTM", commit_id: null }] }));
    const invalid = repo.capgate(["check", "--base", "main", "--head", head, "--approvals", bad]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/state/);
  });

  it("a review whose commit_id is a prototype name is an unknown commit, not a crash", () => {
    const { repo } = repoWith();
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    for (const commit_id of ["constructor", "__proto__", "toString"]) {
      const r = repo.check("main", head, {
        approvals: { author: "dave", reviews: [{ user: "bob", state: "APPROVED", commit_id }], teams: {} },
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      const approval = r.report.requirements.find((q) => q.kind === "approval");
      expect(approval?.detail).toMatch(/a commit unknown here/);
    }
  });

  it("blocks (exit 1) without approvals, saying how to give them", () => {
    const { repo } = repoWith();
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const r = repo.capgate(["check", "--base", "main", "--head", head]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/capgate: BLOCK/);
    expect(r.stdout).toMatch(/To unblock:/);
    expect(r.stdout).toMatch(/--approvals FILE/);
  });

  it("works from a subfolder of the repository", () => {
    const { repo } = repoWith();
    const head = repo.commit({ "README.md": "# more\n" });
    const r = repo.capgate(["check", "--base", "main", "--head", head, "--json"], join(repo.dir, "prompts"));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).tier).toBeNull();
  });

  it("exits 2 in a shallow clone that lacks the base, and says how to fetch it", () => {
    const { repo } = repoWith();
    repo.commit({ "prompts/standalone.md": "one\n" });
    repo.commit({ "prompts/standalone.md": "two\n" });
    const clone = mkdtempSync(join(tmpdir(), "capgate-shallow-"));
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "pr", `file://${repo.dir}`, clone]);
    const base = repo.git("rev-parse", "main");
    const r = repo.capgate(["check", "--base", base, "--head", "HEAD"], clone);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shallow/);
  });
});

describe("capgate tiers, changelog and init", () => {
  it("tiers lists every agent with its tier and reasons", () => {
    const { repo } = repoWith({
      ...BASE,
      "tools/refunds.json": toolFile(tool("issue_refund")),
      "agents/refunds.yaml": agent({ name: "refund-bot", tools: ["tools/refunds.json"], maxSteps: 5 }),
    });
    const r = repo.capgate(["tiers", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { agents: { name: string; tier: string; reasons: string[] }[] };
    const byName = Object.fromEntries(out.agents.map((a) => [a.name, a]));
    expect(byName["support-bot"]?.tier).toBe("tools");
    expect(byName["refund-bot"]?.tier).toBe("autonomous");
    expect(byName["refund-bot"]?.reasons.join(" ")).toMatch(/issue_refund/);
    const text = repo.capgate(["tiers", "--rev", "main"]);
    expect(text.stdout).toMatch(/refund-bot \(agents\/refunds.yaml\): autonomous/);
  });

  it("init writes a valid starter config and refuses to overwrite it", () => {
    const { repo } = repoWith({ ...BASE, ".github/capgate.yml": null });
    const r = repo.capgate(["init"]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(repo.dir, ".github/capgate.yml"), "utf8");
    expect(text).toMatch(/capgate agent manifests: 1 \(agents\/support\.yaml\)/);
    expect(r.stdout).toMatch(/found:\n {2}capgate agent manifests: 1\n/);
    expect(repo.capgate(["init"]).code).toBe(2);
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "config");
    const head = repo.commit({ "prompts/standalone.md": "x\n" });
    const check = repo.capgate(["check", "--base", "pr~1", "--head", head, "--json"]);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout).tier).toBe("chat");
  });

  it("init proposes a suite only where evals are defined, never for a code folder named evals, and says why", () => {
    const { repo } = repoWith({
      ...BASE,
      ".github/capgate.yml": null,
      "evals/regression/cases.yaml": null,
      "evals/redteam/cases.yaml": null,
      "evals/analysis/package.json": '{ "name": "analysis" }\n',
      "evals/analysis/src/index.ts": "export const x = 1;\n",
      "evals/safety/task.py": "from inspect_ai import Task, task\n\n@task\ndef safety():\n    return Task()\n",
      "evals/safety/util.py": "def helper():\n    pass\n",
    });
    const r = repo.capgate(["init"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/eval suite proposed: safety \(Inspect task: evals\/safety\/task\.py\)/);
    expect(r.stdout).toMatch(/not an eval suite: evals\/analysis \(no eval definitions or results/);
    expect(r.stdout).toMatch(/runtimes not found: .*Codex/);
    const config = readFileSync(join(repo.dir, ".github/capgate.yml"), "utf8");
    expect(config).toMatch(/^ {2}safety:$/m);
    expect(config).not.toMatch(/analysis/);
    // A change to the code folder owes no eval suite.
    repo.git("add", "-A");
    repo.git("commit", "-q", "-m", "config");
    const head = repo.commit({ "evals/analysis/src/index.ts": "export const x = 2;\n" });
    const check = JSON.parse(repo.capgate(["check", "--base", "pr~1", "--head", head, "--json"]).stdout);
    expect(check.requirements.filter((q: { kind: string }) => q.kind === "eval")).toEqual([]);
  });
});

describe("init and tiers say which runtimes they found", () => {
  // A marketplace naming two plugins, one that lists its subagent in its manifest (as
  // VoltAgent/awesome-claude-code-subagents does), a session's settings, and a Copilot agent.
  const files = {
    ...BASE,
    ".claude-plugin/marketplace.json": JSON.stringify({
      name: "team",
      owner: { name: "team" },
      plugins: [
        { name: "docs", source: "./categories/docs" },
        { name: "ops", source: "./plugins/ops" },
      ],
    }),
    "categories/docs/.claude-plugin/plugin.json": JSON.stringify({ name: "docs", agents: ["./writer.md"] }),
    "categories/docs/writer.md": "---\nname: writer\ndescription: Writes docs.\ntools: Read, Write\n---\nWrite.\n",
    "plugins/ops/.claude-plugin/plugin.json": JSON.stringify({ name: "ops" }),
    "plugins/ops/agents/runner.md": "---\nname: runner\ndescription: Runs.\ntools: Bash\n---\nRun.\n",
    ".claude/settings.json": JSON.stringify({ permissions: { allow: ["Bash(npm test)"] } }),
    ".github/agents/review.agent.md": "---\nname: review\ndescription: Reviews.\ntools: [search]\n---\nReview.\n",
    ".github/capgate.yml": null,
  };

  it("init finds the agents a marketplace's plugins load, and names each runtime", () => {
    const { repo } = repoWith(files);
    const r = repo.capgate(["init"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^runtimes found: Claude Code \(5 agents, 2 plugins\), Copilot \(1 agent\), capgate agent manifests \(1 agent\)$/m,
    );
    const config = readFileSync(join(repo.dir, ".github/capgate.yml"), "utf8");
    expect(config).toMatch(/# {3}runtimes: Claude Code \(5 agents, 2 plugins\)/);
    expect(config).toMatch(/Claude Code subagents: 2 \(.*categories\/docs\/writer\.md/);
    const json = JSON.parse(repo.capgate(["init", "--force", "--json"]).stdout) as {
      runtimes: { name: string; agents: string[]; plugins: string[] }[];
    };
    expect(json.runtimes.find((x) => x.name === "Claude Code")).toEqual({
      name: "Claude Code",
      agents: [
        ".claude/settings.json",
        "categories/docs/.claude-plugin/plugin.json",
        "categories/docs/writer.md",
        "plugins/ops/.claude-plugin/plugin.json",
        "plugins/ops/agents/runner.md",
      ],
      plugins: ["docs", "ops"],
    });
  });

  it("tiers lists them by runtime, and says what it cannot see into", () => {
    const { repo } = repoWith({
      ...files,
      ".github/capgate.yml": BASE[".github/capgate.yml"]!,
      ".vscode": { symlink: "/opt/ide" },
    });
    const text = repo.capgate(["tiers"]);
    expect(text.stdout).toMatch(
      /^Runtimes found: Claude Code \(5 agents, 2 plugins\), Copilot \(1 agent\), capgate agent manifests \(1 agent\)$/m,
    );
    expect(text.stdout).toMatch(
      /cannot be seen, judged as the worst case: \.vscode is a symbolic link that leaves the repository/,
    );
    expect(text.stdout).toMatch(/writer \(categories\/docs\/writer\.md\): write/);
    const json = JSON.parse(repo.capgate(["tiers", "--json"]).stdout) as { unseen: { path: string }[] };
    expect(json.unseen.map((u) => u.path)).toEqual([".vscode"]);
  });
});

describe("every runtime, found", () => {
  it("init and tiers name each runtime whose agents the repository holds", () => {
    const { repo } = repoWith({
      ...BASE,
      ".codex/config.toml": 'sandbox_mode = "read-only"\n',
      ".gemini/settings.json": JSON.stringify({ general: { defaultApprovalMode: "plan" } }),
      ".cursor/cli.json": JSON.stringify({ permissions: { allow: [], deny: ["Write(**)"] } }),
      ".kiro/agents/dev.json": JSON.stringify({ name: "dev", tools: ["read"] }),
      "opencode.json": JSON.stringify({ permission: "ask" }),
      ".github/workflows/review.yml":
        "on: pull_request\njobs:\n  review:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: openai/codex-action@v1\n        with:\n          sandbox: read-only\n          prompt: Review.\n",
    });
    const line =
      /^Runtimes found: Codex \(1 agent\), Gemini CLI \(1 agent\), Cursor \(1 agent\), Kiro and Amazon Q Developer \(1 agent\), OpenCode \(1 agent\), agents run in CI \(1 agent\)/m;
    const tiers = repo.capgate(["tiers"]);
    expect(tiers.stdout).toMatch(line);
    expect(tiers.stdout).toMatch(/\.codex\/config\.toml \(\.codex\/config\.toml\): tools/);
    expect(tiers.stdout).toMatch(/\.github\/workflows\/review\.yml#review \([^)]*\): tools/);
    const init = repo.capgate(["init", "--force"]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^runtimes found: Codex \(1 agent\), Gemini CLI \(1 agent\)/m);
  });

  it("init names the agents a workflow runs when they are all it finds", () => {
    const { repo } = repoWith({
      "README.md": "# repo\n",
      ".github/workflows/gemini.yml":
        "on: issues\njobs:\n  triage:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google-github-actions/run-gemini-cli@v0\n        with:\n          prompt: Triage.\n",
    });
    const init = repo.capgate(["init"]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^runtimes found: agents run in CI \(1 agent\)$/m);
    expect(init.stdout).not.toMatch(/found no agents/);
  });
});

describe("tiers and links", () => {
  it("a skill Claude Code loads through a linked folder is not listed as one no agent references", () => {
    const { repo } = repoWith({
      ...BASE,
      ".claude/settings.json": JSON.stringify({ permissions: { allow: [] } }),
      ".agents/skills/qa/SKILL.md": "---\nname: qa\ndescription: QA the tools. Use it before a PR.\n---\nRun.\n",
      ".claude/skills": { symlink: "../.agents/skills" },
    });
    const out = JSON.parse(repo.capgate(["tiers", "--json"]).stdout) as {
      unreferenced: { skills: { name: string }[] };
      agents: { name: string }[];
    };
    expect(out.agents.map((a) => a.name)).toContain("Claude Code session");
    expect(out.unreferenced.skills.map((x) => x.name)).not.toContain(".agents/skills/qa");
    // Not vacuous: the fixture's own unreferenced skill is still listed.
    expect(out.unreferenced.skills.map((x) => x.name)).toContain("skills/faq");
  });
});

describe("the bundled example", () => {
  it("blocks the unconfirmed refund tool and passes the confirmed one", () => {
    const out = execFileSync(process.execPath, ["scripts/example.mjs"], {
      encoding: "utf8",
      env: { ...process.env, CAPGATE_CLI: CLI_BUNDLE },
    });
    expect(out).toMatch(/BLOCK — highest tier touched: autonomous/);
    expect(out).toMatch(/PASS — highest tier touched: write/);
    expect(out).toMatch(/2 more approvals from group safety: carol, erin/);
  });
});

describe("the text report on a terminal", () => {
  it("prints repository text without its control sequences or line breaks", () => {
    const { repo } = repoWith();
    const head = repo.commit({ "tools/\u001b[2K\u001b[32mapproved\u001b[0m\rok.json": toolFile(tool("wire_money")) });
    const r = repo.capgate(["check", "--base", "main", "--head", head]);
    expect(r.code).toBe(1);
    // eslint-disable-next-line no-control-regex -- the escape character is what must not be printed
    expect(r.stdout).not.toMatch(/[\u001b\r]/);
    expect(r.stdout).toMatch(/tools\/\ufffd\[2K\ufffd\[32mapproved\ufffd\[0m ok\.json/);
  });
});

describe("readers the bundle loads on first use", () => {
  it("reads a JUnit report and an Inspect log through the bundle, each reader loaded from dist/vendor", () => {
    const config = [
      "version: 1",
      "suites:",
      '  junit: { files: ["evals/**"], results: "results/*.xml" }',
      '  inspect: { files: ["evals/**"], results: "results/*.eval" }',
      "tiers:",
      "  chat: { evals: [junit, inspect] }",
      "",
    ].join("\n");
    const { repo } = repoWith({ ".github/capgate.yml": config, "evals/cases.yaml": "- a\n" });
    const head = repo.commit({ "prompts/standalone.md": "Be brief.\n" });
    // Produced in the workspace, untracked, as an eval step of the job leaves them.
    mkdirSync(join(repo.dir, "results"));
    writeFileSync(
      join(repo.dir, "results", "report.xml"),
      '<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="c" name="one"/>' +
        '<testcase classname="c" name="two"><failure message="no"/></testcase></testsuite></testsuites>\n',
    );
    writeFileSync(
      join(repo.dir, "results", "log.eval"),
      fixtureBytes("inspect", "inspect_ai__tests__log_formats.eval"),
    );
    const r = repo.capgate(["check", "--base", "main", "--head", head, "--json"]);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as { requirements: { id: string; detail?: string }[] };
    const detail = (id: string) => report.requirements.find((q) => q.id === id)?.detail ?? "";
    // The JUnit report was parsed: its suite is judged on its two cases.
    expect(detail("eval:junit")).toMatch(/50(\.0)?%|1 of 2|1\/2/);
    // The Inspect log was unzipped: the commit it was produced for is read from it.
    expect(detail("eval:inspect")).toMatch(/results\/log\.eval: bound to commit [0-9a-f]{7}/);
  });
});
