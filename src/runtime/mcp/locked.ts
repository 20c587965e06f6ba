import { LOCK_PATH, lockEntryFor, toolDefOf, type LockEntry } from "../../artifact/lock.js";
import type { McpServer, ToolDef } from "../../artifact/types.js";
import { toolCapability, unknownCapability, type Capability } from "../../capability/tools.js";
import type { ResolvedConfig } from "../../config/resolve.js";
import type { FileError } from "../../parse/result.js";
import type { RevisionView } from "../../snapshot/view.js";

/** A server's tools as `capgate.lock` holds them, when its entry is for the server as the config starts it. */
export interface LockedServer {
  entry: LockEntry;
  tools: ToolDef[];
}

/**
 * The locked tools of a server at a revision: the lock's entry of its name whose start is the
 * config's, values and all. No lock, no such entry, or a lock that cannot be read: null, and the
 * server's tools stay unknown (with the lock's error, to report).
 */
export function lockedServer(
  view: RevisionView,
  server: McpServer,
): { locked: LockedServer | null; error?: FileError; stale?: boolean } {
  const lock = view.lock();
  if (lock.state === "absent") return { locked: null };
  if (!lock.result.ok) return { locked: null, error: lock.result.error };
  const doc = lock.result.value;
  const entry = lockEntryFor(doc, server);
  // Started otherwise by another config: the lock holds only if it gives the same tools each way.
  const same = (server.others ?? []).every(
    (launch) => toolSet(lockEntryFor(doc, { ...server, launch })) === toolSet(entry),
  );
  if (entry && same) return { locked: { entry, tools: entry.tools.map(toolDefOf) } };
  return { locked: null, ...(doc.servers.some((e) => e.name === server.name) ? { stale: true } : {}) };
}

/** A locked entry's tools, as one value; no entry, none (never the same as an entry's). */
const toolSet = (e: LockEntry | null) => (e ? e.tools.map((t) => t.digest).join("\n") : null);

/** Why a server's tools are unknown, with what would make them known. */
export function unknownToolsWhy(server: McpServer, lookup: { stale?: boolean; error?: FileError }): string {
  if (lookup.stale)
    return `its tools are not declared in the repository (${LOCK_PATH} holds ${server.name} as started otherwise: run \`capgate pin\`)`;
  if (lookup.error) return `its tools are not declared in the repository (${LOCK_PATH} cannot be read)`;
  return "its tools are not declared in the repository";
}

/** A locked tool as a capability, by its annotations, named as the runtime names it (`name`). */
export function lockedCapability(def: ToolDef, source: string, config: ResolvedConfig, name = def.name): Capability {
  const cap = toolCapability({ ...def, name }, source, config);
  return { ...cap, why: `${cap.why}, in ${LOCK_PATH}` };
}

/** A server's tools on their own: those `capgate.lock` holds for it, else one unknown writing tool. */
export function serverOwnCapabilities(
  view: RevisionView,
  s: McpServer,
  config: ResolvedConfig,
): { caps: Capability[]; locked: boolean; error?: FileError } {
  const lookup = lockedServer(view, s);
  const source = `MCP server ${s.name}`;
  if (lookup.locked) return { caps: lookup.locked.tools.map((t) => lockedCapability(t, source, config)), locked: true };
  return {
    caps: [unknownCapability(`mcp:${s.name}`, source, unknownToolsWhy(s, lookup))],
    locked: false,
    ...(lookup.error ? { error: lookup.error } : {}),
  };
}
