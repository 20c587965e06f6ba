/**
 * The built-in tools of each agent runtime capgate reads, and what each can do. One table, so a
 * name means the same wherever it appears (a skill's `allowed-tools`, a subagent's `tools`, a
 * permission rule). A name the table does not hold is writing unless the config classifies it.
 * Decision 18 gives the sources.
 */

export type Runtime = "claude-code" | "copilot";

/**
 * - `read-only`: reads the workspace or the session, changes nothing;
 * - `session`: changes only the session's own state (a to-do list, a background shell it started);
 * - `agent`: starts another agent or skill, which is judged at its own path;
 * - `edit`: writes files (what Claude Code's `acceptEdits` mode lets through without asking);
 * - `writing`: runs commands, reaches the network, or anything else that can change the world.
 */
export type BuiltinKind = "read-only" | "session" | "agent" | "edit" | "writing";

interface Builtin {
  kind: BuiltinKind;
  /** What it does, in the runtime's terms. */
  does: string;
}

const CLAUDE_CODE: Record<string, Builtin> = {
  Read: { kind: "read-only", does: "reads files" },
  Grep: { kind: "read-only", does: "searches file contents" },
  Glob: { kind: "read-only", does: "finds files by name" },
  LS: { kind: "read-only", does: "lists folders" },
  NotebookRead: { kind: "read-only", does: "reads notebooks" },
  TodoRead: { kind: "read-only", does: "reads the session's to-do list" },
  BashOutput: { kind: "read-only", does: "reads the output of a shell it started" },
  TaskOutput: { kind: "read-only", does: "reads the output of a background task it started" },
  LSP: { kind: "read-only", does: "asks language servers about the code" },
  ListMcpResourcesTool: { kind: "read-only", does: "lists the resources of connected MCP servers" },
  ReadMcpResourceTool: { kind: "read-only", does: "reads a resource of a connected MCP server" },
  ToolSearch: { kind: "read-only", does: "finds tools it may load" },
  AskUserQuestion: { kind: "session", does: "asks the person a question" },
  TaskCreate: { kind: "session", does: "keeps the session's task list" },
  TaskGet: { kind: "session", does: "keeps the session's task list" },
  TaskList: { kind: "session", does: "keeps the session's task list" },
  TaskUpdate: { kind: "session", does: "keeps the session's task list" },
  TaskStop: { kind: "session", does: "stops a background task it started" },
  EnterPlanMode: { kind: "session", does: "enters plan mode" },
  ExitWorktree: { kind: "session", does: "leaves a git worktree it made" },
  EnterWorktree: { kind: "edit", does: "makes a git worktree and works in it" },
  PowerShell: { kind: "writing", does: "runs PowerShell commands" },
  Artifact: { kind: "writing", does: "publishes a file as a page on claude.ai" },
  TodoWrite: { kind: "session", does: "keeps the session's to-do list" },
  ExitPlanMode: { kind: "session", does: "leaves plan mode" },
  KillBash: { kind: "session", does: "stops a shell it started" },
  KillShell: { kind: "session", does: "stops a shell it started" },
  Task: { kind: "agent", does: "starts a subagent" },
  Agent: { kind: "agent", does: "starts a subagent" },
  Skill: { kind: "agent", does: "runs a skill" },
  Edit: { kind: "edit", does: "edits files" },
  MultiEdit: { kind: "edit", does: "edits files" },
  Write: { kind: "edit", does: "writes files" },
  NotebookEdit: { kind: "edit", does: "edits notebooks" },
  Bash: { kind: "writing", does: "runs shell commands" },
  WebFetch: { kind: "writing", does: "fetches URLs (it can send what it read)" },
  WebSearch: { kind: "writing", does: "searches the web (its queries leave the machine)" },
  SlashCommand: { kind: "writing", does: "runs a slash command" },
};

/**
 * Copilot's tool names: the coding agent's aliases and VS Code's tools and tool sets (a set such
 * as `edit` or `search` covers `edit/editFiles`, `search/codebase`, …).
 */
