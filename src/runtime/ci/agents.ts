import type { AgentManifest } from "../../artifact/types.js";
import type { LoadedAgent } from "../../input/types.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import type { Lookup, RevisionView } from "../../snapshot/view.js";
import { claudeCodeStep } from "./claude-code-action.js";
import { codexStep } from "./codex-action.js";
import { geminiStep } from "./run-gemini-cli.js";
import { AGENT_ACTIONS, agentSteps, type AgentStep } from "./steps.js";

/**
 * An agent a workflow step runs, read from the workflow at `<workflow>#<job>`: the runtime the
 * action starts, with the step's inputs, unattended.
 */
export function composeStepAgent(view: RevisionView, path: string, loaded: LoadedAgent): Lookup<AgentManifest> {
  const workflow = loaded.files?.[0] ?? path.slice(0, path.indexOf("#"));
  const f = view.file(workflow);
  if (f.state === "absent") return { state: "absent" };
  if (f.state !== "file") return { state: "parsed", result: fail(workflow, "reason" in f ? f.reason : f.state) };
  // Read once per workflow blob, whichever of its steps' agents asks.
  const steps = view.parsed(workflow, "ci-agent-steps", (p, text) => ok(agentSteps(p, text)));
  const step =
    steps.state === "parsed" && steps.result.ok ? steps.result.value.find((s) => s.path === path) : undefined;
  if (!step) return { state: "absent" };
  // A step that gives no settings runs under the repository's own `.gemini/settings.json`.
  const repoSettings = () => {
    const at = ".gemini/settings.json";
    if (!view.rev.loads || !Object.hasOwn(view.rev.loads.agents, at)) return null;
    const s = view.file(at);
    return s.state === "file" ? s.text : null;
  };
  return { state: "parsed", result: readStep(step, repoSettings) };
}

export function readStep(step: AgentStep, repoSettings: () => string | null = () => null): Parsed<AgentManifest> {
  const runs = AGENT_ACTIONS[step.action];
  if (runs === "claude-code") return claudeCodeStep(step);
  if (runs === "codex") return codexStep(step);
  return geminiStep(step, repoSettings);
}
