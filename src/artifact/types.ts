export type ArtifactKind = "prompt" | "skill" | "tool" | "mcp" | "agent" | "eval";

/** One tool definition, whatever format it was written in. */
export interface ToolDef {
  name: string;
  format: "mcp" | "openai" | "anthropic";
  /** MCP annotations as written; absent hints take the MCP defaults. */
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  /** The JSON Schema of the tool's input, as written (for breaking-change checks). */
  inputSchema: unknown;
}

export interface ToolFile {
  version?: string;
  tools: ToolDef[];
}

export interface PromptDoc {
  id?: string;
  version?: string;
  /** Tools the prompt binds by name (dotprompt `tools:`, Prompty tool definitions). */
  tools?: string[];
}

export interface SkillDoc {
  name: string;
  /** null when the skill has no `allowed-tools` field. */
  allowedTools: string[] | null;
  version?: string;
}

export interface McpServer {
  name: string;
  /** How the client reaches it, in words (`command npx`, `url https://…`). */
  transport: string;
  /** Not started by the client (`disabled: true`): enabling it is a change. */
  disabled: boolean;
  /** The only tools of the server the client uses (Copilot `tools`, Gemini `includeTools`); null: all of them. */
  tools: string[] | null;
  /** Tools the client never uses (Gemini `excludeTools`). */
  excluded: string[];
  /** The client runs the server's tools without asking (Gemini `trust: true`). */
  trusted: boolean;
  /**
   * Whether the package or image it runs is pinned to a version (`pkg@1.2.3`, `image:1.2`,
   * `@sha256:`); null when it runs no package (a local command, a URL).
   */
  pinned: boolean | null;
  /** The package or image it runs (`docs-mcp@1.3.0`), when it runs one. */
  package: string | null;
  /**
   * What it is started or reached with: its arguments, its environment and a remote server's
   * HTTP headers (`X-MCP-Readonly: true` can be its capability), each as written.
   */
  launch: Launch;
  /** How other configs declaring a server of the same name start it, when they start it otherwise. */
  others?: Launch[];
}

/** How a client starts or reaches a server, each part as the config writes it (no variable expanded). */
export interface Launch {
  /** The program a stdio server is started with, when it is one. */
  command: string | null;
  /** A remote server's address, when it is one. */
  url: string | null;
  /** The transport the config names (`stdio`, `http`, `sse`, `streamable-http`…), when it names one. */
  type: string | null;
  /** The folder a stdio server is started in, when the config names one. */
  cwd: string | null;
  args: string[];
  /** `NAME=value`, sorted. */
  env: string[];
  /** `Name: value`, sorted. */
  headers: string[];
}

export interface McpConfigDoc {
  servers: McpServer[];
}

export interface AgentToolRef {
  path: string;
  only?: string[];
}

export interface AgentServerRef {
  name: string;
  /** Tool files that declare this server's tools; none means the tools are unknown. */
  tools?: string[];
}

export { AGENT_SOURCES, type AgentSource } from "../config/schema.js";

export interface AgentManifest {
  name: string;
  version?: string;
  prompt?: string;
  /** Tool files whose tools it has (capgate's manifest). */
  tools: AgentToolRef[];
  /** Skill folders it uses. */
  skills: string[];
  servers: AgentServerRef[];
  maxSteps: number | null;
  confirm: string[];
  /** For an agent a runtime declares: the tools it names, in the runtime's words. */
  runtime?: RuntimeAgent;
}

/** What an agent runtime's own file gives an agent. */
export interface RuntimeAgent {
  /** The runtime that declares it, by its module's id (`claude-code`, `copilot`). */
  kind: string;
  /** How the file declares it, in words ("Claude Code subagent"). */
  what: string;
  /** The tool names it is given; null: every tool the runtime has (`tools` left out). */
  toolNames: string[] | null;
  /** Tools taken away (`disallowedTools`). */
  removed: string[];
  /** Its own permission mode (`permissionMode`), over the settings' default. */
  permissionMode: string | null;
  /** Hooks of its own (a subagent's frontmatter `hooks`) that may approve a call without asking. */
  approvingHooks?: ClaudeSettingsDoc["approvingHooks"];
  /** Every hook its own declaration holds: automation that runs on the runtime's events, unasked. */
  hooks?: Hook[];
  /** Servers it defines itself (Copilot `mcp-servers`, inline `mcpServers`). */
  inlineServers: McpServer[];
  /** It may use every MCP server the repository's configs declare (`tools` left out, all enabled). */
  allServers: boolean;
  /** The loop it runs in, in the runtime's words ("no maxTurns: an unlimited loop"). */
  loop: string;
  /** Why what it declares could not be read: then it has every tool, unasked (the worst case). */
  unreadable?: string;
  /** Why the runtime does not load the file as an agent at all, when it does not. */
  notLoaded?: string;
  /** What else a reader of its tier should know of how it was read. */
  notes?: string[];
  /** For a plugin's own session: the plugin's name. */
  pluginOf?: string;
  /**
   * What the runtime does before each tool call, for a runtime that keeps its permissions as rules
   * over its tools (Codex, Gemini CLI, …), read from the agent's own files.
   */
  policy?: ToolPolicy;
  /**
   * Why nobody is there to answer its questions (a workflow step in CI), when nobody is: what the
   * runtime would ask is refused, and what it allows runs unasked.
   */
  unattended?: string;
  /** For the Claude Code session (`.claude/settings.json`): its permissions and MCP servers. */
  settings?: ClaudeSettingsDoc;
}

