import { builtinTable, type Builtin } from "../../capability/tools.js";

/**
 * Claude Code's built-in tools and what each can do (its tools reference; decision 18 gives the
 * sources). Names it does not hold are writing unless the config classifies them.
 */
const TOOLS: Record<string, Builtin> = {
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

/** Claude Code's built-in tools, looked up by name. */
export const CLAUDE_CODE = builtinTable(TOOLS);
