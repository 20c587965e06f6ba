import { policyRuntime } from "../policy.js";
import { KIRO } from "./tools.js";

/**
 * Kiro and Amazon Q Developer CLI: each agent file an agent (`agent.ts`), its servers' tools named
 * `server/tool`. Steering files and the resources an agent names are prompts; they pre-approve nothing.
 */
export const kiro = policyRuntime({
  kind: "kiro",
  name: "Kiro and Amazon Q Developer",
  tools: KIRO,
});
