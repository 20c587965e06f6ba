import { agent, CONFIG, confirmedRefund, results, skill, tool, toolFile } from "./fixture.js";
import { digestsOf, resultFile, sampleFile, type ReviewSpec, type Scenario } from "./runner.js";

const ALL_RESULTS = { regression: {}, redteam: {} };

/** A results file with one more case. */
function withCase(file: string, c: { id: string; pass: boolean; slice: Record<string, string> }): string {
  const doc = JSON.parse(file) as { cases: unknown[] };
  doc.cases.push({ tags: [], ...c });
  return JSON.stringify(doc);
}
/** The scenarios' config with committed results of suite regression trusted. */
const TRUSTING_REGRESSION = CONFIG.replace(
  '    results: "eval-results/regression*.json"\n',
  '    results: "eval-results/regression*.json"\n    trust_committed_results: true\n',
);
const ML_AND_SAFETY: ReviewSpec[] = [{ user: "alice" }, { user: "carol" }];
const TWO_SAFETY: ReviewSpec[] = [{ user: "carol" }, { user: "erin" }];
const refundTool = toolFile(
  tool("issue_refund", undefined, { order_id: { type: "string" }, cents: { type: "integer" } }),
);

/**
 * The product contract as end-to-end scenarios: each built as a real repository and checked by the
 * CLI. Two test files run halves of the table, so the suite's workers share it.
 */
