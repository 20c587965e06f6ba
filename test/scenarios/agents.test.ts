import { describe, it } from "vitest";
import { fixture, fixtureBytes } from "../helpers/fixtures.js";
import { CONFIG } from "./fixture.js";
import { checkScenario, type ReviewSpec, type Scenario } from "./runner.js";

/**
 * Agents declared where teams declare them (PRODUCT §2b), from real files: Claude Code subagents
 * and settings, Copilot agents, chat modes and prompt files, MCP configs in their clients'
 * dialects, skill folders holding binary files.
 */

const ALL_RESULTS = { regression: {}, redteam: {} };
const TWO_SAFETY: ReviewSpec[] = [{ user: "carol" }, { user: "erin" }];
const ML_AND_SAFETY: ReviewSpec[] = [{ user: "alice" }, { user: "carol" }];

const settings = (permissions: Record<string, unknown>, more: Record<string, unknown> = {}) =>
  JSON.stringify({ permissions, ...more }, null, 2) + "\n";
const subagent = (fields: string) => `---\nname: helper\ndescription: Helps with the task.\n${fields}---\nYou help.\n`;

const claude = (file: string) => fixture("agents-claude", file);
const copilot = (file: string) => fixture("agents-copilot", file);

const scenarios: Scenario[] = [
  {
    name: "widening a Claude Code allow rule from one command to every command escalates the session to autonomous",
    base: { ".claude/settings.json": settings({ allow: ["Bash(npm test)"] }) },
    head: { ".claude/settings.json": settings({ allow: ["Bash(*)"] }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous"],
      reason: /Bash now runs without asking: \.claude\/settings\.json: `Bash\(\*\)` in permissions\.allow/,
    },
  },
  {
    name: "allow rules scoped to commands pre-confirm those commands: the session stays at write",
    base: { ".claude/settings.json": settings({ allow: [] }) },
    head: {
      ".claude/settings.json": settings({
        allow: ["Bash(npm test)", "Bash(npm run test:*)", "Bash(git status:*)", "Bash(git diff:*)", "Read(./src/**)"],
      }),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [] },
  },
  {
    name: "a real settings file pre-approving find and gh api runs commands that delete and send unasked: autonomous",
    base: { ".claude/settings.json": settings({ allow: [] }) },
    head: { ".claude/settings.json": fixture("claude-settings", "getsentry-sentry__.claude_settings.json") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous"],
      reason: /Bash\(find:\*\).*Bash\(gh api:\*\)|Bash\(gh api:\*\).*Bash\(find:\*\)/,
    },
  },
  {
    name: "a settings change reaches every subagent that runs under it",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash\n"),
    },
    head: { ".claude/settings.json": settings({ allow: ["Bash"] }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous", "helper:write>autonomous"],
      reason:
        /helper: write → autonomous: Bash now runs without asking: \.claude\/settings\.json: `Bash` in permissions\.allow/,
    },
  },
  {
    name: "a real subagent with only Read and Grep is a new agent at tools",
    head: {
      ".claude/agents/conversation-analyzer.md": claude(
        "anthropics-claude-plugins-official__plugins_hookify_agents_conversation-analyzer.md",
      ),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "tools", escalations: ["conversation-analyzer:null>tools"] },
  },
  {
    name: "a real subagent that leaves out tools has every tool, each asked for: write",
    head: {
      ".claude/agents/code-reviewer.md": claude(
        "anthropics-claude-plugins-official__plugins_pr-review-toolkit_agents_code-reviewer.md",
      ),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "pass",
      tier: "write",
      escalations: ["code-reviewer:null>write"],
      reason: /writing tools .*Bash.* each call confirmed by a human/,
    },
  },
  {
    name: "a subagent in bypassPermissions mode runs Bash without asking: autonomous",
    head: { ".claude/agents/helper.md": subagent("tools: Bash\npermissionMode: bypassPermissions\n") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:null>autonomous"],
      reason:
        /Bash \(Claude Code built-in; runs shell commands\) runs without asking \(permission mode bypassPermissions asks nothing\) in an unlimited loop \(no maxTurns\)/,
    },
  },
  {
    name: "a subagent of a single turn is write, whatever it runs without asking",
    head: { ".claude/agents/helper.md": subagent("tools: Bash\npermissionMode: bypassPermissions\nmaxTurns: 1\n") },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: ["helper:null>write"], reason: /maxTurns: 1/ },
  },
  {
    name: "a subagent in auto mode lets a classifier approve its calls: autonomous",
    head: {
      ".claude/agents/context-collector.md": claude(
        "dmitrii-bystrov-private-mobile-sdd-factory@3f46afc7__.claude_agents_context-collector.md",
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["context-collector:null>autonomous"],
      reason: /permission mode auto lets a classifier approve calls without asking/,
    },
  },
  {
    name: "acceptEdits in the settings lets a subagent's edits through unasked",
    base: { ".claude/settings.json": settings({ defaultMode: "acceptEdits" }) },
    head: { ".claude/agents/helper.md": subagent("tools: Read, Edit\n") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["helper:null>autonomous"], reason: /acceptEdits/ },
  },
  {
    name: "what the settings deny is not the agent's, even in bypassPermissions",
    base: {
      ".claude/settings.json": settings({
        defaultMode: "bypassPermissions",
        deny: [
          "Bash",
          "Edit",
          "MultiEdit",
          "Write",
          "NotebookEdit",
          "WebFetch",
          "WebSearch",
          "SlashCommand",
          "PowerShell",
          "Artifact",
          "EnterWorktree",
        ],
      }),
    },
    head: { ".claude/agents/helper.md": subagent("") },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "tools", escalations: ["helper:null>tools"] },
  },
  {
    name: "disallowedTools takes tools away, a server's too, from a subagent given every tool",
    base: { ".mcp.json": JSON.stringify({ mcpServers: { db: { command: "pg-mcp" } } }) },
    head: {
      ".claude/agents/helper.md": subagent(
        "permissionMode: bypassPermissions\ndisallowedTools: Bash, Edit, MultiEdit, Write, NotebookEdit, WebFetch, WebSearch, SlashCommand, PowerShell, Artifact, EnterWorktree, mcp__db\n",
      ),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "tools", escalations: ["helper:null>tools"] },
  },
  {
    name: "disallowedTools takes whole tools away, as Claude Code does: what is left still runs unasked in bypassPermissions",
    base: { ".claude/agents/helper.md": subagent("tools: Read\n") },
    head: {
      ".claude/agents/helper.md": subagent(
        "permissionMode: bypassPermissions\ndisallowedTools: Bash(rm:*), Edit(/etc/**), Write(/etc/**), WebFetch(domain:x.invalid), WebSearch(x), NotebookEdit(x), MultiEdit(x), SlashCommand(x), Bash(\n",
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:tools>autonomous"],
      reason: /gains PowerShell .*bypassPermissions/,
    },
  },
  {
    name: "an allow rule whose specifier matches every path (`**/*`) pre-confirms the whole tool",
    base: { ".claude/settings.json": settings({ allow: ["Edit(src/**)"] }) },
    head: { ".claude/settings.json": settings({ allow: ["Edit(**/*)", "Write(**/*)"] }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous"],
      reason:
        /Edit, MultiEdit, Write, NotebookEdit now run without asking: \.claude\/settings\.json: `Edit\(\*\*\/\*\)` in permissions\.allow/,
    },
  },
  {
    name: "an allow rule for every server (`mcp__*`) pre-confirms every server's tools",
    base: {
      ".mcp.json": JSON.stringify({ mcpServers: { db: { command: "pg-mcp" } } }),
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, mcp__db__query\n"),
    },
    head: { ".claude/settings.json": settings({ allow: ["mcp__*"] }) },
    results: ALL_RESULTS,
    reviews: [...ML_AND_SAFETY, { user: "erin" }],
    expect: { decision: "pass", tier: "autonomous", escalations: ["helper:write>autonomous"] },
  },
  {
    name: "a deny rule whose wildcards cover only part of a tool leaves it",
    head: {
      ".claude/settings.json": settings({ allow: ["Bash"], deny: ["Edit(**/.*)", "Write(**/.*)"] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash, Edit, Write\n"),
    },
    results: ALL_RESULTS,
    reviews: [...ML_AND_SAFETY, { user: "erin" }],
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:null>autonomous", "Claude Code session:write>autonomous"],
      reason: /helper: .*Bash/,
    },
  },
  {
    name: "disallowedTools naming a tool with a command takes the whole tool away, as Claude Code does",
    head: {
      ".claude/settings.json": settings({ allow: ["Bash"] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash, Edit\ndisallowedTools: Bash(./*)\n"),
    },
    results: ALL_RESULTS,
    reviews: [...ML_AND_SAFETY, { user: "erin" }],
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:null>write", "Claude Code session:write>autonomous"],
    },
  },
  {
    name: "a deny rule that cannot be read takes nothing away",
    head: {
      ".claude/settings.json": settings({ deny: ["Bash(", "mcp__*"] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash\npermissionMode: bypassPermissions\n"),
    },
    results: ALL_RESULTS,
    reviews: [...ML_AND_SAFETY, { user: "erin" }],
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:null>autonomous"],
    },
  },
  {
    name: "`tools: *` gives a subagent every tool, Bash among them",
    base: { ".claude/settings.json": settings({ allow: ["Bash"] }) },
    head: { ".claude/agents/helper.md": subagent('tools: "*"\n') },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["helper:null>autonomous"], reason: /Bash/ },
  },
  {
    name: "a PreToolUse hook in the settings may approve calls: the session and its subagents run unasked",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash\n"),
    },
    head: {
      ".claude/settings.json": settings(
        { allow: [] },
        { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./approve.sh" }] }] } },
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "governance",
      escalations: ["Claude Code session:write>autonomous", "helper:write>autonomous"],
      reason:
        /Bash now runs without asking: \.claude\/settings\.json: a PreToolUse hook \(matcher `Bash`\) may approve it/,
    },
  },
  {
    name: "a subagent moved where no agent is read is removed like a deleted one: no escalation, the lowest tier",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/deployer.md": subagent("tools: Bash\n"),
    },
    head: { ".claude/agents/deployer.md": null, "docs/deployer.md": subagent("tools: Bash\n") },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "chat", escalations: [] },
  },
  {
    name: "a project skill pre-approving Bash escalates every agent that may load it with the Skill tool",
    base: {
      ".claude/settings.json": settings({ allow: ["Bash(npm test)"] }),
      ".claude/agents/helper.md": subagent("tools: Read, Skill\n"),
      ".claude/agents/reader.md": subagent("tools: Read\n").replace("name: helper", "name: reader"),
    },
    head: {
      ".claude/skills/ship/SKILL.md":
        "---\nname: ship\ndescription: Ships the release. Use it to ship.\nallowed-tools: Bash\n---\nRun the release script.\n",
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous", "helper:tools>autonomous"],
      reason:
        /helper: tools → autonomous: .*Bash.*skill \.claude\/skills\/ship \(loaded with the Skill tool\) pre-approves it/,
    },
  },
  {
    name: "deleting a project skill that pre-approved Bash reaches the agents that could load it",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Skill\n"),
      ".claude/skills/ship/SKILL.md":
        "---\nname: ship\ndescription: Ships the release. Use it to ship.\nallowed-tools: Bash\n---\nRun the release script.\n",
    },
    head: { ".claude/skills/ship/SKILL.md": null },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [] },
  },
  {
    name: "a skill folder that is a symbolic link inside the repository is read at its target: what it pre-approves reaches the agents that may load it",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Skill\n"),
      "docs/ship/SKILL.md":
        "---\nname: ship\ndescription: Ships the release. Use it to ship.\nallowed-tools: Bash\n---\nRun the release script.\n",
    },
    head: { ".claude/skills/ship": { symlink: "../../docs/ship" } },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous", "helper:tools>autonomous"],
      reason: /skill \.claude\/skills\/ship \(loaded with the Skill tool\) pre-approves it in allowed-tools/,
    },
  },
  {
    name: "a skill folder that is a symbolic link out of the repository is the worst case for the agents that may load it",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Skill\n"),
    },
    head: { ".claude/skills/ship": { symlink: "/opt/shared/skills/ship" } },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous", "helper:tools>autonomous"],
      reason:
        /skill \.claude\/skills\/ship \(loaded with the Skill tool\) cannot be read, so it may pre-approve any tool/,
    },
  },
  {
    name: "a skill beside a subagent deeper in the repository reaches it (a monorepo package's .claude)",
    base: {
      ".github/capgate.yml": CONFIG.replace(
        "version: 1\n",
        "version: 1\nartifacts:\n  agent:\n    claude-code: [packages/*/.claude/agents/*.md]\n",
      ),
      "packages/web/.claude/agents/helper.md": subagent("tools: Read, Skill\n"),
    },
    head: {
      "packages/web/.claude/skills/ship/SKILL.md":
        "---\nname: ship\ndescription: Ships the release. Use it to ship.\nallowed-tools: Bash\n---\nRun the release script.\n",
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    // Claude Code started in packages/web loads the skill too: that folder's session gains Bash.
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:tools>autonomous", "Claude Code session in packages/web:write>autonomous"],
    },
  },
  {
    name: "a slash command pre-approving git push escalates the agents that may run it with the SlashCommand tool",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, SlashCommand\n"),
      ".claude/commands/review.md": "---\ndescription: Reviews.\n---\nReview the diff.\n",
    },
    head: {
      ".claude/commands/release/ship.md":
        "---\ndescription: Ships.\nallowed-tools: Bash(git push:*)\n---\nPush the release.\n",
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Claude Code session:write>autonomous", "helper:write>autonomous"],
      reason: /command \.claude\/commands\/release\/ship\.md \(run with the SlashCommand tool\) pre-approves it/,
    },
  },
  {
    name: "a project skill that pre-approves nothing gives an agent with the Skill tool nothing: it touches the agents that load it at their tiers",
    base: { ".claude/agents/helper.md": subagent("tools: Read, Skill\n") },
    head: {
      ".claude/skills/notes/SKILL.md":
        "---\nname: notes\ndescription: Takes notes. Use it for notes.\n---\nWrite notes.\n",
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "pass",
      tier: "write",
      escalations: [],
      changes: { ".claude/skills/notes/SKILL.md": { agents: ["Claude Code session", "helper"] } },
    },
  },
  {
    name: "a server named like a Copilot tool set reaches the agents that name the set",
    base: {
      ".vscode/mcp.json": JSON.stringify({ servers: { search: { command: "admin-mcp", disabled: true } } }),
      ".github/agents/finder.agent.md": "---\nname: finder\ndescription: Finds.\ntools: [read, search]\n---\nFind.\n",
    },
    head: { ".vscode/mcp.json": JSON.stringify({ servers: { search: { command: "admin-mcp" } } }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["finder:tools>autonomous"] },
  },
  {
    name: "a subagent's own PreToolUse hook may approve its calls",
    base: {
      ".claude/settings.json": settings({ allow: [] }),
      ".claude/agents/helper.md": subagent("tools: Read, Bash\n"),
    },
    head: {
      ".claude/agents/helper.md": subagent(
        "tools: Read, Bash\nhooks:\n  PreToolUse:\n    - matcher: Bash\n      hooks:\n        - type: command\n          command: ./approve.sh\n",
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "governance",
      escalations: ["helper:write>autonomous"],
      reason: /Bash now runs without asking: its own frontmatter: a PreToolUse hook \(matcher `Bash`\)/,
    },
  },
  {
    name: "a merge key in a subagent's frontmatter is read as the worst case, not skipped",
    base: { ".claude/agents/helper.md": subagent("tools: Read\n") },
    head: { ".claude/agents/helper.md": subagent("tools: Read\n<<: {permissionMode: bypassPermissions}\n") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["helper:tools>autonomous"], reason: /merge key/ },
  },
  {
    name: "a disabled server in another client's config does not hide the live one a subagent uses",
    base: {
      ".mcp.json": JSON.stringify({ mcpServers: { github: { command: "github-mcp" } } }),
      ".claude/agents/helper.md": subagent(
        "tools: Read, mcp__github__create_issue\npermissionMode: bypassPermissions\n",
      ),
    },
    head: { ".cursor/mcp.json": JSON.stringify({ mcpServers: { github: { command: "github-mcp", disabled: true } } }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: [] },
  },
  {
    name: "a Copilot name that is both a built-in tool set and an inline server's name is read both ways",
    base: { ".github/agents/finder.agent.md": "---\nname: finder\ndescription: Finds.\ntools: [read]\n---\nFind.\n" },
    head: {
      ".github/agents/finder.agent.md":
        "---\nname: finder\ndescription: Finds.\ntools: [read, 'search/*']\nmcp-servers:\n  search:\n    command: npx\n    args: [some-admin-mcp]\n    tools: ['*']\n---\nFind.\n",
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    // The server it adds runs whatever release of some-admin-mcp is latest: pinned at write and above.
    expect: {
      decision: "block",
      tier: "autonomous",
      escalations: ["finder:tools>autonomous"],
      unmet: ["pin"],
      detail: { "pin:search": /some-admin-mcp@X\.Y\.Z/ },
    },
  },
  {
    name: "a real subagent whose frontmatter strict YAML rejects is read as Claude Code repairs it: its own tools, asked for",
    head: {
      ".claude/agents/code-quality-reviewer.md": claude(
        "anthropics-claude-code-action__.claude_agents_code-quality-reviewer.md",
      ),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: {
      decision: "pass",
      tier: "write",
      escalations: ["code-quality-reviewer:null>write"],
      reason: /WebFetch/,
    },
  },
  {
    name: "a real Copilot agent with github/* and execute is autonomous: Copilot documents no asking",
    head: {
      ".github/agents/foundry.agent.md": copilot("github-awesome-copilot__agents_custom-agent-foundry.agent.md"),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["Custom Agent Foundry:null>autonomous"],
      reason: /github\/\*.* without asking \(Copilot does not document asking before a tool call/,
    },
  },
  {
    name: "a real Copilot agent that leaves out tools, with an inline server, has every tool",
    head: { ".github/agents/arm.agent.md": copilot("github-awesome-copilot__agents_arm-migration.agent.md") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    // Its inline server runs an image by the tag `latest`: pinned only by its digest.
    expect: {
      decision: "block",
      tier: "autonomous",
      escalations: ["arm-migration-agent:null>autonomous"],
      reason: /custom-mcp\/skopeo/,
      unmet: ["pin"],
      detail: { "pin:custom-mcp": /armlimited\/arm-mcp@sha256:/ },
    },
  },
  {
    name: "a real chat mode of read-only tools and fetch is autonomous: fetch sends what it read",
    head: {
      ".github/chatmodes/planner.chatmode.md": copilot(
        "github-awesome-copilot@7b7f9d51__chatmodes_planner.chatmode.md",
      ),
    },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["planner:null>autonomous"],
      reason: /fetch \(Copilot built-in/,
    },
  },
  {
    name: "a prompt file that names no tools and is not in agent mode binds none",
    head: { ".github/prompts/summarise.prompt.md": "---\ndescription: Summarise the file.\n---\nSummarise ${file}.\n" },
    results: ALL_RESULTS,
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", escalations: [] },
  },
  {
    name: "a real Prompty file that defines a function tool binds it like an agent: autonomous",
    head: { "prompts/weather.prompty": fixture("prompty", "prompty-v2__runtime_python_tests_tools_function.prompty") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "pass", tier: "autonomous", escalations: ["function-tools:null>autonomous"] },
  },
  {
    name: "a real dotprompt that names no tools is a prompt: chat",
    head: { "prompts/support.prompt": fixture("dotprompt", "dotprompt__examples__valid-customer-support.prompt") },
    results: ALL_RESULTS,
    reviews: [{ user: "bob" }],
    expect: { decision: "pass", tier: "chat", escalations: [] },
  },
  {
    name: "a server added to VS Code's mcp.json (with comments) reaches the agents that may use every server",
    base: {
      ".vscode/mcp.json": fixture("mcp-config", "microsoft-vscode__.vscode_mcp.json"),
      ".claude/agents/helper.md": subagent(""),
    },
    head: {
      ".vscode/mcp.json": `{
  // the browser server, and a new database one
  "servers": {
    "vscode-playwright-mcp": { "type": "stdio", "command": "npm", "args": ["run", "start-mcp"] },
    "db": { "type": "stdio", "command": "pg-mcp", },
  },
}
`,
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "write", escalations: [], unmet: [] },
  },
  {
    name: "enabling a disabled server reaches a subagent given every tool",
    base: {
      ".mcp.json": JSON.stringify({ mcpServers: { db: { command: "pg-mcp", disabled: true } } }),
      ".claude/settings.json": settings({ allow: ["mcp__db"] }),
      ".claude/agents/helper.md": subagent("tools: Read, mcp__db__query\n"),
    },
    head: { ".mcp.json": JSON.stringify({ mcpServers: { db: { command: "pg-mcp" } } }) },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: {
      decision: "pass",
      tier: "autonomous",
      escalations: ["helper:tools>autonomous"],
      reason: /mcp__db__query .*\.claude\/settings\.json: `mcp__db` in permissions\.allow/,
    },
  },
  {
    name: "fonts, archives and large assets in a skill folder are the skill's content, not unreadable files",
    head: {
      "skills/faq/assets/Inter.woff2": fixtureBytes("inspect", "inspect_ai__tests__log_formats.eval"),
      "skills/faq/assets/big.txt": "x".repeat(1_100_000),
    },
    results: ALL_RESULTS,
    reviews: ML_AND_SAFETY,
    expect: { decision: "pass", tier: "tools", unmet: [] },
  },
  {
    name: "a binary file where a manifest must be parsed is still an artifact error",
    head: { ".claude/settings.json": fixtureBytes("inspect", "inspect_ai__tests__log_formats.eval") },
    results: ALL_RESULTS,
    reviews: TWO_SAFETY,
    expect: { decision: "block", tier: "autonomous", unmet: ["artifact"] },
  },
];

describe("scenarios: agents declared where teams declare them", () => {
  it.each(scenarios.map((s) => [s.name, s] as const))("%s", (_name, s) => checkScenario(s));
});
