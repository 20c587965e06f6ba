import { parseData } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { isMap } from "./prompt.js";
import type { McpConfigDoc, McpServer } from "./types.js";

/** Reads an MCP client config: the `mcpServers` map (Claude, Cursor) or `servers` (VS Code). */
export function parseMcpConfig(path: string, text: string): Parsed<McpConfigDoc> {
  const data = parseData(path, text);
  if (!data.ok) return data;
  const v = data.value;
  if (!isMap(v)) return fail(path, "an MCP config must be a JSON object");
  const maps = (["mcpServers", "servers"] as const).filter((k) => v[k] !== undefined);
  if (maps.length === 0) return fail(path, "no `mcpServers` or `servers` map");
  const servers: McpServer[] = [];
  const seen = new Set<string>();
  for (const key of maps) {
    const map = v[key];
    if (!isMap(map)) return fail(path, `\`${key}\` must be an object of servers`);
    for (const [name, server] of Object.entries(map)) {
      if (!isMap(server)) return fail(path, `${key}.${name}: a server must be an object`);
      if (seen.has(name)) return fail(path, `server "${name}" is defined twice`);
      seen.add(name);
      const transport =
        typeof server.url === "string"
          ? `url ${server.url}`
          : typeof server.command === "string"
            ? `command ${server.command}`
            : null;
      if (transport === null) return fail(path, `${key}.${name}: a server needs a \`command\` or a \`url\``);
      servers.push({ name, transport });
    }
  }
  return ok({ servers });
}
