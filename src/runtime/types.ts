import type { AgentManifest, McpServer, RuntimeAgent } from "../artifact/types.js";
import type { Builtin, Capability, PreApproval } from "../capability/tools.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError, Parsed } from "../parse/result.js";
import type { RevisionView } from "../snapshot/view.js";

/**
 * What every runtime module answers for the agents its files declare. The engine asks these
 * questions and knows no runtime by name: a runtime is a folder of `src/runtime/` that answers them.
 */

/** A tool as a runtime's rules name it: a built-in, or an MCP server's tool (every tool: `null`). */
export type ToolRef = { builtin: string } | { server: string; tool: string | null };

/** Whether a runtime offers a tool, and asks a person before each call. */
export type Permission =
  | { available: false; why: string }
  /** `readOnly`: the runtime lets the tool run only where it cannot write (a read-only sandbox). */
  | { available: true; asked: boolean; why: string; readOnly?: boolean };

/** What an agent of a runtime runs under at a revision: the servers it may reach, and what could not be read. */
export interface RuntimeContext {
  /** The servers it may reach, by name: the MCP configs' (less those disabled) and its own. */
  servers: Map<string, McpServer>;
  /** Servers the configs declare but do not start: their tools are nobody's. */
  off: Set<string>;
  errors: FileError[];
}

/** The files an agent's tier depends on besides its own: the edges along which a change reaches it. */
export interface RuntimeRefs {
  /** Skill folders it may load by itself. */
  skills: string[];
  /** MCP servers its tool names name. */
  servers: string[];
  /** Other files: the settings it runs under, the commands it may run. */
  files: string[];
  /**
   * What its automation runs from the repository (hook scripts, a folder of them ending with
   * `/`): a change there is governance, and reaches it.
   */
  automation: string[];
}

export interface AgentRuntime<C extends RuntimeContext = RuntimeContext> {
  /** The runtime's id, as `RuntimeAgent.kind` names it. */
  readonly kind: string;
  /** Its name, in words ("Claude Code"). */
  readonly name: string;
  /** A built-in tool's kind, or null (an MCP tool, or a name the runtime does not document). */
  builtin(name: string): Builtin | null;
  /** Every built-in tool: what an agent that names no tools is given. */
  everyBuiltin(): string[];
  /** The name a built-in goes by when it has several (Copilot's `execute` is `shell`). */
  canonical(name: string): string;
  /** The server and tool an MCP tool name names (`mcp__s__t`, `s/t`), or null for another name. */
  mcpTool(name: string, ctx: C): { server: string; tool: string | null } | null;
  /** What it calls a server's tool. */
  serverTool(server: string, tool: string): string;
  /** Whether a client's per-server tool lists (`tools`, `includeTools`, `excludeTools`) limit what it is given. */
  readonly honoursServerLists: boolean;
  /**
   * A name that means a built-in and may also mean a server's tools (a Copilot tool set named like
   * a server): the server's reading too, the worst case of the two. Null when there is none.
   */
  alsoServer(name: string, ctx: C): { server: string; tool: string | null } | null;
  /** Whether a list of tools taken away (`disallowedTools`) takes this name away. */
  takesAway(removed: readonly string[], name: string): boolean;
  /** What the agent at `path` runs under at this revision. */
  context(view: RevisionView, path: string, rt: RuntimeAgent): C;
  /** Whether the runtime offers the writing tool and asks before each call. */
  confirm(tool: ToolRef, rt: RuntimeAgent, ctx: C): Permission;
  /** What it may do besides its tools: the skills and commands it may load with what they pre-approve. */
  extras(
    view: RevisionView,
    path: string,
    m: AgentManifest & { runtime: RuntimeAgent },
    ctx: C,
    config: ResolvedConfig,
  ): Capability[];
  /**
   * What its settings, and the commands and skills it may run, pre-approve, each in words
   * (`Bash(npm test)`, `Bash(rm:*) (rm deletes files)`): every one a change newly adds is named in
   * its reasons, whatever the tier.
   */
  preApprovals(view: RevisionView, path: string, m: AgentManifest & { runtime: RuntimeAgent }, ctx: C): PreApproval[];
  /**
   * For a file that declares several things at once (a marketplace's entries), the parts of it a
   * change alters, each as `path#part`: what declares itself by a part is reached only when that
   * part changes (`path` NUL `part`: no path holds a NUL). Null for any other file.
   */
  changedParts?(base: RevisionView, head: RevisionView, path: string): string[] | null;
  /** The files its tier depends on besides its own. */
  refs(view: RevisionView, path: string, m: AgentManifest & { runtime: RuntimeAgent }): RuntimeRefs;
}

/** How a runtime reads one kind of file that declares agents. */
export type AgentParser = (path: string, text: string) => Parsed<AgentManifest>;
