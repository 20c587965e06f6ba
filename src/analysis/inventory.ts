import { evaluateAgent, type AgentAtRevision } from "../agent/evaluate.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Snapshot } from "../input/types.js";
import { RevisionView, scopedTo, type ParseCache } from "../snapshot/view.js";

/** Every agent at one revision with its tier and reasons (`capgate tiers`). Total, as `decide` is. */
export function inventory(rev: Snapshot, config: ResolvedConfig, cache: ParseCache = new Map()): AgentAtRevision[] {
  const view = new RevisionView("head", scopedTo(rev, config), cache, undefined, config.agentSource);
  return view.rev.agents.flatMap((path) => {
    const a = evaluateAgent(view, path, config);
    return a ? [a] : [];
  });
}
