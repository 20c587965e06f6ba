import { automationOf, type Automation } from "../artifact/automation.js";
import type { AgentManifest, McpServer, RuntimeAgent } from "../artifact/types.js";
import { serverOwnCapabilities } from "../runtime/mcp/locked.js";
import { toolCapability, unknownCapability, type Capability, type PreApproval } from "../capability/tools.js";
import { normalizeRef } from "../common/paths.js";
import type { CapabilityTier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError } from "../parse/result.js";
import { manifestRefs, NO_REFS, type AgentRefs } from "../reach/refs.js";
import type { RevisionView } from "../snapshot/view.js";
import { tierOf } from "../tier/agent-tier.js";
import { runtimeCapabilities } from "./declared.js";
import { serversAt } from "../runtime/mcp/servers.js";
import { agentAt } from "../runtime/registry.js";
import { skillCapabilities } from "../runtime/skills.js";

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
  /** What it runs unasked that the model does not choose (hooks, command-running settings): governance. */
  automation: Automation[];
  /** What its settings, and the commands and skills it may run, pre-approve. */
  preApproved: PreApproval[];
  /** The MCP servers whose tools it is given. */
  servers: McpServer[];
}

/** What an agent's references give it, and what is wrong with them. */
interface Gathered {
  caps: Capability[];
  refs: AgentRefs;
  errors: FileError[];
  servers: McpServer[];
}

/** One agent's tier at one revision, from its manifest and everything it references; null when absent. */
export function evaluateAgent(view: RevisionView, path: string, config: ResolvedConfig): AgentAtRevision | null {
  const lookup = agentAt(view, path);
  if (lookup.state === "absent") return null;
  if (!lookup.result.ok) {
    return {
      path,
      name: path,
      manifest: null,
      tier: config.ladder.order[config.ladder.order.length - 1]!,
      reasons: [`the manifest cannot be read (${lookup.result.error.reason}), so the worst case is assumed`],
      capabilities: [],
      maxSteps: null,
      confirm: [],
      refs: NO_REFS,
      errors: [lookup.result.error],
      automation: [],
      preApproved: [],
      servers: [],
    };
  }
  const m = lookup.result.value;
  if (m.runtime) return runtimeAgent(view, path, { ...m, runtime: m.runtime }, config);
  const got: Gathered = {
    caps: [],
    refs: { ...NO_REFS, toolFiles: [], skills: [], servers: [], ownServers: [] },
    errors: [],
    servers: [],
  };
  const refError = (reason: string) => got.errors.push({ path, reason });
  const ref = (raw: string, what: string): string | null => {
    const n = normalizeRef(raw);
    if (n === null) refError(`${what} "${raw}" is not a path inside the repository`);
    return n;
  };
  readPrompt(view, m, got, ref, refError);
  for (const t of m.tools) {
    const p = ref(t.path, "tool file");
    if (!p) {
      got.caps.push(unknownCapability(`${t.path}:*`, t.path, "the path cannot be read"));
      continue;
    }
    got.refs.toolFiles.push(p);
    readToolFile(view, p, t.only, p, got, refError, config);
  }
  readSkills(view, m, got, ref, refError, config);
  readServers(view, m, got, ref, refError, config);
  const { tier, reasons } = tierOf(got.caps, m.maxSteps, m.confirm);
  return {
    path,
    name: m.name,
    manifest: m,
    tier,
    reasons,
    capabilities: got.caps,
    maxSteps: m.maxSteps,
    confirm: m.confirm,
    refs: got.refs,
    errors: got.errors,
    automation: [],
    preApproved: [],
    servers: got.servers,
  };
}

/** An agent a runtime's own file declares: its tools in the runtime's terms, its loop as the runtime runs it. */
function runtimeAgent(
  view: RevisionView,
  path: string,
  m: AgentManifest & { runtime: RuntimeAgent },
  config: ResolvedConfig,
): AgentAtRevision {
  const { caps, errors, preApproved, servers } = runtimeCapabilities(view, path, m, config);
  const { tier, reasons } = tierOf(caps, m.maxSteps, [], m.runtime.loop);
  return {
    path,
    name: m.name,
    manifest: m,
    tier,
    reasons: [
      ...(m.runtime.unreadable ? [`${m.runtime.unreadable}: judged as the worst case`] : []),
      ...(m.runtime.notes ?? []),
      ...reasons,
    ],
    capabilities: caps,
    maxSteps: m.maxSteps,
    confirm: [],
    refs: manifestRefs(view, path) ?? NO_REFS,
    errors,
    automation: automationOf(m),
    preApproved,
    servers,
  };
}

