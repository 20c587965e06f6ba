import type { McpServer } from "../artifact/types.js";
import type { FileError } from "../parse/result.js";
import type { RevisionView } from "../snapshot/view.js";

/** A server an MCP config declares, and the config. */
export interface DeclaredServer {
  path: string;
  server: McpServer;
}

/** The MCP servers every MCP config at a revision declares, by name, and the configs that cannot be read. */
export function serversAt(view: RevisionView): { servers: Map<string, DeclaredServer>; errors: FileError[] } {
  const servers = new Map<string, DeclaredServer>();
  const errors: FileError[] = [];
  for (const path of view.rev.mcpConfigs) {
    const c = view.mcp(path);
    if (c.state !== "parsed") continue;
    if (c.result.ok) {
      for (const server of c.result.value.servers)
        if (!servers.has(server.name)) servers.set(server.name, { path, server });
    } else errors.push(c.result.error);
  }
  return { servers, errors };
}
