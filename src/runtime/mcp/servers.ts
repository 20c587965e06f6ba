import { launchDigest } from "../../artifact/lock.js";
import type { McpServer } from "../../artifact/types.js";
import type { FileError } from "../../parse/result.js";
import type { RevisionView } from "../../snapshot/view.js";

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
    const f = view.file(path);
    // A config a checkout shows but capgate cannot see (a link out of the tree, a submodule, a Git
    // LFS pointer) may declare any server: one server of unknown tools, unasked, said as such.
    if (f.state === "unseen") {
      const name = unseenServerName(path);
      servers.set(name, { path, server: unseenServer(name, `${path} ${f.reason}`) });
      continue;
    }
    const c = view.mcp(path);
    if (c.state !== "parsed") continue;
    if (c.result.ok) {
      for (const server of c.result.value.servers) {
        const known = servers.get(server.name);
        servers.set(
          server.name,
          known ? { path: known.path, server: worstOf(known.server, server) } : { path, server },
        );
      }
    } else errors.push(c.result.error);
  }
  return { servers, errors };
}

/**
 * One server declared by several configs (each client reads its own): the runtime may start any
 * of them, so it is the worst case of them all — live if any is, every tool any of them gives,
 * trusted if any is, and each way they start it (its locked tools hold only when they hold for each).
 */
function worstOf(a: McpServer, b: McpServer): McpServer {
  if (a.disabled !== b.disabled) return a.disabled ? b : a;
  const tools = a.tools === null || b.tools === null ? null : [...new Set([...a.tools, ...b.tools])];
  const starts = [a.launch, ...(a.others ?? []), b.launch, ...(b.others ?? [])];
  const others = starts.slice(1).filter((l) => launchDigest(l) !== launchDigest(a.launch));
  return {
    ...a,
    tools,
    excluded: a.excluded.filter((t) => b.excluded.includes(t)),
    trusted: a.trusted || b.trusted,
    ...(others.length ? { others } : {}),
  };
}

/** What the servers of a config capgate cannot see are called: one server, its worst case. */
export const unseenServerName = (path: string): string => `every server of ${path}`;

/** The worst case of a config that cannot be seen: any tools, run without asking. */
function unseenServer(name: string, why: string): McpServer {
  return {
    name,
    transport: `unknown: ${why}`,
    disabled: false,
    tools: null,
    excluded: [],
    trusted: true,
    pinned: null,
    package: null,
    launch: { command: null, url: null, type: null, cwd: null, args: [], env: [], headers: [] },
  };
}
