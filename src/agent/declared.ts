import type { AgentManifest, McpServer, RuntimeAgent } from "../artifact/types.js";
import { LOCK_PATH } from "../artifact/lock.js";
import { lockedCapability, lockedServer, unknownToolsWhy, type LockedServer } from "../runtime/mcp/locked.js";
import { baseToolName, unknownCapability, WRITES, type Capability, type PreApproval } from "../capability/tools.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError } from "../parse/result.js";
import { runtimeFor } from "../runtime/registry.js";
import { skillCapabilities } from "../runtime/skills.js";
import type { AgentRuntime, RuntimeContext, ToolRef } from "../runtime/types.js";
import type { RevisionView } from "../snapshot/view.js";

/**
 * What an agent an agent runtime declares can do: each tool it is given, read in the runtime's
 * own terms (its built-in tools, its names for MCP tools resolved to the servers of the MCP
 * configs), and whether the runtime asks before each call — each runtime's module answers.
 */
export function runtimeCapabilities(
  view: RevisionView,
  path: string,
  m: AgentManifest & { runtime: RuntimeAgent },
  config: ResolvedConfig,
): { caps: Capability[]; errors: FileError[]; preApproved: PreApproval[]; servers: McpServer[] } {
  const rt = m.runtime;
  const runtime = runtimeFor(rt.kind);
  if (rt.unreadable)
    return {
      caps: [
        {
          ...unknownCapability(
            `every ${runtime.name} tool`,
            rt.what,
            `what it declares cannot be read: ${rt.unreadable}`,
          ),
          confirmation: { asked: false, why: `${runtime.name} may give it every tool` },
        },
      ],
      errors: [],
      preApproved: [],
      servers: [],
    };
  const at: At = { runtime, rt, ctx: runtime.context(view, path, rt), config, view, servers: new Map() };
  const caps: Capability[] = [];
  const names = rt.toolNames ?? runtime.everyBuiltin();
  // `disallowedTools` takes away what its rules cover whole (`Bash`, `mcp__server`, `mcp__server__*`);
  // a rule scoped to one command (`Bash(rm:*)`) leaves the tool, as does one that cannot be read.
  const isRemoved = (name: string) => runtime.takesAway(rt.removed, name);
  for (const name of names) if (!isRemoved(name)) caps.push(...capabilitiesOf(name, at));
  // Left out, `tools` is every tool of the session, every server's included.
  if (rt.toolNames === null)
    for (const s of at.ctx.servers.values())
      caps.push(...serverCapabilities(s, null, at).filter((c) => !isRemoved(c.name)));
  for (const folder of m.skills) {
    const sk = view.skill(`${folder}/SKILL.md`);
    if (sk.state === "parsed" && sk.result.ok) caps.push(...skillCapabilities(sk.result.value, folder, config));
    else
      caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "the skill cannot be read in the repository"));
  }
  caps.push(...runtime.extras(view, path, m, at.ctx, config));
  return {
    caps,
    errors: [...at.ctx.errors, ...lockErrors(at)],
    preApproved: runtime.preApprovals(view, path, m, at.ctx),
    servers: [...at.servers.values()].map((s) => s.server),
  };
}

/** An agent being read: its runtime, its declaration, what it runs under, and the config. */
interface At {
  runtime: AgentRuntime;
  rt: RuntimeAgent;
  ctx: RuntimeContext;
  config: ResolvedConfig;
  view: RevisionView;
  /** The servers whose tools it was given, each with its tools as `capgate.lock` holds them. */
  servers: Map<string, { server: McpServer; locked: LockedServer | null; error?: FileError; stale?: boolean }>;
}

/** The lock's error, once, when a server the agent was given could not be looked up in it. */
function lockErrors(at: At): FileError[] {
  const e = [...at.servers.values()].find((s) => s.error)?.error;
  return e ? [e] : [];
}

/** A server the agent is given, looked up in `capgate.lock` once. */
function usedServer(server: McpServer, at: At): { locked: LockedServer | null; stale?: boolean; error?: FileError } {
  let u = at.servers.get(server.name);
  if (!u) at.servers.set(server.name, (u = { server, ...lockedServer(at.view, server) }));
  return u;
}

/**
 * What one name of an agent's `tools` gives. A name that is both a built-in and a server's tools
 * (a Copilot tool set named like a server it may reach) is read both ways: the worst case.
 */
function capabilitiesOf(name: string, at: At): Capability[] {
  const caps = present([capabilityOf(name, at)]);
  const also = at.runtime.alsoServer(name, at.ctx);
  const server = also ? at.ctx.servers.get(also.server) : undefined;
  if (also && server) caps.push(...serverCapabilities(server, also.tool, at));
  return caps;
}

