import { launcherPin, type LauncherPin } from "../artifact/launcher.js";
import { launchDigest, LOCK_PATH } from "../artifact/lock.js";
import { compareText } from "../common/order.js";
import type { McpServer } from "../artifact/types.js";
import type { AgentAtRevision } from "../agent/evaluate.js";
import type { CapabilityTier, Tier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { lockedServer } from "../runtime/mcp/locked.js";
import { serversAt } from "../runtime/mcp/servers.js";
import type { Views } from "../snapshot/view.js";
import type { ChangeAnalysis } from "../tier/changes.js";

/** A server the change's tiers ask to be pinned: what starts it, and whether the lock holds it as started. */
export interface PinNeed {
  server: string;
  /** What tells it apart: its name, with its file when another server of the name is started otherwise. */
  id: string;
  /** The file that declares it. */
  path: string;
  /** The touched tiers, at or above `pins`, of the agents (or config) that use it. */
  tiers: Tier[];
  pin: Exclude<LauncherPin, { state: "local" }>;
  /** Its entry in `capgate.lock`, when the lock holds the server as the config starts it. */
  locked: { version: string } | null;
}

/**
 * The servers whose launcher the change asks to be pinned: each server the change touches — one
 * a changed MCP config adds or starts otherwise, one whose entry in `capgate.lock` changes, one an
 * agent is newly given — that an agent it reaches at or above `pins` is given at head (or, with no
 * such agent, that a changed config declares, at the config's own tier). A server nobody touched
 * is not asked of every change near it; a local program needs nothing: it changes only with a commit.
 */
export function pinNeeds(
  agents: { head: readonly AgentAtRevision[]; base: ReadonlyMap<string, AgentAtRevision | null> },
  changes: readonly ChangeAnalysis[],
  touchedServers: ReadonlySet<string>,
  views: Views,
  config: ResolvedConfig,
): PinNeed[] {
  const floor = config.pins;
  if (floor === null) return [];
  const at = (t: Tier | null): t is CapabilityTier =>
    t !== null && t !== "governance" && config.ladder.compare(t, floor) >= 0;
  const declared = serversAt(views.head).servers;
  const needs = new Map<string, { server: McpServer; path: string; tiers: Set<Tier> }>();
  const need = (server: McpServer, path: string, tier: Tier) => {
    const key = `${server.name}\0${launchDigest(server.launch)}`;
    let n = needs.get(key);
    if (!n) needs.set(key, (n = { server, path, tiers: new Set() }));
    n.tiers.add(tier);
  };
  // Where a server is declared: the config that starts it so, else the agent's own file.
  const whereIs = (s: McpServer, agent: string) => {
    const d = declared.get(s.name);
    return d && launchDigest(d.server.launch) === launchDigest(s.launch) ? d.path : agent;
  };
  for (const a of agents.head) {
    if (!at(a.tier)) continue;
    const before = new Map((agents.base.get(a.path)?.servers ?? []).map((s) => [s.name, launchDigest(s.launch)]));
    for (const s of a.servers)
      if (touchedServers.has(s.name) || before.get(s.name) !== launchDigest(s.launch))
        need(s, whereIs(s, a.path), a.tier);
  }
  for (const c of changes) {
    if (c.kind !== "mcp" || c.agents.length > 0 || !at(c.tier) || c.status === "deleted" || c.path === LOCK_PATH)
      continue;
    const doc = views.head.mcp(c.path);
    if (doc.state === "parsed" && doc.result.ok)
      for (const s of doc.result.value.servers) if (touchedServers.has(s.name)) need(s, c.path, c.tier);
  }
  const list = [...needs.values()];
  const named = (n: string) => list.filter((x) => x.server.name === n).length;
  return list
    .flatMap(({ server, path, tiers }) => {
      const pin = launcherPin(server.launch);
      if (server.disabled || pin.state === "local") return [];
      const entry = lockedServer(views.head, server).locked?.entry;
      const locked = entry ? { version: entry.serverInfo.version } : null;
      // Two servers of one name started two ways (in two files) are two requirements.
      const id = named(server.name) > 1 ? `${server.name} (${path})` : server.name;
      return [{ server: server.name, id, path, tiers: config.ladder.sortDescending(tiers), pin, locked }];
    })
    .sort((a, b) => compareText(a.id, b.id));
}
