import { policyRuntime } from "../policy.js";
import { KIRO } from "./tools.js";

/**
 * Kiro and Amazon Q Developer CLI: each agent file an agent (`agent.ts`), its servers' tools named
 * `server/tool`. Steering files and the resources an agent names are prompts; they pre-approve nothing.
 */
export const kiro = policyRuntime({
  kind: "kiro",
  name: "Kiro and Amazon Q Developer",
  builtin: (n) => KIRO.builtin(n),
  every: () => KIRO.every(),
  serverTool: (s, t) => `${s}/${t}`,
  mcpTool(name) {
    if (KIRO.builtin(name)) return null;
    const slash = name.indexOf("/");
    if (slash <= 0) return null;
    const tool = name.slice(slash + 1);
    return { server: name.slice(0, slash), tool: tool === "*" ? null : tool };
  },
});
