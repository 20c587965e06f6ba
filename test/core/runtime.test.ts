import { describe, expect, it } from "vitest";
import { parseClaudeAgent } from "../../src/runtime/claude-code/agent.js";
import { parseClaudeSettings } from "../../src/runtime/claude-code/settings.js";
import { parseCopilotAgent } from "../../src/runtime/copilot/agent.js";
import { runtimeFor } from "../../src/runtime/registry.js";
import { parseRule, permissionOf, type ClaudePermissions } from "../../src/runtime/claude-code/permissions.js";

const builtinTool = (runtime: string, name: string) => runtimeFor(runtime).builtin(name);
const everyBuiltin = (runtime: string) => runtimeFor(runtime).everyBuiltin();
import { fixture } from "../helpers/fixtures.js";

const perms = (p: Partial<ClaudePermissions>): ClaudePermissions => ({
  source: ".claude/settings.json",
  allow: [],
  ask: [],
  deny: [],
  defaultMode: null,
  approvingHooks: [],
  ...p,
});

describe("Claude Code's permission model", () => {
  const bash = { builtin: "Bash" };
  const edit = { builtin: "Edit" };
  const rows: {
    name: string;
    tool: { builtin: string } | { server: string; tool: string | null };
    p: Partial<ClaudePermissions>;
    mode?: string;
    expect: RegExp;
  }[] = [
    { name: "a writing tool is asked for by default", tool: bash, p: {}, expect: /^asked: Claude Code asks/ },
    {
      name: "an allow rule for Edit covers every tool that edits files",
      tool: { builtin: "Write" },
      p: { allow: ["Edit"] },
      expect: /^unasked: .*`Edit` in permissions\.allow/,
    },
    {
      name: "a deny rule for Edit takes away Edit alone: the worst case",
      tool: { builtin: "Write" },
      p: { deny: ["Edit"] },
      expect: /^asked: /,
    },
    {
      name: "a PreToolUse hook for every tool may approve any call",
      tool: bash,
      p: { approvingHooks: [{ event: "PreToolUse", matcher: "" }] },
      expect: /^unasked: .*a PreToolUse hook for every tool may approve it without asking/,
    },
    {
      name: "a hook naming the tool among others may approve it",
      tool: edit,
      p: { approvingHooks: [{ event: "PermissionRequest", matcher: "Write|Edit" }] },
      expect: /^unasked: .*PermissionRequest hook \(matcher `Write\|Edit`\)/,
    },
    {
      name: "a hook whose matcher is a pattern capgate does not run may match anything",
      tool: { server: "db", tool: "query" },
      p: { approvingHooks: [{ event: "PreToolUse", matcher: "mcp__.*" }] },
      expect: /^unasked: /,
    },
    {
      name: "a hook naming other tools leaves the tool asked",
      tool: bash,
      p: { approvingHooks: [{ event: "PreToolUse", matcher: "Write|Edit" }] },
      expect: /^asked: Claude Code asks/,
    },
    {
      name: "a deny rule still takes the tool away whatever a hook says",
      tool: bash,
      p: { deny: ["Bash"], approvingHooks: [{ event: "PreToolUse", matcher: "" }] },
      expect: /^unavailable: /,
    },
    {
      name: "an allow rule for the whole tool runs it unasked",
      tool: bash,
      p: { allow: ["Bash"] },
      expect: /^unasked: .*`Bash` in permissions\.allow/,
    },
    {
      name: "a wildcard specifier covers the whole tool",
      tool: bash,
      p: { allow: ["Bash(*)"] },
      expect: /^unasked: .*`Bash\(\*\)`/,
    },
    {
      name: "a rule scoped to one command does not",
      tool: bash,
      p: { allow: ["Bash(npm test)", "Bash(git diff:*)"] },
      expect: /^asked/,
    },
    {
      name: "ask wins over allow",
      tool: bash,
      p: { allow: ["Bash"], ask: ["Bash"] },
      expect: /^asked: .*permissions\.ask/,
    },
    {
      name: "deny takes the tool away, whatever the mode",
      tool: bash,
      p: { deny: ["Bash"], defaultMode: "bypassPermissions" },
      expect: /^unavailable: .*permissions\.deny/,
    },
    { name: "a scoped deny leaves the tool", tool: bash, p: { deny: ["Bash(rm:*)"] }, expect: /^asked/ },
    {
      name: "bypassPermissions asks nothing",
      tool: bash,
      p: { defaultMode: "bypassPermissions" },
      expect: /^unasked: permission mode bypassPermissions/,
    },
    { name: "plan is read-only", tool: bash, p: { defaultMode: "plan" }, expect: /^unavailable: permission mode plan/ },
    {
      name: "acceptEdits lets edits through",
      tool: edit,
      p: { defaultMode: "acceptEdits" },
      expect: /^unasked: permission mode acceptEdits/,
    },
    { name: "acceptEdits still asks for commands", tool: bash, p: { defaultMode: "acceptEdits" }, expect: /^asked/ },
    {
      name: "dontAsk refuses what is not allowed",
      tool: bash,
      p: { defaultMode: "dontAsk" },
      expect: /^unavailable: permission mode dontAsk/,
    },
    {
      name: "dontAsk runs what is allowed unasked",
      tool: bash,
      p: { defaultMode: "dontAsk", allow: ["Bash"] },
      expect: /^unasked/,
    },
    {
      name: "an unknown mode is the worst case",
      tool: bash,
      p: { defaultMode: "yolo" },
      expect: /^unasked: permission mode yolo is not one capgate knows/,
    },
    {
      name: "auto mode lets a classifier approve calls",
      tool: bash,
      p: { defaultMode: "auto" },
      expect: /^unasked: permission mode auto lets a classifier approve calls without asking/,
    },
    {
      name: "a subagent's own mode wins over the settings'",
      tool: bash,
      p: { defaultMode: "default" },
      mode: "bypassPermissions",
      expect: /^unasked: permission mode bypassPermissions/,
    },
    {
      name: "mcp__server allows every tool of the server",
      tool: { server: "db", tool: "query" },
      p: { allow: ["mcp__db"] },
      expect: /^unasked: .*`mcp__db`/,
    },
    {
      name: "mcp__server__* too",
      tool: { server: "db", tool: "query" },
      p: { allow: ["mcp__db__*"] },
      expect: /^unasked/,
    },
    {
      name: "mcp__server__tool allows that tool only",
      tool: { server: "db", tool: "drop" },
      p: { allow: ["mcp__db__query"] },
      expect: /^asked/,
    },
    {
      name: "a malformed rule is dropped, as Claude Code drops it",
      tool: bash,
      p: { allow: ["Bash(npm test"] },
      expect: /^asked: Claude Code asks/,
    },
    {
      name: "Bash() and Bash(*) are the whole tool",
      tool: bash,
      p: { allow: ["Bash()"] },
      expect: /^unasked: .*`Bash\(\)` in permissions\.allow/,
    },
    {
      name: "an allow rule under a legacy name covers the tool's new one",
      tool: { builtin: "Agent" },
      p: { allow: ["Task"] },
      expect: /^unasked: .*`Task` in permissions\.allow/,
    },
    {
      name: "sandbox-approved Bash is not the permission model's to say: asked here",
      tool: bash,
      p: {},
      expect: /^asked/,
    },
  ];
  it.each(rows)("$name", (row) => {
    const p = permissionOf(row.tool, true, perms(row.p), row.mode ?? null);
    const said = p.available ? `${p.asked ? "asked" : "unasked"}: ${p.why}` : `unavailable: ${p.why}`;
    expect(said).toMatch(row.expect);
  });

  it("reading changes nothing, whatever the mode", () => {
    expect(permissionOf({ builtin: "Read" }, false, perms({ defaultMode: "dontAsk" }), null)).toMatchObject({
      available: true,
    });
  });

  it.each([
    ["Bash", true],
    ["Bash()", true],
    ["Bash(**)", true],
    ["Edit(./**)", true],
    ["Bash(npm run test:*)", false],
    ["Read(./src/**)", false],
    ["WebFetch(domain:example.com)", false],
  ] as const)("%s covers the whole tool: %s", (rule, whole) => {
    expect(parseRule(rule)?.whole).toBe(whole);
  });
});