const COPILOT: Record<string, Builtin> = {
  read: { kind: "read-only", does: "reads files" },
  search: { kind: "read-only", does: "searches the workspace" },
  codebase: { kind: "read-only", does: "searches the codebase" },
  usages: { kind: "read-only", does: "finds usages" },
  problems: { kind: "read-only", does: "reads the workspace's problems" },
  changes: { kind: "read-only", does: "reads source-control changes" },
  findTestFiles: { kind: "read-only", does: "finds test files" },
  testFailure: { kind: "read-only", does: "reads test failures" },
  searchResults: { kind: "read-only", does: "reads search results" },
  githubRepo: { kind: "read-only", does: "searches a GitHub repository" },
  terminalLastCommand: { kind: "read-only", does: "reads the terminal's last command" },
  terminalSelection: { kind: "read-only", does: "reads the terminal's selection" },
  todo: { kind: "session", does: "keeps a to-do list" },
  todos: { kind: "session", does: "keeps a to-do list" },
  agent: { kind: "agent", does: "starts another agent" },
  runSubagent: { kind: "agent", does: "starts another agent" },
  edit: { kind: "edit", does: "edits files" },
  editFiles: { kind: "edit", does: "edits files" },
  new: { kind: "edit", does: "creates files and projects" },
  shell: { kind: "writing", does: "runs shell commands" },
  execute: { kind: "writing", does: "runs commands" },
  runCommands: { kind: "writing", does: "runs terminal commands" },
  runInTerminal: { kind: "writing", does: "runs terminal commands" },
  runTasks: { kind: "writing", does: "runs tasks" },
  runTests: { kind: "writing", does: "runs tests (their code runs)" },
  runNotebooks: { kind: "writing", does: "runs notebook cells" },
  web: { kind: "writing", does: "fetches web pages" },
  fetch: { kind: "writing", does: "fetches web pages" },
  vscode: { kind: "writing", does: "uses VS Code's commands and API" },
  extensions: { kind: "writing", does: "installs extensions" },
  openSimpleBrowser: { kind: "writing", does: "opens a browser" },
};

const TABLES: Record<Runtime, Record<string, Builtin>> = { "claude-code": CLAUDE_CODE, copilot: COPILOT };

export const RUNTIME_NAMES: Record<Runtime, string> = { "claude-code": "Claude Code", copilot: "Copilot" };

/** The built-in tool a name means in a runtime, or null (an MCP tool, or a name nobody documents). */
export function builtinTool(runtime: Runtime, name: string): Builtin | null {
  const table = TABLES[runtime];
  if (Object.hasOwn(table, name)) return table[name]!;
  // A VS Code tool set member (`edit/editFiles`, `search/codebase`, `runCommands/terminalLastCommand`):
  // the member when it is known, else the set it belongs to.
  if (runtime === "copilot") {
    const slash = name.indexOf("/");
    if (slash > 0) {
      const member = name.slice(slash + 1);
      const set = name.slice(0, slash);
      if (Object.hasOwn(table, member) && Object.hasOwn(table, set)) return table[member]!;
      if (Object.hasOwn(table, set) && (member === "*" || !member.includes("/"))) return table[set]!;
    }
  }
  return null;
}

/** Names of one tool: the alias, then the name it stands for. */
const ALIASES: Record<Runtime, Record<string, string>> = {
  "claude-code": {},
  copilot: { editFiles: "edit", todos: "todo", runSubagent: "agent", execute: "shell" },
};

/** The name a tool goes by when it has several. */
export function canonicalBuiltin(runtime: Runtime, name: string): string {
  return Object.hasOwn(ALIASES[runtime], name) ? ALIASES[runtime][name]! : name;
}

/** Every built-in tool of a runtime: what an agent whose `tools` is left out is given. */
export function everyBuiltin(runtime: Runtime): string[] {
  // Aliases of one tool count once.
  return Object.keys(TABLES[runtime]).filter((n) => !Object.hasOwn(ALIASES[runtime], n));
}

/** The read-only names of a runtime, for skills' `allowed-tools` (Claude Code's). */
export function isReadOnlyBuiltin(runtime: Runtime, name: string): boolean {
  return builtinTool(runtime, name)?.kind === "read-only";
}