type Ref = (raw: string, what: string) => string | null;
type RefError = (reason: string) => void;

function readPrompt(view: RevisionView, m: AgentManifest, got: Gathered, ref: Ref, refError: RefError): void {
  if (m.prompt === undefined) return;
  const p = ref(m.prompt, "prompt");
  if (!p) return;
  got.refs.prompt = p;
  const f = view.file(p);
  if (f.state === "absent") refError(`names prompt ${p}, which does not exist`);
  else if (f.state === "error" || f.state === "opaque") got.errors.push({ path: p, reason: f.reason });
}

function readToolFile(
  view: RevisionView,
  file: string,
  only: string[] | undefined,
  source: string,
  got: Gathered,
  refError: RefError,
  config: ResolvedConfig,
): void {
  const t = view.tools(file);
  if (t.state === "absent") {
    refError(`names tool file ${file}, which does not exist`);
    got.caps.push(unknownCapability(`${file}:*`, source, `${file} does not exist`));
    return;
  }
  if (!t.result.ok) {
    got.errors.push(t.result.error);
    got.caps.push(unknownCapability(`${file}:*`, source, `${file} cannot be read`));
    return;
  }
  const tools = t.result.value.tools;
  for (const name of only ?? []) {
    if (tools.some((tool) => tool.name === name)) continue;
    refError(`lists tool "${name}" under only:, but ${file} does not define it`);
    // What the agent was given is unknown: the worst case.
    got.caps.push(unknownCapability(name, source, `${file} does not define it`));
  }
  for (const tool of tools) if (!only || only.includes(tool.name)) got.caps.push(toolCapability(tool, source, config));
}

function readSkills(
  view: RevisionView,
  m: AgentManifest,
  got: Gathered,
  ref: Ref,
  refError: RefError,
  config: ResolvedConfig,
): void {
  for (const s of m.skills) {
    const folder = ref(s, "skill");
    if (!folder) {
      got.caps.push(unknownCapability(`skill:${s}`, `skill ${s}`, "the path cannot be read"));
      continue;
    }
    got.refs.skills.push(folder);
    const sk = view.skill(`${folder}/SKILL.md`);
    if (sk.state === "absent") {
      refError(`names skill ${folder}, which has no SKILL.md`);
      got.caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "the skill does not exist"));
    } else if (!sk.result.ok) {
      got.errors.push(sk.result.error);
      got.caps.push(unknownCapability(`skill:${folder}`, `skill ${folder}`, "its SKILL.md cannot be read"));
    } else got.caps.push(...skillCapabilities(sk.result.value, folder, config));
  }
}

function readServers(
  view: RevisionView,
  m: AgentManifest,
  got: Gathered,
  ref: Ref,
  refError: RefError,
  config: ResolvedConfig,
): void {
  if (m.servers.length === 0) return;
  const declared = serversAt(view);
  for (const server of m.servers) {
    got.refs.servers.push(server.name);
    if (!declared.servers.has(server.name)) {
      const broken = declared.errors.map((e) => e.path);
      refError(
        `names MCP server "${server.name}", which no MCP config declares` +
          (broken.length ? ` (unreadable: ${broken.join(", ")})` : ""),
      );
      got.errors.push(...declared.errors);
    }
    const source = `MCP server ${server.name}`;
    const live = declared.servers.get(server.name)?.server;
    if (live) got.servers.push(live);
    if (!server.tools?.length) {
      if (!live) {
        got.caps.push(unknownCapability(`mcp:${server.name}`, source, "its tools are not declared in the repository"));
        continue;
      }
      const own = serverOwnCapabilities(view, live, config);
      if (own.error) got.errors.push(own.error);
      got.caps.push(...own.caps);
      continue;
    }
    for (const file of server.tools) {
      const p = ref(file, "server tool file");
      if (!p) continue;
      got.refs.toolFiles.push(p);
      readToolFile(view, p, undefined, source, got, refError, config);
    }
  }
}
