import type { AgentManifest } from "../artifact/types.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError } from "../parse/result.js";
import type { CapabilityTier } from "../tier/ladder.js";
import { isConfirmed, skillCapabilities, toolCapability, unknownCapability, type Capability } from "./tools.js";
import { normalizeRef, type RevisionView } from "./view.js";

/** What an agent references, with paths normalized: the edges along which a change touches it. */
export interface AgentRefs {
  prompt: string | null;
  toolFiles: string[];
  skills: string[];
  servers: string[];
}

export interface AgentAtRevision {
  path: string;
  name: string;
  manifest: AgentManifest | null;
  tier: CapabilityTier;
  reasons: string[];
  capabilities: Capability[];
  maxSteps: number | null;
  confirm: string[];
  refs: AgentRefs;
  errors: FileError[];
  pending: boolean;
}

/** Works out one agent's tier at one revision from its manifest and everything it references. */
export function evaluateAgent(view: RevisionView, path: string, config: ResolvedConfig): AgentAtRevision | null {
  const lookup = view.agent(path);
  if (lookup.state === "absent") return null;
  const base: AgentAtRevision = {
    path,
    name: path,
    manifest: null,
    tier: config.ladder.order[config.ladder.order.length - 1]!,
    reasons: [],
    capabilities: [],
    maxSteps: null,
    confirm: [],
    refs: { prompt: null, toolFiles: [], skills: [], servers: [] },
    errors: [],
    pending: lookup.state === "pending",
  };
  if (lookup.state === "pending") return base;
  if (!lookup.result.ok) {
    base.errors.push(lookup.result.error);
    base.reasons.push(`the manifest cannot be read (${lookup.result.error.reason}), so the worst case is assumed`);
    return base;
  }
  const m = lookup.result.value;
  const agent: AgentAtRevision = { ...base, name: m.name, manifest: m, maxSteps: m.maxSteps, confirm: m.confirm };
  const caps: Capability[] = [];
  const refError = (reason: string) => agent.errors.push({ path, reason });
  const ref = (raw: string, what: string): string | null => {
    const n = normalizeRef(raw);
    if (n === null) refError(`${what} "${raw}" is not a path inside the repository`);
    return n;
  };

  if (m.prompt !== undefined) {
    const p = ref(m.prompt, "prompt");
    if (p) {
      agent.refs.prompt = p;
      const f = view.file(p);
      if (f.state === "pending") agent.pending = true;
      else if (f.state === "absent") refError(`names prompt ${p}, which does not exist`);
      else if (f.state === "error") agent.errors.push({ path: p, reason: f.reason });
    }
  }

  const readToolFile = (file: string, only: string[] | undefined, source: string) => {
    const t = view.tools(file);
    if (t.state === "pending") {
      agent.pending = true;
      return;
    }
    if (t.state === "absent") {
      refError(`names tool file ${file}, which does not exist`);
      caps.push(unknownCapability(`${file}:*`, source, `${file} does not exist`));
      return;
    }
    if (!t.result.ok) {
      agent.errors.push(t.result.error);
      caps.push(unknownCapability(`${file}:*`, source, `${file} cannot be read`));
      return;
    }
    const tools = t.result.value.tools;
    for (const name of only ?? []) {
      if (tools.some((tool) => tool.name === name)) continue;
      refError(`lists tool "${name}" under only:, but ${file} does not define it`);
      // What the agent was given is unknown: the worst case.
      caps.push(unknownCapability(name, source, `${file} does not define it`));
    }
    for (const tool of tools) {
      if (only && !only.includes(tool.name)) continue;
      caps.push(toolCapability(tool, source, config));
    }
  };

  for (const t of m.tools) {
    const p = ref(t.path, "tool file");
    if (!p) {
      caps.push(unknownCapability(`${t.path}:*`, t.path, "the path cannot be read"));
      continue;
    }
    agent.refs.toolFiles.push(p);
    readToolFile(p, t.only, p);
  }

  for (const s of m.skills) {
    const folder = ref(s, "skill");
    if (!folder) {
      caps.push(unknownCapability(`skill:${s}`, `skill ${s}`, "the path cannot be read"));
      continue;
    }
    agent.refs.skills.push(folder);
    const skillPath = `${folder}/SKILL.md`;
    const sk = view.skill(skillPath);
    if (sk.state === "pending") agent.pending = true;
    else if (sk.state === "absent") {
      refError(`names skill ${folder}, which has no SKILL.md`);
      caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "the skill does not exist"));
    } else if (!sk.result.ok) {
      agent.errors.push(sk.result.error);
      caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "its SKILL.md cannot be read"));
    } else caps.push(...skillCapabilities(sk.result.value, folder, config));
  }

  const declared = serversAt(view);
  if (declared === "pending" && m.servers.length > 0) agent.pending = true;
  for (const server of m.servers) {
    agent.refs.servers.push(server.name);
    if (declared !== "pending") {
      const found = declared.servers.get(server.name);
      if (!found) {
        const broken = declared.errors.map((e) => e.path);
        refError(
          `names MCP server "${server.name}", which no MCP config declares` +
            (broken.length ? ` (unreadable: ${broken.join(", ")})` : ""),
        );
        agent.errors.push(...declared.errors);
      }
    }
    const source = `MCP server ${server.name}`;
    if (server.tools && server.tools.length > 0) {
      for (const file of server.tools) {
        const p = ref(file, "server tool file");
        if (!p) continue;
        agent.refs.toolFiles.push(p);
        readToolFile(p, undefined, source);
      }
    } else {
      caps.push(unknownCapability(`mcp:${server.name}`, source, "its tools are not declared in the repository"));
    }
  }

  agent.capabilities = caps;
  const { tier, reasons } = tierOf(caps, m.maxSteps, m.confirm);
  agent.tier = tier;
  agent.reasons = reasons;
  return agent;
}

