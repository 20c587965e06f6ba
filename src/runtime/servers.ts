import type { McpServer, RuntimeAgent } from "../artifact/types.js";
import type { FileError } from "../parse/result.js";
import type { RevisionView } from "../snapshot/view.js";
import { serversAt } from "./mcp/servers.js";
import type { RuntimeContext } from "./types.js";

/**
 * The servers an agent may reach at a revision: those the MCP configs declare and start (less
 * those `disabled` names, and, for a session that enables servers one by one, only those it
 * `enabled`), then its own, which stand over a config's of the same name.
 */
export function serversFor(
  view: RevisionView,
  rt: RuntimeAgent,
  filter: { enabled: ReadonlySet<string> | null; disabled: ReadonlySet<string> } = {
    enabled: null,
    disabled: new Set(),
  },
): RuntimeContext {
  const errors: FileError[] = [];
  const servers = new Map<string, McpServer>();
  const off = new Set<string>();
  const declared = serversAt(view);
  errors.push(...declared.errors);
  for (const [name, d] of declared.servers) {
    if (d.server.disabled || filter.disabled.has(name)) {
      off.add(name);
      continue;
    }
    // The session reaches the project's servers it enables; a subagent, every server it may be given.
    if (filter.enabled && !rt.allServers && !filter.enabled.has(name)) continue;
    servers.set(name, d.server);
  }
  for (const s of rt.inlineServers) {
    if (s.disabled) off.add(s.name);
    else {
      off.delete(s.name);
      servers.set(s.name, s);
    }
  }
  return { servers, off, errors };
}
