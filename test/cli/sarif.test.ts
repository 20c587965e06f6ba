import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { agent, BASE, tool, toolFile } from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** The official SARIF 2.1.0 schema (test/fixtures/SOURCES.md), as code scanning validates uploads. */
const validate = (() => {
  // CommonJS packages, required as such.
  const require = createRequire(import.meta.url);
  type Validate = ((data: unknown) => boolean) & { errors?: unknown };
  type Ajv = { compile(schema: unknown): Validate };
  const Ajv = (require("ajv-draft-04") as { default: new (options: object) => Ajv }).default;
  const addFormats = (require("ajv-formats") as { default: (ajv: Ajv) => void }).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, "..", "fixtures", "sarif", "sarif-schema-2.1.0.json"), "utf8"),
  );
  return ajv.compile(schema);
})();

interface Sarif {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; help: { text: string } }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

function sarifOf(repo: TestRepo, head: string): { code: number; log: Sarif } {
  const r = repo.capgate(["check", "--base", "main", "--head", head, "--format", "sarif"]);
  expect([0, 1], r.stderr).toContain(r.code);
  const log = JSON.parse(r.stdout) as Sarif;
  expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
  return { code: r.code, log };
}

/** A repository at BASE with the pull request's branch checked out, removed when the tests end. */
function pullRequestBase(): TestRepo {
  const repo = new TestRepo();
  repos.push(repo);
  repo.commit(BASE, "base");
  repo.branch("pr");
  return repo;
}

const at = (res: Sarif["runs"][0]["results"][0]) => ({
  uri: res.locations[0]!.physicalLocation.artifactLocation.uri,
  line: res.locations[0]!.physicalLocation.region.startLine,
});

describe("check --format sarif", () => {
  it("gives a valid SARIF 2.1.0 result per escalation and per unmet requirement, at its file and line", () => {
    const repo = pullRequestBase();
    const head = repo.commit({
      "tools/refund tools.json": toolFile(tool("get_refund", { readOnlyHint: true }), tool("issue_refund")),
      "agents/refunds.yaml": agent({ name: "refund-bot", tools: ["tools/refund tools.json"], maxSteps: 5 }),
      "tools/broken.json": '{ "tools": [ ',
    });
    const json = JSON.parse(repo.capgate(["check", "--base", "main", "--head", head, "--json"]).stdout) as {
      escalations: unknown[];
      requirements: { status: string; kind: string; id: string }[];
    };
    const { code, log } = sarifOf(repo, head);
    expect(code).toBe(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe("capgate");
    const unmet = json.requirements.filter((r) => r.status !== "met");
    expect(run.results).toHaveLength(json.escalations.length + unmet.length);
    // Every result names a rule the driver defines, with help, and blocks: level error.
    const rules = run.tool.driver.rules;
    for (const res of run.results) {
      expect(rules[res.ruleIndex]!.id).toBe(res.ruleId);
      expect(rules[res.ruleIndex]!.help.text.length).toBeGreaterThan(20);
      expect(res.level).toBe("error");
      expect(at(res).uri).not.toMatch(/^\//);
    }
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    // The escalation is at the agent's file; the unreadable tool file at its own, on its line.
    const escalation = run.results.find((r) => r.ruleId === "capgate/escalation")!;
    expect(at(escalation).uri).toBe("agents/refunds.yaml");
    expect(escalation.message.text).toMatch(/refund-bot/);
    const artifact = run.results.find((r) => r.ruleId === "capgate/artifact")!;
    expect(at(artifact).uri).toBe("tools/broken.json");
    expect(at(artifact).line).toBe(1);
    // What the change as a whole owes (evals, approvals) is at the config, on the suite's line.
    const regression = run.results.find((r) => r.ruleId === "capgate/eval" && /regression/.test(r.message.text))!;
    expect(at(regression).uri).toBe(".github/capgate.yml");
    const configLines = readFileSync(join(repo.dir, ".github/capgate.yml"), "utf8").split("\n");
    expect(configLines[at(regression).line - 1]).toMatch(/regression/);
    expect(run.results.some((r) => r.ruleId === "capgate/approval")).toBe(true);
  });

  it("percent-encodes paths and keeps repository text on one line", () => {
    const repo = pullRequestBase();
    const head = repo.commit({
      "tools/refund tools.json": toolFile(tool("issue_refund")),
      "agents/re\u202efunds.yaml": agent({ name: "bot\nname", tools: ["tools/refund tools.json"], maxSteps: 5 }),
    });
    const { log } = sarifOf(repo, head);
    const uris = log.runs[0]!.results.map((r) => at(r).uri);
    expect(uris).toContain("agents/re%E2%80%AEfunds.yaml");
    for (const r of log.runs[0]!.results) expect(r.message.text).not.toMatch(/[\n\r\u202e]/);
  });

  it("is checked by a schema that refuses what is not SARIF", () => {
    expect(validate({ version: "2.1.0", runs: [{ results: [] }] })).toBe(false);
    expect(
      validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: {} }] }] }),
    ).toBe(false);
  });

  it("has no results on a clean pass", () => {
    const repo = pullRequestBase();
    const head = repo.commit({ "README.md": "# product\n" });
    const { code, log } = sarifOf(repo, head);
    expect(code).toBe(0);
    expect(log.runs[0]!.results).toEqual([]);
    expect(log.runs[0]!.tool.driver.rules.length).toBeGreaterThan(0);
  });
});

describe("a change that reaches many agents", () => {
  it("a deleted server reaching 40 agents makes no report line over 400 characters, in any format", () => {
    const repo = new TestRepo();
    repos.push(repo);
    const agents: Record<string, string> = {};
    for (let i = 1; i <= 40; i++)
      agents[`.claude/agents/specialised-helper-agent-number-${i}.md`] =
        `---\nname: specialised-helper-agent-number-${i}\ndescription: helper ${i}\ntools: Read, mcp__database-production-readonly-replica__query\n---\nHelp.\n`;
    repo.commit(
      {
        ...BASE,
        ".mcp.json": JSON.stringify({
          mcpServers: { "database-production-readonly-replica": { command: "npx", args: ["-y", "db-mcp@1.2.3"] } },
        }),
        ...agents,
      },
      "base",
    );
    repo.branch("pr");
    const head = repo.commit({ ".mcp.json": JSON.stringify({ mcpServers: {} }) });
    const json = JSON.parse(repo.capgate(["check", "--base", "main", "--head", head, "--json"]).stdout) as {
      changes: { path: string; agents: string[] }[];
    };
    expect(json.changes.find((c) => c.path === ".mcp.json")?.agents).toHaveLength(40);
    for (const format of ["text", "json", "sarif"]) {
      const r = repo.capgate(["check", "--base", "main", "--head", head, "--format", format]);
      expect(r.code, r.stderr).toBe(1);
      const long = r.stdout.split("\n").filter((l) => [...l].length > 400);
      expect(long, format).toEqual([]);
    }
  });
});