export const scenarios: Scenario[] = [
  {
    name: "nothing gated changed",
    head: { "README.md": "# product\nMore words.\n" },
    expect: { decision: "pass", tier: null, unmet: [] },
  },
  {
    name: "unreferenced prompt edit touches chat and passes with its evidence",
    head: { "prompts/standalone.md": "Summarise the text in three sentences.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", unmet: [] },
  },
  {
    name: "unreferenced prompt edit without results is blocked on the eval",
    head: { "prompts/standalone.md": "Summarise.\n" },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /no result files match/ },
    },
  },
  {
    name: "an unconfirmed refund tool makes the agent autonomous",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "block",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      unmet: ["approval"],
      reason: /issue_refund/,
      detail: { "approval:2 from safety": /1 more approval from group safety: erin/ },
    },
  },
  {
    name: "the same refund tool behind confirmation, with full evidence, passes at write",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
        confirm: ["issue_refund"],
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: ["support-bot:tools>write"], unmet: [] },
  },
  {
    name: "escalation without a major version bump fails version discipline",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "1.5.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
        confirm: ["issue_refund"],
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", escalations: ["support-bot:tools>write"], unmet: ["version"] },
  },
  {
    name: "a single-step agent with an unconfirmed writing tool is write",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 1,
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: ["support-bot:tools>write"] },
  },
  {
    name: "a missing max_steps is unlimited",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json", "tools/refunds.json"] }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      reason: /unlimited/,
    },
  },
  {
    name: "dropping readOnlyHint from a referenced tool escalates the agent it reaches",
    head: {
      "tools/orders.json": toolFile(tool("get_order")),
      "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json"], maxSteps: 8 }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      reason: /get_order is no longer read-only/,
    },
  },
  {
    name: "readOnlyHint false is writing too",
    head: {
      "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: false })),
      "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json"], maxSteps: 8 }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["support-bot:tools>autonomous"] },
  },
  {
    name: "removing the confirmation of a writing tool escalates write to autonomous",
    base: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
        confirm: ["issue_refund"],
      }),
    },
    head: { "agents/support.yaml": agent({ tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:write>autonomous"],
      reason: /issue_refund no longer needs confirmation/,
    },
  },
  {
    name: "moving a tool to another referenced file changes nothing about it",
    head: {
      "tools/orders.json": toolFile(),
      "tools/orders-v2.json": toolFile(tool("get_order", { readOnlyHint: true })),
      "agents/support.yaml": agent({
        version: "1.4.1",
        tools: ["tools/orders.json", "tools/orders-v2.json"],
        maxSteps: 8,
      }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools", escalations: [] },
  },
  {
    name: "a renamed tool file with the agent updated is not an escalation",
    head: {
      "tools/orders.json": null,
      "tools/order-tools.json": toolFile(tool("get_order", { readOnlyHint: true })),
      "agents/support.yaml": agent({ version: "1.4.1", tools: ["tools/order-tools.json"], maxSteps: 8 }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools", escalations: [] },
  },
  {
    name: "deleting a tool file an agent still names is an artifact error",
    head: { "tools/orders.json": null },
    results: ALL_RESULTS,
    reviews: [...TWO_SAFETY, { user: "alice" }],
    expect: {
      decision: "block",
      tier: "autonomous",
      unmet: ["artifact", "version"],
      detail: { "artifact:agents/support.yaml": /tools\/orders.json, which does not exist/ },
    },
  },
  {
    name: "a tool named under only: that the file no longer defines is the worst case",
    base: {
      "agents/support.yaml": agent({
        version: "1.4.0",
        tools: [{ path: "tools/orders.json", only: ["get_order"] }],
        maxSteps: 8,
      }),
    },
    head: { "tools/orders.json": toolFile(tool("get_orders", { readOnlyHint: true })) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "block",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      unmet: ["artifact", "version"],
      detail: {
        "artifact:agents/support.yaml": /lists tool "get_order" under only:, but tools\/orders.json does not define it/,
      },
    },
  },
  {
    name: "a skill folder outside the skill globs is a skill when an agent references it",
    base: {
      ".github/capgate.yml": CONFIG.replace(
        "version: 1\n",
        'version: 1\nartifacts:\n  skill: ["skills/**/SKILL.md"]\n',
      ),
      ".claude/skills/deploy/SKILL.md": skill("deploy", "Read"),
      ".claude/skills/deploy/run.sh": "echo deploy\n",
      "agents/support.yaml": agent({
        version: "1.4.0",
        tools: ["tools/orders.json"],
        skills: [".claude/skills/deploy"],
        maxSteps: 3,
      }),
    },
    head: {
      ".claude/skills/deploy/SKILL.md": skill("deploy", "Read Bash"),
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json"],
        skills: [".claude/skills/deploy"],
        maxSteps: 3,
      }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    // The repository's Claude Code session may load the same skill with its Skill tool.
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous", "Claude Code session:write>autonomous"],
      unmet: [],
    },
  },
  {
    name: "a file in a referenced skill folder outside the globs reaches the agent",
    base: {
      ".github/capgate.yml": CONFIG.replace(
        "version: 1\n",
        'version: 1\nartifacts:\n  skill: ["skills/**/SKILL.md"]\n',
      ),
      ".claude/skills/deploy/SKILL.md": skill("deploy", "Read Bash"),
      ".claude/skills/deploy/run.sh": "echo deploy\n",
      "agents/support.yaml": agent({
        version: "1.4.0",
        tools: ["tools/orders.json"],
        skills: [".claude/skills/deploy"],
        maxSteps: 3,
      }),
    },
    head: { ".claude/skills/deploy/run.sh": "echo deploy --force\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "autonomous", escalations: [], unmet: ["approval", "eval"] },
  },
  {
    name: "a SKILL.md outside the skill globs that no agent references stays ungated",
    base: {
      ".github/capgate.yml": CONFIG.replace(
        "version: 1\n",
        'version: 1\nartifacts:\n  skill: ["skills/**/SKILL.md"]\n',
      ),
      "vendor/examples/demo/SKILL.md": skill("demo", "Read"),
    },
    head: { "vendor/examples/demo/SKILL.md": skill("demo", "Read Bash") },
    expect: { decision: "pass", tier: null, unmet: [] },
  },
  {
    name: "a tool file its agent stops referencing has its own tier, not the agent's",
    head: {
      "agents/support.yaml": agent({ version: "1.4.1", maxSteps: 8 }),
      "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true }), tool("purge_orders")),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [], unmet: [] },
  },
  {
    name: "deleting a tool together with its reference counts at the agent's head tier",
    head: { "tools/orders.json": null, "agents/support.yaml": agent({ version: "1.4.1", maxSteps: 8 }) },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", escalations: [] },
  },
  {
    name: "deleting an agent is not an escalation",
    head: { "agents/support.yaml": null },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", escalations: [] },
  },
  {
    name: "an unreferenced unannotated tool has the intrinsic tier write",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [] },
  },
  {
    name: "an unreferenced read-only tool is tools",
    head: { "tools/lookup.json": toolFile(tool("lookup_sku", { readOnlyHint: true, title: "Lookup" })) },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools" },
  },
  {
    name: "an MCP server whose tools are not declared is an unknown writing tool",
    head: {
      ".mcp.json": JSON.stringify({ mcpServers: { github: { command: "github-mcp-server", args: ["stdio"] } } }),
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json"],
        servers: ["github"],
        maxSteps: 8,
      }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      reason: /mcp:github/,
    },
  },
  {
    name: "a server with declared read-only tools keeps the agent at tools",
    base: { ".mcp.json": JSON.stringify({ mcpServers: { docs: { url: "https://docs.example.com/mcp" } } }) },
    head: {
      "tools/docs.json": toolFile(tool("search_docs", { readOnlyHint: true })),
      "agents/support.yaml": agent({
        version: "1.5.0",
        tools: ["tools/orders.json"],
        servers: [{ name: "docs", tools: ["tools/docs.json"] }],
        maxSteps: 8,
      }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools", escalations: [] },
  },
  {
    name: "changing an MCP config touches the agents using its servers",
    base: {
      ".mcp.json": JSON.stringify({ mcpServers: { github: { command: "github-mcp-server" } } }),
      "agents/support.yaml": agent({ tools: ["tools/orders.json"], servers: ["github"], maxSteps: 1 }),
    },
    head: {
      ".mcp.json": JSON.stringify({ mcpServers: { github: { command: "github-mcp-server", args: ["--write"] } } }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [] },
  },
  {
    name: "naming an MCP server no config declares is an artifact error",
    head: {
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json"],
        servers: ["nowhere"],
        maxSteps: 1,
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "block",
      tier: "write",
      unmet: ["artifact"],
      detail: { "artifact:agents/support.yaml": /"nowhere"/ },
    },
  },
  {
    name: "a skill with Bash in allowed-tools makes a multi-step agent autonomous",
    head: {
      "skills/deploy/SKILL.md": skill("deploy", "Read Bash(git push:*)"),
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json"],
        skills: ["skills/deploy"],
        maxSteps: 4,
      }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      reason: /Bash\(git push:\*\)/,
    },
  },
  {
    name: "a skill with only read-only tools keeps the agent at tools",
    head: {
      "agents/support.yaml": agent({
        version: "1.5.0",
        tools: ["tools/orders.json"],
        skills: ["skills/faq"],
        maxSteps: 4,
      }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools", escalations: [] },
  },
  {
    name: "a skill without allowed-tools gives no tool of its own: unreferenced, it is chat",
    head: { "skills/faq/SKILL.md": skill("faq") },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "chat" },
  },
  {
    name: "a skill without allowed-tools touches the agent that loads it, at the agent's tier",
    base: {
      "skills/faq/SKILL.md": skill("faq"),
      "agents/support.yaml": agent({ tools: ["tools/orders.json"], skills: ["skills/faq"], maxSteps: 4 }),
    },
    head: { "skills/faq/SKILL.md": skill("faq") + "Answer in one line.\n" },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "pass",
      tier: "tools",
      escalations: [],
      changes: { "skills/faq/SKILL.md": { agents: ["support-bot"] } },
    },
  },
  {
    name: "a file inside a referenced skill folder touches the agent through the skill",
    base: {
      "skills/deploy/SKILL.md": skill("deploy", "Bash"),
      "skills/deploy/scripts/run.sh": "echo deploy\n",
      "agents/support.yaml": agent({
        tools: ["tools/orders.json"],
        skills: ["skills/deploy"],
        maxSteps: 4,
        confirm: ["Bash"],
      }),
    },
    head: { "skills/deploy/scripts/run.sh": "echo deploy --prod\n" },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [] },
  },
  {
    name: "a new agent above chat is an escalation",
    head: {
      "agents/ops.yaml": agent({ name: "ops-bot", tools: ["tools/lookup.json"], maxSteps: 3 }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "pass", tier: "tools", escalations: ["ops-bot:null>tools"] },
  },
  {
    name: "changing the capgate config touches governance and needs its approvals",
    head: { ".github/capgate.yml": CONFIG.replace("min_cases: 20", "min_cases: 10") },
    reviews: [{ user: "alice" }],
    expect: { decision: "block", tier: "governance", unmet: ["approval"] },
  },
  {
    name: "a workflow change touches governance and passes with a safety approval",
    head: { ".github/workflows/ci.yml": "name: ci\non: [push, pull_request]\njobs: {}\n" },
    reviews: [{ user: "erin" }],
    expect: { decision: "pass", tier: "governance" },
  },
  {
    name: "governance plus a tool change needs both tiers' requirements",
    head: {
      ".github/workflows/ci.yml": "name: ci\non: [pull_request]\njobs: {}\n",
      "tools/orders.json": toolFile(
        tool("get_order", { readOnlyHint: true }),
        tool("list_orders", { readOnlyHint: true }),
      ),
    },
    reviews: [{ user: "erin" }],
    expect: { decision: "block", tier: "governance", unmet: ["approval", "eval"] },
  },
  {
    name: "a pull request cannot lower its own bar: the base config judges it",
    head: {
      ".github/capgate.yml": "version: 1\ntiers: {}\n",
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
      }),
    },
    expect: { decision: "block", tier: "governance", unmet: ["approval", "eval"] },
  },
  {
    name: "a pull request that writes an invalid config is blocked before it can break the gate",
    head: { ".github/capgate.yml": CONFIG.replace("min_cases: 20", "min_case: 20") },
    reviews: [{ user: "erin" }],
    expect: {
      decision: "block",
      tier: "governance",
      unmet: ["artifact"],
      detail: { "artifact:.github/capgate.yml": /min_case/ },
    },
  },
  {
    name: "an agent naming a path outside the repository is an artifact error",
    head: {
      "agents/support.yaml": agent({ version: "1.4.1", tools: ["tools/orders.json", "../../etc/passwd"], maxSteps: 8 }),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "block",
      tier: "autonomous",
      unmet: ["artifact", "version"],
      detail: { "artifact:agents/support.yaml": /not a path inside the repository/ },
    },
  },
  {
    name: "a tool file outside the tool globs counts once an agent references it",
    base: {
      "config/agent-tools.json": toolFile(tool("get_order", { readOnlyHint: true })),
      "agents/support.yaml": agent({ tools: ["config/agent-tools.json"], maxSteps: 8 }),
    },
    head: { "config/agent-tools.json": toolFile(tool("get_order")) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["support-bot:tools>autonomous"] },
  },
  {
    name: "an eval-only change to redteam touches the highest tier requiring it",
    head: { "evals/redteam/cases.yaml": "- id: t1\n- id: t2\n" },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      statuses: { "holdout:redteam": "met" },
      detail: { "holdout:redteam": /evals\/redteam\/cases\.yaml changed, but nothing redteam gates changed with it/ },
    },
  },
  {
    name: "a holdout suite changing with an artifact it gates blocks",
    head: {
      "evals/redteam/cases.yaml": "- id: t1\n- id: easy\n",
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
        confirm: ["issue_refund"],
      }),
    },
    results: ALL_RESULTS,
    reviews: [...ML_AND_SAFETY, { user: "erin" }],
    expect: { decision: "block", tier: "autonomous", unmet: ["holdout"], statuses: { "holdout:redteam": "failed" } },
  },
  {
    name: "a malformed agent manifest is an artifact error",
    head: { "agents/support.yaml": "name: support-bot\ntools: [tools/orders.json\n" },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "block", tier: "autonomous", unmet: ["artifact"] },
  },
  {
    name: "an unknown key in an agent manifest is an artifact error",
    head: {
      "agents/support.yaml": agent({ version: "1.4.1", tools: ["tools/orders.json"], maxSteps: 8 }).replace(
        '"name"',
        '"confrim": ["x"], "name"',
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "block",
      unmet: ["artifact"],
      tier: "autonomous",
      detail: { "artifact:agents/support.yaml": /confrim/ },
    },
  },
  {
    name: "a YAML alias bomb in a tool file is an artifact error",
    head: {
      "tools/bomb.yaml":
        'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n',
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["artifact"], detail: { "artifact:tools/bomb.yaml": /alias/ } },
  },
  {
    name: "a __proto__ key in an MCP config is an artifact error",
    head: { ".mcp.json": '{"mcpServers": {"__proto__": {"command": "x"}}}' },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["artifact"], detail: { "artifact:.mcp.json": /__proto__/ } },
  },
  {
    name: "duplicate keys in a tool file are an error, not a silent read-only",
    head: {
      "tools/lookup.json":
        '{"name": "lookup_sku", "inputSchema": {}, "annotations": {"readOnlyHint": false, "readOnlyHint": true}}',
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["artifact"] },
  },
  {
    name: "a symlinked tool file inside the repository is read at its target, as a checkout reads it",
    head: { "tools/link.json": { symlink: "orders.json" } },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "tools" },
  },
  {
    name: "a symlinked tool file that leaves the repository is an artifact error, said as such",
    head: { "tools/link.json": { symlink: "/etc/passwd" } },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "block",
      unmet: ["artifact"],
      tier: "write",
      detail: { "artifact:tools/link.json": /symbolic link that leaves the repository/ },
    },
  },
  {
    name: "a binary prompt is an artifact error",
    head: { "prompts/standalone.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]) },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["artifact"],
      detail: { "artifact:prompts/standalone.md": /binary/ },
    },
  },
  {
    name: "an oversized tool file is an artifact error",
    head: { "tools/huge.json": `{"name": "x", "inputSchema": {}, "description": "${"a".repeat(1_100_000)}"}` },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["artifact"], detail: { "artifact:tools/huge.json": /limit/ } },
  },
  {
    name: "odd but legal paths are read correctly",
    head: { "prompts/new\nline \u00e9 [x].md": "---\nversion: 1.0.0\n---\nHi\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat" },
  },
  {
    name: "a versioned prompt that changes without a bump fails",
    head: {
      "prompts/support/system.md": "---\nid: support-system\nversion: 1.0.0\n---\nYou are a terse support assistant.\n",
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: { decision: "block", tier: "tools", unmet: ["version"] },
  },
  {
    name: "a breaking change to a versioned tool file needs a major bump",
    base: {
      "tools/lookup.json": JSON.stringify({
        version: "1.2.0",
        tools: [tool("lookup_sku", { readOnlyHint: true }, { sku: { type: "string" }, region: { type: "string" } })],
      }),
    },
    head: {
      "tools/lookup.json": JSON.stringify({
        version: "1.3.0",
        tools: [tool("lookup_sku", { readOnlyHint: true }, { sku: { type: "string" } })],
      }),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: {
      decision: "block",
      tier: "tools",
      unmet: ["version"],
      detail: { "version:tools/lookup.json": /region removed/ },
    },
  },
  {
    name: "an agent that escalates through a tool file, its manifest untouched, owes a major bump",
    head: { "tools/orders.json": toolFile(tool("get_order")) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "block",
      tier: "autonomous",
      escalations: ["support-bot:tools>autonomous"],
      unmet: ["version"],
      detail: { "version:agents/support.yaml": /manifest is unchanged: raise its version 1\.4\.0 to at least 2\.0\.0/ },
    },
  },
  ...nestedSchemaScenarios(),
  {
    name: "changes requested by anyone block when a touched tier's rules name no group",
    head: {
      "prompts/standalone.md": "Summarise briefly.\n",
      "tools/lookup.json": toolFile(tool("lookup_sku", { readOnlyHint: true }, { sku: { type: "string" } })),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }, { user: "bob" }, { user: "mallory", state: "CHANGES_REQUESTED" }],
    expect: {
      decision: "block",
      tier: "tools",
      unmet: ["approval"],
      statuses: { "changes-requested:mallory": "failed", "approval:1 from ml": "met" },
    },
  },
  {
    name: "changes requested by anyone block when a touched tier has no approval rules",
    base: {
      ".github/capgate.yml": CONFIG.replace(
        "tools:      { evals: [regression], approvals: { count: 1, from: [ml] } }",
        "tools:      { evals: [regression] }",
      ),
    },
    head: { "tools/lookup.json": toolFile(tool("lookup_sku", { readOnlyHint: true }, { sku: { type: "string" } })) },
    results: { regression: {} },
    reviews: [{ user: "mallory", state: "CHANGES_REQUESTED" }],
    expect: {
      decision: "block",
      tier: "tools",
      unmet: ["approval"],
      statuses: { "changes-requested:mallory": "failed" },
    },
  },
  {
    name: "a rule the group cannot meet without the author says so",
    head: {
      "tools/refunds.json": refundTool,
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
      }),
    },
    results: ALL_RESULTS,
    author: "carol",
    reviews: [{ user: "erin" }],
    expect: {
      decision: "block",
      tier: "autonomous",
      unmet: ["approval"],
      detail: {
        "approval:2 from safety":
          /1 more approval from group safety \(have erin\); the group has only 1 eligible member besides the author, so the rule cannot be met until it grows/,
      },
    },
  },
  {
    name: "the author's own approval and a bot's never count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: {} },
    author: "dave",
    reviews: [{ user: "dave" }, { user: "renovate[bot]" }, { user: "helper", bot: true }],
    expect: { decision: "block", tier: "chat", unmet: ["approval"] },
  },
  {
    name: "an approval with no commit does not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob", at: null }],
    expect: { decision: "block", tier: "chat", unmet: ["approval"] },
  },
  {
    name: "an approval on an older commit counts when no gated file changed since",
    steps: [{ "prompts/standalone.md": "Summarise briefly.\n" }],
    head: { "README.md": "# product\nDocs only.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob", at: 0 }],
    expect: { decision: "pass", tier: "chat" },
  },
  {
    name: "an approval on an older commit does not count when a gated file changed since",
    steps: [{ "prompts/standalone.md": "Summarise briefly.\n" }],
    head: { "prompts/standalone.md": "Summarise at length.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob", at: 0 }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["approval"],
      detail: { "approval:1 from anyone": /changed since/ },
    },
  },
  {
    name: "a later approval replaces an earlier request for changes",
    head: {
      "tools/lookup.json": toolFile(
        tool("lookup_sku", { readOnlyHint: true }),
        tool("lookup_price", { readOnlyHint: true }),
      ),
    },
    results: { regression: {} },
    reviews: [{ user: "alice", state: "CHANGES_REQUESTED" }, { user: "alice" }],
    expect: { decision: "pass", tier: "tools" },
  },
  {
    name: "changes requested by a member of a required group blocks",
    head: {
      "tools/lookup.json": toolFile(
        tool("lookup_sku", { readOnlyHint: true }),
        tool("lookup_price", { readOnlyHint: true }),
      ),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }, { user: "bob", state: "CHANGES_REQUESTED" }],
    expect: { decision: "block", tier: "tools", unmet: ["approval"], statuses: { "changes-requested:bob": "failed" } },
  },
  {
    name: "changes requested by someone outside the named groups does not block",
    head: {
      "tools/lookup.json": toolFile(
        tool("lookup_sku", { readOnlyHint: true }),
        tool("lookup_price", { readOnlyHint: true }),
      ),
    },
    results: { regression: {} },
    reviews: [{ user: "alice" }, { user: "mallory", state: "CHANGES_REQUESTED" }],
    expect: { decision: "pass", tier: "tools" },
  },
  {
    name: "changes requested by anyone blocks when the rules name no group",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }, { user: "mallory", state: "CHANGES_REQUESTED" }],
    expect: { decision: "block", tier: "chat", unmet: ["approval"] },
  },
  {
    name: "a team that cannot be resolved leaves its rule unmet",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    teams: { "@acme/ml": ["alice"] },
    expect: {
      decision: "block",
      tier: "write",
      unmet: ["approval"],
      detail: { "approval:1 from safety": /@acme\/trust-safety/ },
    },
  },
  {
    name: "results bound to another commit do not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: { commit: "0123456789abcdef0123456789abcdef01234567" } },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /bound to commit 0123456/ },
    },
  },
  {
    name: "untracked results in a workspace checked out at another commit do not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": resultFile("regression") },
    checkoutBase: true,
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "chat", unmet: ["eval"], detail: { "eval:regression": /checked out at/ } },
  },
  {
    name: "result files committed in the pull request are not trusted by default",
    head: { "prompts/standalone.md": "Summarise briefly.\n", "eval-results/regression.json": resultFile("regression") },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /committed in the change/ },
    },
  },
  {
    name: "a result committed in an earlier pull request never counts, even with digests of this head",
    base: { "eval-results/regression.json": digestsOf("regression", ["prompts/standalone.md"]) },
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /committed to the repository \(tracked in git at head\)/ },
    },
  },
  {
    name: "a committed result with digests of this head counts when its suite trusts committed results",
    base: {
      ".github/capgate.yml": TRUSTING_REGRESSION,
      "eval-results/regression.json": digestsOf("regression", ["prompts/standalone.md"]),
    },
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat" },
  },
  {
    name: "a pass rate exactly at the floor is met",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: { pass: 19, fail: 1 } },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat" },
  },
  {
    name: "a pass rate below the floor fails",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: { pass: 18, fail: 2 } },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /pass rate 90% is below 95%/ },
    },
  },
  {
    name: "too few cases fail min_cases",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: { pass: 10 } },
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "chat", unmet: ["eval"], detail: { "eval:regression": /at least 20/ } },
  },
  {
    name: "a failing canary fails the suite whatever the pass rate",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: { regression: {}, redteam: { pass: 100, canaryFail: 1 } },
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["eval"], detail: { "eval:redteam": /canary/ } },
  },
  {
    name: "a slice under its floor fails",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: { regression: {}, redteam: { pass: 300, fail: 1 } },
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["eval"], detail: { "eval:redteam": /slice locale=xx/ } },
  },
  {
    // Either slice would be the files' order (a.json before B.json or after): neither counts.
    name: "a case two result files put in different slices fails the suite, in whatever order the files come",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: { regression: {} },
    untracked: {
      "eval-results/redteam-a.json": withCase(results("redteam", {}, undefined), {
        id: "twice",
        pass: true,
        slice: { locale: "en" },
      }),
      "eval-results/redteam-B.json": withCase(results("redteam", { pass: 0 }, undefined), {
        id: "twice",
        pass: true,
        slice: { locale: "fr" },
      }),
    },
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "block",
      tier: "write",
      unmet: ["eval"],
      detail: {
        "eval:redteam":
          /case twice is in slice locale=fr in eval-results\/redteam-B\.json and locale=en in eval-results\/redteam-a\.json/,
      },
    },
  },
  {
    name: "a metric out of bounds fails",
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: { regression: {}, redteam: { ece: 0.2 } },
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["eval"], detail: { "eval:redteam": /ece/ } },
  },
  {
    name: "promptfoo's own output counts as results for a suite (the real sample: four failing cases)",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: {
      "eval-results/regression.json": sampleFile("promptfoo/promptfoo__test__fixtures__sample-export.json"),
    },
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "chat", unmet: ["eval"], detail: { "eval:regression": /0\/4 passed/ } },
  },
  {
    name: "an Inspect log bound to the head by eval.revision.commit counts",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: {
      "eval-results/regression.json": sampleFile("inspect/inspect_ai__tests__log_formats.json", { rebindToHead: true }),
    },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /0\/1 passed.*commit [0-9a-f]{7}/ },
    },
  },
  {
    name: "an Inspect log from another commit does not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": sampleFile("inspect/inspect_ai__tests__log_formats.json") },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /bound to commit 02526f4/ },
    },
  },
  {
    name: "an Inspect .eval log is read as the log it holds: from another commit it does not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": sampleFile("inspect/inspect_ai__tests__log_formats.eval") },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /bound to commit 02526f4/ },
    },
  },
  ...baselineScenarios(),
  {
    name: "a result committed in the change does not count when --results reaches the repository through a link",
    head: {
      "prompts/standalone.md": "Summarise briefly.\n",
      "eval-results/regression.json": digestsOf("regression", ["prompts/standalone.md"]),
    },
    resultsViaLink: true,
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /committed in the change under review/ },
    },
  },
  {
    name: "a result moved into the results folder by the change is committed in it",
    steps: [{ "notes/regression.json": digestsOf("regression", ["prompts/standalone.md"]) }],
    head: {
      "prompts/standalone.md": "Summarise briefly.\n",
      "notes/regression.json": null,
      "eval-results/regression.json": digestsOf("regression", ["prompts/standalone.md"]),
    },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /committed in the change under review/ },
    },
  },
  {
    name: "an empty digests map binds a result to nothing",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": results("regression", { digests: {} }, undefined) },
    resultsOutside: true,
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /empty digests map/ },
    },
  },
  {
    name: "an agent still naming a skill folder the change moved away is an artifact error",
    base: {
      "agents/support.yaml": agent({
        version: "1.4.0",
        tools: ["tools/orders.json"],
        skills: ["skills/faq"],
        maxSteps: 8,
      }),
    },
    head: {
      "skills/faq/SKILL.md": null,
      "skills/faq/notes.md": null,
      "skills/help/SKILL.md": skill("faq", "Read Grep"),
      "skills/help/notes.md": "FAQ notes.\n",
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "block",
      tier: "autonomous",
      detail: { "artifact:agents/support.yaml": /names skill skills\/faq, which has no SKILL\.md/ },
    },
  },
  {
    name: "a prompt file inside a skill folder reaches the skill's agents",
    base: {
      "agents/support.yaml": agent({
        version: "1.4.0",
        tools: ["tools/orders.json"],
        skills: ["skills/faq"],
        maxSteps: 8,
      }),
    },
    head: { "skills/faq/examples.prompt": "Answer from the FAQ.\n" },
    results: { regression: {} },
    reviews: [{ user: "mallory" }],
    expect: { decision: "block", tier: "tools", unmet: ["approval"] },
  },
  {
    name: "suites that share a results glob each take the files that name them",
    base: {
      ".github/capgate.yml": CONFIG.replace('"eval-results/regression*.json"', '"eval-results/*.json"').replace(
        '"eval-results/redteam*.json"',
        '"eval-results/*.json"',
      ),
    },
    head: confirmedRefund(),
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: ["support-bot:tools>write"], unmet: [] },
  },
  {
    name: "a suite named like an Object.prototype member is a plain name",
    base: { ".github/capgate.yml": CONFIG.replace(/regression/g, "toString") },
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { toString: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", unmet: [] },
  },
  {
    name: "untracked results from a workspace with uncommitted edits to a gated file do not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    dirty: { "prompts/standalone.md": "Summarise in one word.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /prompts\/standalone\.md differ from the checked-out commit/ },
    },
  },
  {
    name: "uncommitted edits to ungated files leave untracked results bound",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    dirty: { "README.md": "# product\nLocal notes.\n" },
    results: { regression: {} },
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", unmet: [] },
  },
  {
    name: "untracked results produced at the pull request's merge commit count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": resultFile("regression") },
    checkoutMerge: "base",
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", unmet: [] },
  },
  {
    name: "untracked results produced at a merge of the head into another commit do not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": resultFile("regression") },
    checkoutMerge: "other",
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /produced in a workspace checked out at [0-9a-f]{7}, not the gated head/ },
    },
  },
  {
    name: "results outside the repository that carry no commit or digests do not count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": resultFile("regression") },
    resultsOutside: true,
    reviews: [{ user: "bob" }],
    expect: {
      decision: "block",
      tier: "chat",
      unmet: ["eval"],
      detail: { "eval:regression": /outside the repository's working tree and carries no commit or digests/ },
    },
  },
  {
    name: "results outside the repository that carry the head commit count",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: {} },
    resultsOutside: true,
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", unmet: [] },
  },
  {
    name: "results whose digests do not match head content do not count",
    base: {
      ".github/capgate.yml": TRUSTING_REGRESSION,
      "eval-results/regression.json": digestsOf("regression", ["prompts/support/system.md"], { content: "base" }),
    },
    head: {
      "prompts/standalone.md": "Summarise briefly.\n",
      "prompts/support/system.md": "---\nid: support-system\nversion: 1.0.1\n---\nChanged.\n",
    },
    reviews: [{ user: "bob" }, { user: "alice" }],
    expect: {
      decision: "block",
      tier: "tools",
      unmet: ["eval"],
      detail: { "eval:regression": /digest for prompts\/support\/system.md does not match/ },
    },
  },
  {
    name: "a result file naming another suite is an error",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    results: { regression: { suite: "redteam" } },
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "chat", unmet: ["eval"], statuses: { "eval:regression": "failed" } },
  },
  {
    name: "a malformed result file fails its suite",
    head: { "prompts/standalone.md": "Summarise briefly.\n" },
    untracked: { "eval-results/regression.json": "{not json" },
    reviews: [{ user: "bob" }],
    expect: { decision: "block", tier: "chat", unmet: ["eval"], statuses: { "eval:regression": "failed" } },
  },
  {
    name: "a required file missing at head",
    base: { "docs/rollback.md": null },
    head: { "tools/new.json": toolFile(tool("send_email")) },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "block", tier: "write", unmet: ["file"] },
  },
  ...attackScenarios(),
  {
    name: "a repository's first config is read from head and touches governance",
    base: { ".github/capgate.yml": null },
    head: { ".github/capgate.yml": CONFIG },
    reviews: [{ user: "carol" }],
    expect: { decision: "pass", tier: "governance" },
  },
];

