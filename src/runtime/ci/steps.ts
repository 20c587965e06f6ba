import { isMap } from "../../artifact/prompt.js";
import { parseData } from "../../parse/document.js";

/**
 * The steps of a workflow that run an agent: an action that starts Claude Code, Codex or Gemini
 * CLI with the step's inputs. Nobody is there to answer a question in CI, so what such a step may
 * do runs unasked, in the agent's loop (PRODUCT §2d, "Agents in CI").
 */

/** The actions that run an agent, by what they run. */
export const AGENT_ACTIONS = {
  "anthropics/claude-code-action": "claude-code",
  "anthropics/claude-code-base-action": "claude-code",
  "openai/codex-action": "codex",
  "google-github-actions/run-gemini-cli": "gemini",
} as const;

export type AgentAction = keyof typeof AGENT_ACTIONS;

export interface AgentStep {
  /** The agent's path: the workflow's, with the job (and the step's number when a job runs several). */
  path: string;
  workflow: string;
  job: string;
  /** The action, as `owner/name`, and the ref it is pinned to (`v1`, a commit, with its `# v1.0.3` comment unread). */
  action: AgentAction;
  ref: string;
  /** The step's `with:` inputs, as written. */
  inputs: Record<string, unknown>;
}

/** The agent steps of a workflow, in the order they are written; none when it cannot be read. */
export function agentSteps(workflow: string, text: string): AgentStep[] {
  const doc = parseData(workflow, text, 0, { repeatedKeys: "last" });
  if (!doc.ok || !isMap(doc.value) || !isMap(doc.value.jobs)) return [];
  const out: AgentStep[] = [];
  for (const [job, body] of Object.entries(doc.value.jobs)) {
    if (!isMap(body) || !Array.isArray(body.steps)) continue;
    const found: Omit<AgentStep, "path">[] = [];
    for (const step of body.steps) {
      if (!isMap(step) || typeof step.uses !== "string") continue;
      const at = step.uses.indexOf("@");
      const name = (at < 0 ? step.uses : step.uses.slice(0, at)).trim().toLowerCase();
      if (!Object.hasOwn(AGENT_ACTIONS, name)) continue;
      found.push({
        workflow,
        job,
        action: name as AgentAction,
        ref: at < 0 ? "" : step.uses.slice(at + 1).trim(),
        inputs: isMap(step.with) ? step.with : {},
      });
    }
    found.forEach((s, i) => out.push({ ...s, path: `${workflow}#${job}${found.length > 1 ? `.${i + 1}` : ""}` }));
  }
  return out;
}

/** An input as text (YAML may have read `true` or `3`), or undefined when it is not given. */
export function input(step: AgentStep, name: string): string | undefined {
  const v = step.inputs[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** The inputs given whose value GitHub fills in at run time (`${{ … }}`): what they hold cannot be known here. */
export function expressions(step: AgentStep, names: readonly string[]): string[] {
  return names.filter((n) => /\$\{\{/.test(input(step, n) ?? ""));
}
