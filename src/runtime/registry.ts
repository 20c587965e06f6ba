import { parseAgent } from "../artifact/agent.js";
import type { AgentManifest, AgentSource } from "../artifact/types.js";
import type { LoadedAgent } from "../input/types.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { Lookup, RevisionView } from "../snapshot/view.js";
import { parseClaudeAgent } from "./claude-code/agent.js";
import { composePlugin, composeSession } from "./claude-code/compose.js";
import { claudeCode } from "./claude-code/index.js";
import { claudePlaces } from "./claude-code/places.js";
import { parseClaudeSettings } from "./claude-code/settings.js";
import { parseCopilotAgent } from "./copilot/agent.js";
import { copilot } from "./copilot/index.js";
import { copilotPlaces } from "./copilot/places.js";
import { worstCase } from "./declare.js";
import { composeStepAgent } from "./ci/agents.js";
import { ciPlaces } from "./ci/places.js";
import { codex } from "./codex/index.js";
import { composeCodexRole, parseCodexConfig } from "./codex/config.js";
import { codexPlaces } from "./codex/places.js";
import { gemini } from "./gemini/index.js";
import { geminiPlaces } from "./gemini/places.js";
import { parseKiroAgent } from "./kiro/agent.js";
import { kiro } from "./kiro/index.js";
import { kiroPlaces } from "./kiro/places.js";
import { parseCursorCli } from "./cursor/cli.js";
import { cursor } from "./cursor/index.js";
import { cursorPlaces } from "./cursor/places.js";
import { parseOpencode } from "./opencode/config.js";
import { opencode } from "./opencode/index.js";
import { opencodePlaces } from "./opencode/places.js";
import { composeGeminiSession, parseGeminiSettings } from "./gemini/settings.js";
import { mcpPlaces } from "./mcp/places.js";
import type { RuntimePlaces } from "./places.js";
import { parsePromptAgent, promptAgentOf } from "./prompts/agent.js";
import { prompts } from "./prompts/index.js";
import type { AgentRuntime } from "./types.js";

/** Every runtime whose agents capgate reads, by the id its declarations carry. */
const RUNTIMES: readonly AgentRuntime[] = [
  claudeCode,
  copilot,
  codex,
  gemini,
  cursor,
  kiro,
  opencode,
  prompts,
] as AgentRuntime[];

/** Where each runtime loads from. */
export const RUNTIME_PLACES: readonly RuntimePlaces[] = [
  claudePlaces,
  copilotPlaces,
  codexPlaces,
  geminiPlaces,
  cursorPlaces,
  kiroPlaces,
  opencodePlaces,
  mcpPlaces,
  ciPlaces,
];

type Parser = (path: string, text: string, ctx: { plugin?: string }) => Parsed<AgentManifest>;

/** How each kind of declaration in one file is read. */
const PARSERS: Record<AgentSource, Parser> = {
  capgate: parseAgent,
  "claude-code": parseClaudeAgent,
  "claude-settings": parseClaudeSettings,
  "claude-plugin": (path) => fail(path, "a plugin's session is declared by its plugin's files"),
  copilot: parseCopilotAgent,
  prompt: parsePromptAgent,
  codex: parseCodexConfig,
  gemini: parseGeminiSettings,
  kiro: parseKiroAgent,
  cursor: parseCursorCli,
  opencode: parseOpencode,
  "ci-agent": (path) => fail(path, "an agent a workflow step runs is declared by its workflow"),
};

/** Agents several files declare together: a session over its settings layers, a plugin's own session. */
const COMPOSED: Partial<
  Record<AgentSource, (view: RevisionView, path: string, loaded: LoadedAgent) => Lookup<AgentManifest>>
> = {
  "claude-settings": composeSession,
  "claude-plugin": composePlugin,
  "ci-agent": composeStepAgent,
  codex: composeCodexRole,
  gemini: composeGeminiSession,
};

/** The runtime each kind of declaration belongs to (capgate's own manifests belong to none). */
const RUNTIME_OF: Partial<Record<AgentSource, string>> = {
  "claude-code": "claude-code",
  "claude-settings": "claude-code",
  "claude-plugin": "claude-code",
  copilot: "copilot",
  prompt: "prompt",
  codex: "codex",
  gemini: "gemini",
  kiro: "kiro",
  cursor: "cursor",
  opencode: "opencode",
};

