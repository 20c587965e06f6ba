import { serversFor } from "../servers.js";
import type { AgentRuntime } from "../types.js";
import { COPILOT } from "./tools.js";

/**
 * GitHub Copilot: custom agents, chat modes and prompt files, their tools in VS Code's names
 * (`server/tool`, `server/*`, or a server by its name). Copilot does not document when it asks
 * before a tool call, so a writing tool counts as run without asking: the worst case.
 */
export const copilot: AgentRuntime = {
  kind: "copilot",
  name: "Copilot",
  builtin: (name) => COPILOT.builtin(name),
  everyBuiltin: () => COPILOT.every(),
  canonical: (name) => COPILOT.canonical(name),
  mcpTool(name, ctx) {
    if (COPILOT.builtin(name)) return null;
    const slash = name.indexOf("/");
    if (slash > 0) {
      const tool = name.slice(slash + 1);
      return { server: name.slice(0, slash), tool: tool === "*" ? null : tool };
    }
    return ctx.servers.has(name) ? { server: name, tool: null } : null;
  },
  serverTool: (server, tool) => `${server}/${tool}`,
  honoursServerLists: true,
  // A built-in tool set's name (`search/*`) may be a server's too: read both ways.
  alsoServer(name, ctx) {
    if (!COPILOT.builtin(name)) return null;
    const slash = name.indexOf("/");
    const server = slash > 0 ? name.slice(0, slash) : name;
    if (!ctx.servers.has(server)) return null;
    const tool = slash > 0 ? name.slice(slash + 1) : "*";
    return { server, tool: tool === "*" ? null : tool };
  },
  takesAway: () => false,
  context: (view, _path, rt) => serversFor(view, rt),
  confirm: () => ({
    available: true,
    asked: false,
    why: "Copilot does not document asking before a tool call: the worst case",
  }),
  extras: () => [],
  preApprovals: () => [],
  refs(_view, _path, m) {
    const servers: string[] = [];
    // Copilot names a server's tools `server/tool` or `server/*`, or the whole server by its name.
    for (const name of m.runtime.toolNames ?? []) {
      const slash = name.indexOf("/");
      servers.push(slash > 0 ? name.slice(0, slash) : name);
    }
    return { skills: [], servers, files: [], automation: [] };
  },
};
