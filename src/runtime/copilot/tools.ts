import type { Builtin } from "../../capability/tools.js";

/**
 * Copilot's tool names: the coding agent's aliases and VS Code's tools and tool sets (a set such
 * as `edit` or `search` covers `edit/editFiles`, `search/codebase`, …).
 */
const TOOLS: Record<string, Builtin> = {
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

/** Names of one tool: the alias, then the name it stands for. */
const ALIASES: Record<string, string> = {
  editFiles: "edit",
  todos: "todo",
  runSubagent: "agent",
  execute: "shell",
};

/** Copilot's built-in tools and VS Code's tool sets, looked up by name. */
export const COPILOT = {
  /**
   * A VS Code tool set member (`edit/editFiles`, `search/codebase`, `runCommands/terminalLastCommand`)
   * is its member when that is known, else the set it belongs to.
   */
  builtin(name: string): Builtin | null {
    if (Object.hasOwn(TOOLS, name)) return TOOLS[name]!;
    const slash = name.indexOf("/");
    if (slash > 0) {
      const member = name.slice(slash + 1);
      const set = name.slice(0, slash);
      if (Object.hasOwn(TOOLS, member) && Object.hasOwn(TOOLS, set)) return TOOLS[member]!;
      if (Object.hasOwn(TOOLS, set) && (member === "*" || !member.includes("/"))) return TOOLS[set]!;
    }
    return null;
  },
  /** Every tool, aliases of one tool counted once. */
  every(): string[] {
    return Object.keys(TOOLS).filter((n) => !Object.hasOwn(ALIASES, n));
  },
  /** The name a tool goes by when it has several. */
  canonical(name: string): string {
    return Object.hasOwn(ALIASES, name) ? ALIASES[name]! : name;
  },
};