/** Pull requests trying to pass on evidence their author wrote, beside the honest ones. */
function attackScenarios(): Scenario[] {
  const escalate = {
    "tools/refunds.json": refundTool,
    "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }),
  };
  const noBaseConfig = { ".github/capgate.yml": null };
  return [
    {
      name: "no config at base: a config without approval rules does not let an agent escalate unreviewed",
      base: noBaseConfig,
      head: { ".github/capgate.yml": "version: 1\n", ...escalate },
      expect: {
        decision: "block",
        tier: "governance",
        escalations: ["support-bot:tools>autonomous"],
        unmet: ["approval"],
        statuses: { "baseline:approval:2 from anyone": "missing", "baseline:approval:1 from anyone": "missing" },
      },
    },
    {
      name: "no config at base: the same escalation passes with the baseline's two approvals",
      base: noBaseConfig,
      head: { ".github/capgate.yml": "version: 1\n", ...escalate },
      reviews: [{ user: "bob" }, { user: "alice" }],
      expect: { decision: "pass", tier: "governance", escalations: ["support-bot:tools>autonomous"] },
    },
    {
      name: "no config at base: the pull request's globs cannot hide an agent from the baseline",
      base: noBaseConfig,
      head: {
        ".github/capgate.yml": 'version: 1\nartifacts:\n  agent: ["nowhere/**"]\n  tool: ["nowhere/**"]\n',
        ...escalate,
      },
      reviews: [{ user: "bob" }],
      expect: {
        decision: "block",
        tier: "governance",
        unmet: ["approval"],
        statuses: { "baseline:approval:2 from anyone": "missing" },
        detail: { "baseline:approval:2 from anyone": /1 more approval/ },
      },
    },
    {
      name: "no config at base: the pull request's read-only classification cannot lower the baseline's tier",
      base: noBaseConfig,
      head: { ".github/capgate.yml": 'version: 1\nclassify:\n  read_only: ["*"]\n', ...escalate },
      reviews: [{ user: "bob" }],
      expect: { decision: "block", tier: "governance", statuses: { "baseline:approval:2 from anyone": "missing" } },
    },
    {
      name: "no config at base: the author's own approval is not the baseline's",
      base: noBaseConfig,
      head: { ".github/capgate.yml": "version: 1\n", ...escalate },
      reviews: [{ user: "dave" }, { user: "bob" }, { user: "ci-bot[bot]" }],
      expect: { decision: "block", tier: "governance", statuses: { "baseline:approval:2 from anyone": "missing" } },
    },
    {
      name: "digests that name only the unchanged eval set bind nothing a prompt change touched",
      head: { "prompts/standalone.md": "Summarise briefly.\n" },
      untracked: { "eval-results/regression.json": digestsOf("regression", ["evals/regression/cases.yaml"]) },
      resultsOutside: true,
      reviews: [{ user: "bob" }],
      expect: {
        decision: "block",
        tier: "chat",
        unmet: ["eval"],
        detail: { "eval:regression": /do not name prompts\/standalone\.md/ },
      },
    },
    {
      name: "digests naming the changed prompt bind a result kept outside the working tree",
      head: { "prompts/standalone.md": "Summarise briefly.\n" },
      untracked: {
        "eval-results/regression.json": digestsOf("regression", [
          "prompts/standalone.md",
          "evals/regression/cases.yaml",
        ]),
      },
      resultsOutside: true,
      reviews: [{ user: "bob" }],
      expect: { decision: "pass", tier: "chat" },
    },
    {
      name: "with trust_committed_results, a change to a committed result touches every tier requiring its suite",
      base: { ".github/capgate.yml": TRUSTING_REGRESSION },
      head: { "eval-results/regression.json": digestsOf("regression", ["prompts/standalone.md"]) },
      reviews: [{ user: "bob" }],
      expect: {
        decision: "block",
        tier: "autonomous",
        unmet: ["approval", "eval"],
        // chat's, tools', write's and autonomous' approvers all see it.
        statuses: {
          "approval:1 from anyone": "met",
          "approval:1 from ml": "met",
          "approval:1 from safety": "missing",
          "approval:2 from safety": "missing",
        },
      },
    },
  ];
}

