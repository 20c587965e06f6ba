import { builtinTable, type Builtin } from "../../capability/tools.js";

/**
 * The built-in tools of Kiro's agents and of Amazon Q Developer CLI's, under both namings
 * (kiro.dev/docs/cli/reference/built-in-tools; amazon-q-developer-cli `tools/mod.rs`).
 */
const TOOLS: Record<string, Builtin> = {
  fs_read: { kind: "read-only", does: "reads files" },
  read: { kind: "read-only", does: "reads files" },
  grep: { kind: "read-only", does: "searches files" },
  glob: { kind: "read-only", does: "finds files" },
  code: { kind: "read-only", does: "reads code intelligence" },
  introspect: { kind: "read-only", does: "reads its own documentation" },
  web_search: { kind: "read-only", does: "searches the web" },
  thinking: { kind: "session", does: "thinks aloud" },
  todo_list: { kind: "session", does: "keeps a to-do list" },
  todo: { kind: "session", does: "keeps a to-do list" },
  knowledge: { kind: "session", does: "keeps a knowledge base" },
  report_issue: { kind: "session", does: "drafts an issue report" },
  report: { kind: "session", does: "drafts an issue report" },
  delegate: { kind: "agent", does: "starts another agent" },
  subagent: { kind: "agent", does: "starts another agent" },
  fs_write: { kind: "edit", does: "writes files" },
  write: { kind: "edit", does: "writes files" },
  execute_bash: { kind: "writing", does: "runs shell commands" },
  execute_cmd: { kind: "writing", does: "runs commands" },
  shell: { kind: "writing", does: "runs shell commands" },
  use_aws: { kind: "writing", does: "calls AWS APIs" },
  aws: { kind: "writing", does: "calls AWS APIs" },
  web_fetch: { kind: "writing", does: "fetches URLs (it can send what it read)" },
};

/** Names of one tool under the older (Amazon Q) and newer (Kiro) naming. */
const ALIASES: Record<string, string> = {
  read: "fs_read",
  write: "fs_write",
  shell: "execute_bash",
  execute_cmd: "execute_bash",
  aws: "use_aws",
  todo: "todo_list",
  report: "report_issue",
  subagent: "delegate",
};

/** What runs without `allowedTools` naming it (`requires_acceptance`): reading within the folder, and tools that change nothing. */
export const TRUSTED = new Set([
  "fs_read",
  "grep",
  "glob",
  "code",
  "introspect",
  "thinking",
  "todo_list",
  "report_issue",
  "delegate",
]);

export const KIRO = builtinTable(TOOLS, ALIASES);