describe("the built-in tools of each runtime", () => {
  it.each([
    ["claude-code", "Read", "read-only"],
    ["claude-code", "TodoWrite", "session"],
    ["claude-code", "Task", "agent"],
    ["claude-code", "Write", "edit"],
    ["claude-code", "WebFetch", "writing"],
    ["claude-code", "AskUserQuestion", "session"],
    ["claude-code", "TaskUpdate", "session"],
    ["claude-code", "TaskOutput", "read-only"],
    ["claude-code", "LSP", "read-only"],
    ["claude-code", "EnterWorktree", "edit"],
    ["claude-code", "PowerShell", "writing"],
    ["copilot", "codebase", "read-only"],
    ["copilot", "search/codebase", "read-only"],
    ["copilot", "edit/editFiles", "edit"],
    ["copilot", "runCommands/terminalLastCommand", "read-only"],
    ["copilot", "execute", "writing"],
    ["copilot", "agent", "agent"],
  ] as const)("%s %s is %s", (runtime, name, kind) => {
    expect(builtinTool(runtime, name)?.kind).toBe(kind);
  });

  it("a name nobody documents, or an MCP server's, is not a built-in", () => {
    expect(builtinTool("claude-code", "mcp__github__create_issue")).toBeNull();
    expect(builtinTool("copilot", "github/create_issue")).toBeNull();
    expect(builtinTool("copilot", "playwright")).toBeNull();
    expect(everyBuiltin("claude-code")).toEqual(expect.arrayContaining(["Bash", "Edit", "Read"]));
  });
});