/** Breaking changes below the top level of a versioned tool's input schema. */
function nestedSchemaScenarios(): Scenario[] {
  const schema = (address: Record<string, unknown>, labels: Record<string, unknown>) => ({
    address: { type: "object", properties: address, required: ["street"] },
    labels: { type: "array", items: labels },
  });
  const file = (version: string, props: Record<string, unknown>) =>
    JSON.stringify({ version, tools: [tool("lookup_sku", { readOnlyHint: true }, props)] });
  const before = schema(
    { street: { type: "string" }, zip: { type: "number" } },
    { type: "string", enum: ["red", "blue"] },
  );
  const scenario = (name: string, after: Record<string, unknown>, detail: RegExp | null): Scenario => ({
    name,
    base: { "tools/lookup.json": file("1.0.0", before) },
    head: { "tools/lookup.json": file("1.1.0", after) },
    results: { regression: {} },
    reviews: [{ user: "alice" }],
    expect: detail
      ? { decision: "block", tier: "tools", unmet: ["version"], detail: { "version:tools/lookup.json": detail } }
      : { decision: "pass", tier: "tools", unmet: [] },
  });
  return [
    scenario(
      "a nested property removed is a breaking change",
      schema({ street: { type: "string" } }, { type: "string", enum: ["red", "blue"] }),
      /lookup_sku\.address\.zip removed/,
    ),
    scenario(
      "a nested property made required is a breaking change",
      { ...before, address: { ...before.address, required: ["street", "zip"] } },
      /lookup_sku\.address\.zip is now required/,
    ),
    scenario(
      "a nested type narrowed is a breaking change",
      schema({ street: { type: "string" }, zip: { type: "integer" } }, { type: "string", enum: ["red", "blue"] }),
      /lookup_sku\.address\.zip type narrowed \(number → integer\)/,
    ),
    scenario(
      "an enum value removed from array items is a breaking change",
      schema({ street: { type: "string" }, zip: { type: "number" } }, { type: "string", enum: ["red"] }),
      /lookup_sku\.labels\[\] enum narrowed/,
    ),
    {
      ...scenario("a property that gains a type is narrowed", {}, /lookup_sku\.note type narrowed \(any → string\)/),
      base: { "tools/lookup.json": file("1.0.0", { ...before, note: { description: "free text" } }) },
      head: { "tools/lookup.json": file("1.1.0", { ...before, note: { type: "string" } }) },
    },
    scenario(
      "a nested property added and a type widened are not breaking",
      schema(
        { street: { type: "string" }, zip: { type: ["number", "string"] }, city: { type: "string" } },
        { type: "string", enum: ["red", "blue", "green"] },
      ),
      null,
    ),
  ];
}

