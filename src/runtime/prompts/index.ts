import type { AgentRuntime } from "../types.js";

/**
 * Prompt files that bind tools, run by an application capgate does not see: none of their tools
 * is built in or declared in the repository, and nothing says anyone is asked before a call.
 */
export const prompts: AgentRuntime = {
  kind: "prompt",
  name: "prompt",
  builtin: () => null,
  everyBuiltin: () => [],
  canonical: (name) => name,
  mcpTool: () => null,
  serverTool: (server, tool) => `${server}/${tool}`,
  honoursServerLists: true,
  alsoServer: () => null,
  takesAway: () => false,
  context: () => ({ servers: new Map(), off: new Set(), errors: [] }),
  confirm: () => ({
    available: true,
    asked: false,
    why: "a tool the prompt binds, not declared in the repository: nothing says the application asks",
  }),
  extras: () => [],
  preApprovals: () => [],
  refs: () => ({ skills: [], servers: [], files: [], automation: [] }),
};
