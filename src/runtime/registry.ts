import { parseAgent } from "../artifact/agent.js";
import type { AgentManifest, AgentSource } from "../artifact/types.js";
import type { Lookup, RevisionView } from "../snapshot/view.js";
import { parseClaudeAgent } from "./claude-code/agent.js";
import { claudeCode } from "./claude-code/index.js";
import { parseClaudeSettings } from "./claude-code/settings.js";
import { parseCopilotAgent } from "./copilot/agent.js";
import { copilot } from "./copilot/index.js";
import type { AgentParser, AgentRuntime } from "./types.js";

/** Every runtime whose agents capgate reads, by the id its declarations carry. */
const RUNTIMES: readonly AgentRuntime[] = [claudeCode, copilot] as AgentRuntime[];

/** How each source's files are read. */
const PARSERS: Record<AgentSource, AgentParser> = {
  capgate: parseAgent,
  "claude-code": parseClaudeAgent,
  "claude-settings": parseClaudeSettings,
  copilot: parseCopilotAgent,
};

/** The runtime that declares agents of a kind. */
export function runtimeFor(kind: string): AgentRuntime {
  const r = RUNTIMES.find((x) => x.kind === kind);
  if (!r) throw new Error(`no runtime module for ${kind}`);
  return r;
}

/** The agent at a path, read as the source that declares it. */
export function agentAt(view: RevisionView, path: string): Lookup<AgentManifest> {
  const source = view.agentSource(path);
  return view.parsed(path, `agent:${source}`, PARSERS[source]);
}