/** The suite regression with a baseline and max_drop 0.02, and the ways a baseline can be given. */
function baselineScenarios(): Scenario[] {
  const config = CONFIG.replace(
    "min_cases: 20\n",
    'min_cases: 20\n    baseline: "eval-results/baseline/regression*.json"\n    max_drop: 0.02\n',
  );
  const BASELINE = "eval-results/baseline/regression.json";
  const head = { "prompts/standalone.md": "Summarise briefly.\n" };
  const common = { results: { regression: { pass: 19, fail: 1 } }, reviews: [{ user: "bob" }] };
  const failed = (detail: RegExp): Scenario["expect"] => ({
    decision: "block",
    tier: "chat",
    unmet: ["eval"],
    statuses: { "eval:regression": "failed" },
    detail: { "eval:regression": detail },
  });
  return [
    {
      name: "a pass rate that drops more than max_drop from the tracked baseline fails",
      base: { ".github/capgate.yml": config, [BASELINE]: resultFile("regression") },
      head,
      ...common,
      expect: failed(/dropped 5% from the baseline 100%/),
    },
    {
      name: "a drop within max_drop of the tracked baseline passes",
      base: { ".github/capgate.yml": config, [BASELINE]: resultFile("regression") },
      head,
      results: { regression: { pass: 59, fail: 1 } },
      reviews: [{ user: "bob" }],
      expect: { decision: "pass", tier: "chat", unmet: [] },
    },
    {
      name: "a pull request that rewrites its own baseline is not judged by it",
      base: { ".github/capgate.yml": config, [BASELINE]: resultFile("regression") },
      head: { ...head, [BASELINE]: results("regression", { pass: 5, fail: 5 }, undefined) },
      ...common,
      expect: failed(/baseline.*regression\.json is changed by this pull request/),
    },
    {
      name: "a pull request that deletes its baseline is not let off the drop rule",
      base: { ".github/capgate.yml": config, [BASELINE]: resultFile("regression") },
      head: { ...head, [BASELINE]: null },
      ...common,
      expect: failed(/is changed by this pull request/),
    },
    {
      name: "a malformed baseline fails the suite, naming the file",
      base: { ".github/capgate.yml": config, [BASELINE]: '{"capgate": "results/v1", "cases": [' },
      head,
      ...common,
      expect: failed(/cannot use the baseline: eval-results\/baseline\/regression\.json/),
    },
    {
      name: "an untracked baseline with no commit is bound to nothing and fails",
      base: { ".github/capgate.yml": config },
      head,
      ...common,
      untracked: { [BASELINE]: resultFile("regression") },
      expect: failed(/nothing binds it to the base/),
    },
    {
      name: "an untracked baseline carrying the base's commit counts",
      base: { ".github/capgate.yml": config },
      head,
      ...common,
      untracked: { [BASELINE]: resultFile("regression", { boundTo: "base" }) },
      expect: failed(/dropped 5% from the baseline 100%/),
    },
  ];
}