/** One name of an agent's `tools`: a built-in, an MCP tool or server, or a name nobody documents. */
function capabilityOf(name: string, at: At): Capability | null {
  const { runtime, config } = at;
  const mcp = runtime.mcpTool(name, at.ctx);
  if (mcp) {
    const server = at.ctx.servers.get(mcp.server);
    if (!server && at.ctx.off.has(mcp.server)) return null;
    if (!server)
      return confirmed(
        unknownCapability(
          name,
          `MCP server ${mcp.server}`,
          `server ${mcp.server} is not declared in the repository's MCP configs`,
        ),
        { server: mcp.server, tool: mcp.tool },
        at,
        null,
      );
    const caps = serverCapabilities(server, mcp.tool, at);
    return caps.length === 1 ? caps[0]! : caps.length === 0 ? null : { ...caps[0]!, name };
  }
  const base = baseToolName(name);
  const builtin = runtime.builtin(base) ?? runtime.builtin(name);
  const source = `${runtime.name} built-in`;
  let cap: Capability;
  if (config.isClassifiedWriting(name) || config.isClassifiedWriting(base))
    cap = { name, source, writing: true, why: "classified writing by the config", confirmable: false };
  else if (builtin && !WRITES.has(builtin.kind))
    cap = { name, source, writing: false, why: builtin.does, confirmable: false };
  else if (config.isClassifiedReadOnly(name) || config.isClassifiedReadOnly(base))
    cap = { name, source, writing: false, why: "classified read-only by the config", confirmable: false };
  else if (builtin) cap = { name, source, writing: true, why: builtin.does, confirmable: false };
  else
    cap = {
      name,
      source: at.rt.what,
      writing: true,
      why: `not a ${runtime.name} tool capgate knows, so not read-only`,
      confirmable: false,
    };
  return confirmed(cap, { builtin: base }, at, null);
}

/**
 * A server's tools as capabilities: each its client lists (or the one named), classified by its
 * annotations where `capgate.lock` holds the server as the config starts it; else the whole
 * server, or each listed tool, unknown.
 */
function serverCapabilities(server: McpServer, tool: string | null, at: At): Capability[] {
  const { runtime } = at;
  const only = runtime.honoursServerLists ? server.tools : null;
  const excluded = runtime.honoursServerLists ? server.excluded : [];
  if (tool !== null && (excluded.includes(tool) || (only && !only.includes(tool)))) return [];
  const used = usedServer(server, at);
  const locked = used.locked;
  const names = tool !== null ? [tool] : (only ?? locked?.tools.map((t) => t.name) ?? null);
  if (names === null) {
    const all = unknownCapability(
      runtime.serverTool(server.name, "*"),
      `MCP server ${server.name}`,
      unknownToolsWhy(server, used),
    );
    return present([confirmed(all, { server: server.name, tool: null }, at, server)]);
  }
  return present(
    names
      .filter((t) => !excluded.includes(t))
      .map((t) => confirmed(serverTool(server, t, locked, at), { server: server.name, tool: t }, at, server)),
  );
}

/** One tool of a server: by its locked definition, else by the config's classification, else unknown writing. */
function serverTool(server: McpServer, t: string, locked: LockedServer | null, at: At): Capability {
  const { runtime, config } = at;
  const name = runtime.serverTool(server.name, t);
  const source = `MCP server ${server.name}`;
  const def = locked?.tools.find((d) => d.name === t);
  if (def) return { ...lockedCapability(def, source, config, name), confirmable: false };
  const readOnly = !config.isClassifiedWriting(name) && config.isClassifiedReadOnly(name);
  if (readOnly) return { name, source, writing: false, why: "classified read-only by the config", confirmable: false };
  const why = locked
    ? `not among the tools ${LOCK_PATH} holds for ${server.name}`
    : "an MCP tool whose annotations are not in the repository";
  return { name, source, writing: true, why, confirmable: false };
}

const present = (caps: (Capability | null)[]): Capability[] => caps.filter((c): c is Capability => c !== null);

/** The capability with the runtime's answer to "is a person asked before each call?". */
function confirmed(cap: Capability, tool: ToolRef, at: At, server: McpServer | null): Capability | null {
  if (!cap.writing) return cap;
  if (server?.trusted)
    return { ...cap, confirmation: { asked: false, why: `server ${server.name} is trusted (trust: true)` } };
  const p = at.runtime.confirm(tool, at.rt, at.ctx);
  // A tool the rules or the mode take away is not one it has.
  if (!p.available) return null;
  if (p.readOnly) return { ...cap, writing: false, why: `${cap.why}, ${p.why}` };
  return { ...cap, confirmation: { asked: p.asked, why: p.why } };
}