/** Servers declared by every MCP config at a revision, by name. */
export function serversAt(view: RevisionView): "pending" | { servers: Map<string, string>; errors: FileError[] } {
  const servers = new Map<string, string>();
  const errors: FileError[] = [];
  let pending = false;
  for (const path of view.rev.mcpConfigs) {
    const c = view.mcp(path);
    if (c.state === "pending") pending = true;
    else if (c.state === "parsed") {
      if (c.result.ok) {
        for (const s of c.result.value.servers) if (!servers.has(s.name)) servers.set(s.name, path);
      } else {
        errors.push(c.result.error);
      }
    }
  }
  return pending ? "pending" : { servers, errors };
}

/** The tier rule of PRODUCT §2, with the reasons in words. */
export function tierOf(
  caps: readonly Capability[],
  maxSteps: number | null,
  confirm: readonly string[],
): { tier: CapabilityTier; reasons: string[] } {
  const writing = caps.filter((c) => c.writing);
  if (caps.length === 0) return { tier: "chat", reasons: ["no tools"] };
  if (writing.length === 0) {
    return { tier: "tools", reasons: [`read-only tools only: ${names(caps)}`] };
  }
  const unconfirmed = writing.filter((c) => !isConfirmed(c, confirm));
  if (unconfirmed.length === 0) {
    return { tier: "write", reasons: [`writing tools ${names(writing)}, each call confirmed by a human`] };
  }
  if (maxSteps === 1) {
    return { tier: "write", reasons: [`writing tools ${names(writing)} in a single-step agent (max_steps: 1)`] };
  }
  const loop = maxSteps === null ? "an unlimited loop (no max_steps)" : `a loop of up to ${maxSteps} steps`;
  return {
    tier: "autonomous",
    reasons: unconfirmed.map((c) => `${c.name} (${c.source}; ${c.why}) can be called without confirmation in ${loop}`),
  };
}

function names(caps: readonly Capability[]): string {
  return [...new Set(caps.map((c) => c.name))].join(", ");
}