describe("reading the files runtimes declare agents in", () => {
  const value = <T>(r: { ok: true; value: T } | { ok: false }) => {
    if (!r.ok) throw new Error("expected a value");
    return r.value;
  };

  it("a subagent's tools as a string or a list; left out, every tool and every server", () => {
    const listed = value(
      parseClaudeAgent(
        ".claude/agents/a.md",
        fixture("agents-claude", "anthropics-claude-plugins-official__plugins_hookify_agents_conversation-analyzer.md"),
      ),
    );
    expect(listed.runtime).toMatchObject({ toolNames: ["Read", "Grep"], allServers: false });
    const left = value(
      parseClaudeAgent(
        ".claude/agents/b.md",
        fixture(
          "agents-claude",
          "anthropics-claude-plugins-official__plugins_pr-review-toolkit_agents_code-reviewer.md",
        ),
      ),
    );
    expect(left.runtime).toMatchObject({ toolNames: null, allServers: true, loop: "an unlimited loop (no maxTurns)" });
    const mcp = value(
      parseClaudeAgent(
        ".claude/agents/c.md",
        fixture(
          "agents-claude",
          "dmitrii-bystrov-private-mobile-sdd-factory@3f46afc7__.claude_agents_context-collector.md",
        ),
      ),
    );
    expect(mcp.servers.map((s) => s.name)).toEqual(["ios-rag", "android-rag", "frontend-rag"]);
    expect(mcp).toMatchObject({ maxSteps: 80, runtime: { permissionMode: "auto" } });
  });

  it("a subagent's skills are found beside its agents folder", () => {
    const a = value(parseClaudeAgent("plugins/p/agents/a.md", "---\nname: a\ndescription: d\nskills: [pdf]\n---\n"));
    expect(a.skills).toEqual(["plugins/p/skills/pdf"]);
    const b = value(parseClaudeAgent(".claude/agents/b.md", "---\nname: b\ndescription: d\nskills: pdf, xlsx\n---\n"));
    expect(b.skills).toEqual([".claude/skills/pdf", ".claude/skills/xlsx"]);
  });

  it("frontmatter strict YAML rejects is read as Claude Code repairs it: its tools kept", () => {
    const a = value(
      parseClaudeAgent(
        ".claude/agents/q.md",
        fixture("agents-claude", "anthropics-claude-code-action__.claude_agents_code-quality-reviewer.md"),
      ),
    );
    expect(a.name).toBe("code-quality-reviewer");
    expect(a.runtime).toMatchObject({
      toolNames: ["Glob", "Grep", "Read", "WebFetch", "TodoWrite", "WebSearch", "BashOutput", "KillBash"],
      allServers: false,
    });
    expect(a.runtime?.unreadable).toBeUndefined();
  });

  it("frontmatter that is not YAML even repaired is the worst case, and says why", () => {
    const a = value(parseClaudeAgent(".claude/agents/q.md", '---\nname: q\ndescription: "open\n---\nBody\n'));
    expect(a.runtime).toMatchObject({
      toolNames: null,
      allServers: true,
      unreadable: expect.stringMatching(/not valid YAML .*Claude Code's own reader may read it otherwise/),
    });
  });

  it("settings with // comments are ignored, as Claude Code ignores settings that are not plain JSON", () => {
    const zed = value(
      parseClaudeSettings(
        ".claude/settings.json",
        fixture("claude-settings", "zed-industries-zed__.claude_settings.json"),
      ),
    );
    expect(zed.runtime!.settings).toMatchObject({
      allow: [],
      enableAllProjectMcpServers: false,
      ignored: expect.stringMatching(/not plain JSON .*Claude Code ignores it/),
    });
    const langfuse = value(
      parseClaudeSettings(
        ".claude/settings.json",
        fixture("claude-settings", "langfuse-langfuse__.claude_settings.json"),
      ),
    );
    expect(langfuse.runtime).toMatchObject({
      allServers: true,
      settings: { enabledMcpjsonServers: ["sequential-thinking"] },
    });
    expect(parseClaudeSettings(".claude/settings.json", '{"permissions": {"allow": "Bash"}}')).toMatchObject({
      ok: false,
    });
  });

  it("Copilot agents, chat modes and prompt files", () => {
    const lingo = value(
      parseCopilotAgent(
        ".github/agents/l.agent.md",
        fixture("agents-copilot", "github-awesome-copilot__agents_lingodotdev-i18n.agent.md"),
      ),
    );
    expect(lingo.runtime).toMatchObject({
      toolNames: ["shell", "read", "edit", "search", "lingo/*"],
      inlineServers: [expect.objectContaining({ name: "lingo", tools: null })],
    });
    const arm = value(
      parseCopilotAgent(
        ".github/agents/a.agent.md",
        fixture("agents-copilot", "github-awesome-copilot__agents_arm-migration.agent.md"),
      ),
    );
    expect(arm.runtime).toMatchObject({
      toolNames: null,
      inlineServers: [expect.objectContaining({ name: "custom-mcp", tools: expect.arrayContaining(["skopeo"]) })],
    });
    const agentPrompt = value(
      parseCopilotAgent(
        ".github/prompts/p.prompt.md",
        fixture("agents-copilot", "github-awesome-copilot@7b7f9d51__prompts_power-bi-dax-optimization.prompt.md"),
      ),
    );
    expect(agentPrompt.runtime).toMatchObject({ toolNames: ["microsoft.docs.mcp"], what: "Copilot prompt file" });
    const plain = value(parseCopilotAgent(".github/prompts/q.prompt.md", "---\ndescription: d\n---\nHi\n"));
    expect(plain.runtime!.toolNames).toEqual([]);
    const agentMode = value(parseCopilotAgent(".github/prompts/r.prompt.md", "---\nmode: agent\n---\nHi\n"));
    expect(agentMode.runtime!.toolNames).toBeNull();
  });
});
