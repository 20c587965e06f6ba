import { builtinTable, type Builtin } from "../../capability/tools.js";

/**
 * Gemini CLI's built-in tools (`docs/reference/tools.md`, `ALL_BUILTIN_TOOL_NAMES` of
 * `@google/gemini-cli` 0.61) and what each does.
 */
const TOOLS: Record<string, Builtin> = {
  read_file: { kind: "read-only", does: "reads files" },
  read_many_files: { kind: "read-only", does: "reads files" },
  list_directory: { kind: "read-only", does: "lists folders" },
  glob: { kind: "read-only", does: "finds files by name" },
  grep_search: { kind: "read-only", does: "searches file contents" },
  search_file_content: { kind: "read-only", does: "searches file contents" },
  google_web_search: { kind: "read-only", does: "searches the web with Google" },
  get_internal_docs: { kind: "read-only", does: "reads Gemini CLI's documentation" },
  list_mcp_resources: { kind: "read-only", does: "lists MCP resources" },
  read_mcp_resource: { kind: "read-only", does: "reads MCP resources" },
  write_todos: { kind: "session", does: "keeps the session's to-do list" },
  ask_user: { kind: "session", does: "asks the person a question" },
  enter_plan_mode: { kind: "session", does: "enters plan mode" },
  exit_plan_mode: { kind: "session", does: "leaves plan mode" },
  activate_skill: { kind: "agent", does: "loads a skill" },
  invoke_agent: { kind: "agent", does: "starts a sub-agent" },
  write_file: { kind: "edit", does: "writes files" },
  replace: { kind: "edit", does: "edits files" },
  run_shell_command: { kind: "writing", does: "runs shell commands" },
  web_fetch: { kind: "writing", does: "fetches URLs (it can send what it read)" },
};

/** Names of one tool. */
const ALIASES: Record<string, string> = { search_file_content: "grep_search", ShellTool: "run_shell_command" };

export const GEMINI = builtinTable(TOOLS, ALIASES);
