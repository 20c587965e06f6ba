import { posix } from "node:path";
import { evaluateAgent, type AgentAtRevision } from "../agent/evaluate.js";
import { aliasesOf } from "../change/classify.js";
import { serversAt } from "../runtime/mcp/servers.js";
import type { CapabilityTier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Snapshot } from "../input/types.js";
import { RevisionView, scopedTo, type ParseCache, type Views } from "../snapshot/view.js";
import { skillTier, toolTier } from "../tier/intrinsic.js";
import { serverOwnCapabilities } from "../runtime/mcp/locked.js";
import { tierOf } from "../tier/agent-tier.js";
import { LOCK_PATH } from "../artifact/lock.js";

/** An artifact no agent references, with the tier it has on its own. */
export interface Unreferenced {
  /** A skill folder, a tool file, or a server's name. */
  name: string;
  /** Where it is declared. */
  path: string;
  tier: CapabilityTier;
  why: string;
}

export interface Inventory {
  agents: AgentAtRevision[];
  skills: Unreferenced[];
  tools: Unreferenced[];
  servers: Unreferenced[];
}

/**
 * Every agent at one revision with its tier and reasons, and the skills, tool files and MCP
 * servers no agent references with their own tiers (`capgate tiers`). Total, as `decide` is.
 * `skills` are the `SKILL.md` paths and `tools` the tool files at the revision.
 */
export function inventory(
  rev: Snapshot,
  config: ResolvedConfig,
  listed: { skills: readonly string[]; tools: readonly string[] } = { skills: [], tools: [] },
  cache: ParseCache = new Map(),
): Inventory {
  const view = new RevisionView("head", scopedTo(rev, config), cache, undefined, config.agentSource);
  const agents = view.rev.agents.flatMap((path) => {
    const a = evaluateAgent(view, path, config);
    return a ? [a] : [];
  });
  const views: Views = { head: view, base: view };
  const usedSkills = new Set(agents.flatMap((a) => a.refs.skills));
  const usedTools = new Set(agents.flatMap((a) => a.refs.toolFiles));
  const usedServers = new Set(agents.flatMap((a) => [...a.refs.servers, ...a.refs.ownServers]));
  const everyServer = agents.some((a) => a.refs.allServers);
  const skills = listed.skills
    .map((md) => posix.dirname(md))
    // A skill loaded through a symbolic link (`.claude/skills → ../.agents/skills`) is used where it is kept too.
    .filter((folder) => !usedSkills.has(folder) && !aliasesOf(folder, views).some((a) => usedSkills.has(a)))
    .map((folder) => ({ name: folder, path: `${folder}/SKILL.md`, ...own(skillTier(folder, views, config)) }));
  const tools = listed.tools
    .filter((p) => !usedTools.has(p))
    .map((p) => ({ name: p, path: p, ...own(toolTier(p, views, config)) }));
  const servers = everyServer
    ? []
    : [...serversAt(view).servers]
        .filter(([name, d]) => !usedServers.has(name) && !d.server.disabled)
        .map(([name, d]) => {
          const own = serverOwnCapabilities(view, d.server, config);
          const writing = own.caps.filter((c) => c.writing).map((c) => c.name);
          return {
            name,
            path: d.path,
            tier: tierOf(own.caps, 1, []).tier,
            why: !own.locked
              ? `${d.server.transport}; ${own.caps[0]!.why}, so they count as writing`
              : `${d.server.transport}; its tools as ${LOCK_PATH} holds them: ${writing.length ? `writing ${writing.join(", ")}` : "all read-only"}`,
          };
        });
  return { agents, skills, tools, servers };
}

function own(t: { tier: CapabilityTier; why: string }): { tier: CapabilityTier; why: string } {
  return { tier: t.tier, why: t.why.replace(/; no agent references it$/, "") };
}