/** The parts of a file a change alters (`path#part`), as the runtime whose file it is reads them; null for a file of no parts. */
export function changedParts(base: RevisionView, head: RevisionView, path: string): string[] | null {
  for (const r of RUNTIMES) {
    const parts = r.changedParts?.(base, head, path);
    if (parts) return parts;
  }
  return null;
}

/** The runtime that declares agents of a kind. */
export function runtimeFor(kind: string): AgentRuntime {
  const r = RUNTIMES.find((x) => x.kind === kind);
  if (!r) throw new Error(`no runtime module for ${kind}`);
  return r;
}

const ABSENT = { state: "absent" } as const;

/**
 * The agent at a path, read as what declares it reads it: its own file, or the files that declare
 * it together. A file the runtime would not load as an agent is none; one a checkout shows but
 * capgate cannot see is the worst case, said as such.
 */
export function agentAt(view: RevisionView, path: string): Lookup<AgentManifest> {
  const loads = view.rev.loads;
  const loaded = loads && Object.hasOwn(loads.agents, path) ? loads.agents[path]! : undefined;
  const source = loaded?.source ?? view.agentSource(path);
  const compose = COMPOSED[source];
  let lookup: Lookup<AgentManifest>;
  if (compose && loaded?.files) lookup = compose(view, path, loaded);
  else {
    const f = view.file(path);
    const kind = RUNTIME_OF[source];
    if (f.state === "unseen" && kind)
      return {
        state: "parsed",
        result: ok(worstCase(kind, `${runtimeFor(kind).name} agent`, path, `${path} ${f.reason}`)),
      };
    const plugin = loaded?.plugin;
    const parser = PARSERS[source];
    lookup = view.parsed(path, `agent:${source}${plugin !== undefined ? ":plugin" : ""}`, (p, text) => {
      // A prompt file is read once, as a prompt, whether it is looked at as a prompt or as an agent.
      const prompt = source === "prompt" ? view.prompt(p) : null;
      if (prompt?.state === "parsed") return promptAgentOf(p, prompt.result);
      return parser(p, text, plugin !== undefined ? { plugin } : {});
    });
  }
  if (lookup.state === "parsed" && lookup.result.ok && lookup.result.value.runtime?.notLoaded) return ABSENT;
  // A prompt that cannot be read is a prompt's error (an artifact error), not an agent's worst case.
  if (source === "prompt" && lookup.state === "parsed" && !lookup.result.ok) return ABSENT;
  return lookup;
}

/** What `tiers` and `init` say they found of one runtime. */
export interface RuntimeFound {
  /** The runtime, in words ("Claude Code"), or what declares agents without one. */
  name: string;
  /** Its agents' paths. */
  agents: string[];
  /** Its plugins, by name (Claude Code's). */
  plugins: string[];
}

/** The runtimes whose agents a revision holds, in the order their modules are listed, then capgate's manifests. */
/** The names of the agent runtimes capgate reads (not prompt formats). */
export function runtimeNames(): string[] {
  return RUNTIMES.filter((r) => r.kind !== "prompt").map((r) => r.name);
}

export function runtimesFound(
  agents: readonly { path: string; source: AgentSource }[],
  plugins: readonly { name: string }[] = [],
): RuntimeFound[] {
  const out = new Map<string, RuntimeFound>();
  const entry = (name: string) => {
    if (!out.has(name)) out.set(name, { name, agents: [], plugins: [] });
    return out.get(name)!;
  };
  for (const r of RUNTIMES) if (r.kind !== "prompt") entry(r.name);
  for (const a of agents) {
    const kind = RUNTIME_OF[a.source];
    const name =
      a.source === "ci-agent"
        ? "agents run in CI"
        : kind === undefined
          ? "capgate agent manifests"
          : kind === "prompt"
            ? "prompt files that bind tools"
            : runtimeFor(kind).name;
    entry(name).agents.push(a.path);
  }
  for (const p of plugins) entry(claudeCode.name).plugins.push(p.name);
  return [...out.values()].filter((r) => r.agents.length > 0 || r.plugins.length > 0);
}
