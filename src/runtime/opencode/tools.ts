import { builtinTable, type Builtin } from "../../capability/tools.js";

/** OpenCode's built-in tools (`ToolRegistry` of `opencode-ai` 1.18) and what each does. */
const TOOLS: Record<string, Builtin> = {
  read: { kind: "read-only", does: "reads files" },
  glob: { kind: "read-only", does: "finds files" },
  grep: { kind: "read-only", does: "searches files" },
  list: { kind: "read-only", does: "lists folders" },
  lsp: { kind: "read-only", does: "reads code intelligence" },
  codesearch: { kind: "read-only", does: "searches code" },
  todowrite: { kind: "session", does: "keeps a to-do list" },
  todoread: { kind: "read-only", does: "reads the to-do list" },
  question: { kind: "session", does: "asks the person a question" },
  task: { kind: "agent", does: "starts a sub-agent" },
  skill: { kind: "agent", does: "loads a skill" },
  edit: { kind: "edit", does: "edits files" },
  write: { kind: "edit", does: "writes files" },
  apply_patch: { kind: "edit", does: "edits files" },
  patch: { kind: "edit", does: "edits files" },
  bash: { kind: "writing", does: "runs shell commands" },
  webfetch: { kind: "writing", does: "fetches URLs (it can send what it read)" },
  websearch: { kind: "writing", does: "searches the web (its queries leave the machine)" },
};

/** The permission each tool is checked under: every way to edit under `edit`. */
export const PERMISSION_OF: Record<string, string> = { write: "edit", apply_patch: "edit", patch: "edit" };

export const OPENCODE = builtinTable(TOOLS);
