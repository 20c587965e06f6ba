import type { FileError } from "../parse/result.js";
import type { RevisionView } from "../snapshot/view.js";

/** The MCP servers every MCP config at a revision declares, by name, and the configs that cannot be read. */
export function serversAt(view: RevisionView): { servers: Map<string, string>; errors: FileError[] } {
  const servers = new Map<string, string>();
  const errors: FileError[] = [];
  for (const path of view.rev.mcpConfigs) {
    const c = view.mcp(path);
    if (c.state !== "parsed") continue;
    if (c.result.ok) {
      for (const s of c.result.value.servers) if (!servers.has(s.name)) servers.set(s.name, path);
    } else errors.push(c.result.error);
  }
  return { servers, errors };
}
