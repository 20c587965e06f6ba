import type { McpServer, PolicyAnswer, PolicyRule, RuntimeAgent, ToolPolicy } from "../artifact/types.js";
import type { BuiltinTable, Capability, PreApproval } from "../capability/tools.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { commandPattern, dangerous, type CommandPattern } from "./commands.js";
import { serversFor } from "./servers.js";
import type { AgentRuntime, Permission, RuntimeContext, ToolRef } from "./types.js";

/**
 * The runtimes that keep their permissions as rules over their tools (Codex, Gemini CLI, Cursor,
 * Kiro and Amazon Q, OpenCode, an agent a workflow step runs) share one shape, `ToolPolicy`, read from the agent's own files: what the
 * runtime does before a call of each tool a rule names — run it, run it where it cannot write, ask,
 * or refuse — what it does for a tool no rule names, and the shell commands it runs unasked.
 */

const rank: Record<PolicyAnswer, number> = { deny: 0, read: 1, ask: 2, allow: 3 };

/** The worst of two rules: the one that lets the most through without a person. */
export const worse = (a: PolicyRule, b: PolicyRule): PolicyRule => (rank[b.answer] > rank[a.answer] ? b : a);

export const rule = (answer: PolicyAnswer, why: string): PolicyRule => ({ answer, why });

/**
 * Several policies of which the runtime picks one at run time (Codex's profiles): each tool under
 * the one that lets the most through, every command any of them runs unasked.
 */
export function worstOf(policies: readonly ToolPolicy[]): ToolPolicy {
  const [first, ...rest] = policies;
  if (!first) throw new Error("worstOf needs a policy");
  const out: ToolPolicy = {
    source: first.source,
    tools: { ...first.tools },
    otherwise: { ...first.otherwise },
    commands: [...first.commands],
  };
  for (const p of rest) {
    const before = { ...out.otherwise };
    for (const k of ["edit", "writing", "mcp"] as const) out.otherwise[k] = worse(out.otherwise[k], p.otherwise[k]);
    for (const name of new Set([...Object.keys(out.tools), ...Object.keys(p.tools)])) {
      // A tool one policy names and another leaves to its default is at worst that default.
      const mcp = name.includes("/");
      const a = own(out.tools, name) ?? (mcp ? before.mcp : before.writing);
      const b = own(p.tools, name) ?? (mcp ? p.otherwise.mcp : p.otherwise.writing);
      out.tools[name] = worse(a, b);
    }
    out.commands.push(...p.commands.filter((c) => !out.commands.some((o) => o.rule === c.rule)));
  }
  return out;
}

/** The runtime's answer for one writing tool: its rule, else what it does for that kind of tool. */
export function decide(policy: ToolPolicy, tool: ToolRef, edit: boolean): Permission {
  const r =
    "builtin" in tool
      ? (own(policy.tools, tool.builtin) ?? (edit ? policy.otherwise.edit : policy.otherwise.writing))
      : ((tool.tool !== null ? own(policy.tools, `${tool.server}/${tool.tool}`) : undefined) ??
        own(policy.tools, `${tool.server}/*`) ??
        policy.otherwise.mcp);
  const why = `${policy.source}: ${r.why}`;
  if (r.answer === "deny") return { available: false, why };
  if (r.answer === "read") return { available: true, asked: false, why, readOnly: true };
  return { available: true, asked: r.answer === "ask", why };
}

const own = (m: Record<string, PolicyRule>, k: string): PolicyRule | undefined =>
  Object.hasOwn(m, k) ? m[k] : undefined;

/** A command a policy runs unasked, as a pattern: `*` matches anything, else that command exactly. */
const patternOf = (command: string): CommandPattern => commandPattern(command);

/**
 * The commands a policy runs unasked that count: one that deletes, publishes, pushes, sends or runs
 * any code (one table for every runtime), or one the config classifies writing.
 */
