import type { ResolvedConfig } from "../config/resolve.js";
import type { RevisionFiles } from "../decision/input.js";
import { evaluateAgent, type AgentAtRevision } from "./agent.js";
import { RevisionView } from "./view.js";

export type InventoryAttempt = { complete: true; agents: AgentAtRevision[] } | { complete: false; missing: string[] };

/** Every agent at one revision with its tier and reasons (`capgate tiers`). */
export function attemptInventory(rev: RevisionFiles, config: ResolvedConfig): InventoryAttempt {
  const view = new RevisionView("head", rev);
  const agents: AgentAtRevision[] = [];
  for (const path of rev.agents) {
    const a = evaluateAgent(view, path, config);
    if (a) agents.push(a);
  }
  if (view.missing.size > 0) return { complete: false, missing: [...view.missing].sort() };
  return { complete: true, agents };
}
