import { policyRuntime } from "../policy.js";
import { OPENCODE } from "./tools.js";

/**
 * OpenCode: the repository's config (the worst of the agents it defines) and its markdown agents
 * (`config.ts`), its servers' tools named `server/tool`. Its commands (`.opencode/command(s)/`,
 * whose ``!`…` `` lines run commands) and `AGENTS.md` reach the config's agents.
 */
export const opencode = policyRuntime({
  kind: "opencode",
  name: "OpenCode",
  tools: OPENCODE,
  refs(view, path) {
    const config = !/\.md$/i.test(path);
    return {
      skills: [],
      // Its servers are its own file's, reached through it: a client config naming a server alike is another's.
      servers: [],
      files: config
        ? [...(view.rev.commands ?? []).filter((p) => /^\.opencode\/commands?\//i.test(p)), "AGENTS.md"]
        : [],
      automation: [],
    };
  },
});