/** What a runtime does before a call: run it unasked, run it only where it cannot write (a read-only sandbox), ask, or refuse. */
export type PolicyAnswer = "allow" | "read" | "ask" | "deny";

export interface PolicyRule {
  answer: PolicyAnswer;
  /** Why, in the runtime's words (`sandbox_mode = "workspace-write"`). */
  why: string;
}

/**
 * A runtime's permissions read into one shape: what it does before a call of each tool a rule
 * names, for a tool no rule names, and the shell commands it runs without asking.
 */
export interface ToolPolicy {
  /** Where the rules are written (`.gemini/settings.json`), for reasons. */
  source: string;
  /** By built-in tool name, or a server's tools (`server/*`, `server/tool`). */
  tools: Record<string, PolicyRule>;
  /** For a tool no rule names: a file edit, another built-in writing tool, a server's tool. */
  otherwise: { edit: PolicyRule; writing: PolicyRule; mcp: PolicyRule };
  /**
   * Shell commands it runs without asking: each rule as written, and the commands it covers as a
   * pattern (`git status *` that command and any arguments; `git status` that command alone).
   */
  commands: { rule: string; command: string }[];
}

/**
 * A hook: automation a runtime runs on one of its events without asking anyone and without the
 * model choosing it — like CI. Any change to one is governance.
 */
export interface Hook {
  /** The event it runs on (`PreToolUse`, `SessionStart`, …). */
  event: string;
  /** Which tools or sources it runs for ("" for every one). */
  matcher: string;
  /** What it runs, in words: the command, URL, prompt, agent or tool, as written. */
  runs: string;
  /** Its condition, when it has one (`if`, in permission-rule syntax). */
  when?: string;
  /** The file that declares it. */
  where: string;
  /** Files of the repository its command names: what it runs is gated as it is. */
  scripts: string[];
}

/** What `.claude/settings.json` says about tools. */
export interface ClaudeSettingsDoc {
  allow: string[];
  ask: string[];
  deny: string[];
  defaultMode: string | null;
  /** `enableAllProjectMcpServers: true`. */
  enableAllProjectMcpServers: boolean;
  enabledMcpjsonServers: string[];
  disabledMcpjsonServers: string[];
  /**
   * Hooks that may approve a tool call without asking (`PreToolUse`, `PermissionRequest`): each
   * one's event and matcher (`""` matches every tool).
   */
  approvingHooks: { event: string; matcher: string }[];
  /** Every hook the settings declare. */
  hooks: Hook[];
  /** Settings that run a command without asking (a status line, a credential helper): the key, the command and the file. */
  runners: { key: string; runs: string; where: string }[];
  /** The environment variables the settings set for the session, each with its value and the file that sets it. */
  env: { name: string; value: string; where: string }[];
  /** The plugins the settings enable (`name@marketplace`). */
  plugins: string[];
  /** The marketplaces the settings add: each one's name and where it is. */
  marketplaces: { name: string; source: string }[];
  /** Bash runs without asking inside the sandbox (`sandbox.enabled` with `autoAllowBashIfSandboxed`). */
  sandboxBash: boolean;
  /** Keys whose effect capgate does not know: the worst case. */
  unknownKeys: string[];
  /** Whether the file sets `enableAllProjectMcpServers` or `sandbox` at all: a later file's value stands over an earlier one's. */
  setsEnableAll?: boolean;
  setsSandbox?: boolean;
  /** Why Claude Code ignores the file, when it does (it is not plain JSON): then it says nothing. */
  ignored?: string;
  /** The files these settings were read from, in the order they apply. */
  files: string[];
}