export function commandCapabilities(policy: ToolPolicy, what: string, config: ResolvedConfig): Capability[] {
  const out: Capability[] = [];
  for (const c of policy.commands) {
    const danger = dangerous(patternOf(c.command));
    const classified = config.isClassifiedWriting(c.rule);
    if (!danger && !classified) continue;
    out.push({
      name: c.rule,
      source: what,
      writing: true,
      why: classified ? "classified writing by the config" : `${danger!.command} ${danger!.does}`,
      confirmable: false,
      confirmation: { asked: false, why: `${policy.source}: \`${c.rule}\` runs without asking` },
    });
  }
  return out;
}

/** Every command a policy runs unasked, in words: each one a change newly adds is named. */
export function commandApprovals(policy: ToolPolicy): PreApproval[] {
  return policy.commands.map((c) => {
    const danger = dangerous(patternOf(c.command));
    return { rule: c.rule, ...(danger ? { does: `${danger.command} ${danger.does}` } : {}) };
  });
}

/** What a runtime of rules is, besides its rules: its tools, and the files besides its own that reach an agent of it. */
export interface PolicyRuntimeSpec {
  kind: string;
  name: string;
  tools: BuiltinTable;
  /** The files besides its own whose change reaches an agent of it (its skills, commands, context files). */
  refs?: AgentRuntime["refs"];
}

/** A server's tool as the runtimes of rules name it: `server/tool`, `server/*` every tool. */
function serverToolOf(name: string, tools: BuiltinTable): { server: string; tool: string | null } | null {
  if (tools.builtin(name)) return null;
  const slash = name.indexOf("/");
  if (slash <= 0) return null;
  const tool = name.slice(slash + 1);
  return { server: name.slice(0, slash), tool: tool === "*" ? null : tool };
}

/**
 * An `AgentRuntime` for a runtime of rules: an agent has every built-in tool and its own servers;
 * whether a person is asked before a call is what its policy says, and what it runs unasked by
 * command is named. Nobody is there to answer an unattended one (a workflow step): a question is a refusal.
 */
export function policyRuntime(spec: PolicyRuntimeSpec): AgentRuntime {
  return {
    kind: spec.kind,
    name: spec.name,
    builtin: (n) => spec.tools.builtin(n),
    everyBuiltin: () => spec.tools.every(),
    canonical: (n) => n,
    mcpTool: (n) => serverToolOf(n, spec.tools),
    serverTool: (s, t) => `${s}/${t}`,
    honoursServerLists: true,
    alsoServer: () => null,
    takesAway: (removed, n) => removed.includes(n),
    // An agent given every server (Kiro's `includeMcpJson`) reaches the repository's configs' too.
    context: (view, _path, rt) => (rt.allServers ? serversFor(view, rt) : ownServers(rt)),
    confirm(tool, rt) {
      if (!rt.policy)
        return { available: true, asked: false, why: `${spec.name}'s permissions are not known: the worst case` };
      const edit = "builtin" in tool && spec.tools.builtin(tool.builtin)?.kind === "edit";
      const p = decide(rt.policy, tool, edit);
      if (rt.unattended && p.available && p.asked) return { available: false, why: `${p.why}; ${rt.unattended}` };
      return p;
    },
    extras: (_view, _path, m, _ctx, config) =>
      m.runtime.policy ? commandCapabilities(m.runtime.policy, m.runtime.what, config) : [],
    preApprovals: (_view, _path, m) => (m.runtime.policy ? commandApprovals(m.runtime.policy) : []),
    refs(view, path, m) {
      const r = spec.refs ? spec.refs(view, path, m) : { skills: [], servers: [], files: [], automation: [] };
      // What declares it besides its own path (the workflow that runs a step's agent).
      const own = view.rev.loads?.agents[path]?.files ?? [];
      return { ...r, files: [...new Set([...r.files, ...own])] };
    },
  };
}

/** The servers an agent of a runtime of rules starts: its own config's, less those turned off. */
function ownServers(rt: RuntimeAgent): RuntimeContext {
  const servers = new Map<string, McpServer>();
  const off = new Set<string>();
  for (const s of rt.inlineServers)
    if (s.disabled) off.add(s.name);
    else servers.set(s.name, s);
  return { servers, off, errors: [] };
}
