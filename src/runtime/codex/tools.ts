import { builtinTable, type Builtin } from "../../capability/tools.js";

/**
 * Codex's built-in tools (codex-rs `core/src/tools`): the shell and `apply_patch` write, within
 * what the sandbox lets them; web search reads a cached index unless `web_search = "live"`.
 */
const TOOLS: Record<string, Builtin> = {
  shell: { kind: "writing", does: "runs shell commands" },
  exec_command: { kind: "writing", does: "runs shell commands" },
  apply_patch: { kind: "edit", does: "edits files" },
  web_search: { kind: "read-only", does: "searches a cached web index" },
  web_search_live: { kind: "writing", does: 'searches and reads the live web (web_search = "live")' },
  view_image: { kind: "read-only", does: "reads images" },
  read_file: { kind: "read-only", does: "reads files" },
  list_dir: { kind: "read-only", does: "lists folders" },
  grep_files: { kind: "read-only", does: "searches files" },
  update_plan: { kind: "session", does: "keeps the session's plan" },
  request_user_input: { kind: "session", does: "asks the person a question" },
  spawn_agent: { kind: "agent", does: "starts a sub-agent" },
};

/** The same tool under another name. */
const ALIASES: Record<string, string> = { exec_command: "shell" };

export const CODEX = builtinTable(TOOLS, ALIASES);
