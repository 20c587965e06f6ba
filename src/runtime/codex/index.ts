import { posix } from "node:path";
import { policyRuntime } from "../policy.js";
import { CODEX } from "./tools.js";

/**
 * Codex: the repository's session (`.codex/config.toml`) and its sub-agent roles, each judged by
 * its sandbox and approval policy (`config.ts`), its servers' tools named `server/tool`. What it
 * loads beside its config reaches it: the skills of `.agents/skills` and `.codex/skills` (they
 * pre-approve nothing) and the `AGENTS.md` it reads as instructions.
 */
export const codex = policyRuntime({
  kind: "codex",
  name: "Codex",
  tools: CODEX,
  refs(view, _path) {
    const skills = (view.rev.skills ?? [])
      .map((p) => posix.dirname(p))
      .filter((f) => /^\.(agents|codex)\/skills\//i.test(f));
    return {
      skills,
      // Its servers are its own file's, reached through it: a client config naming a server alike is another's.
      servers: [],
      files: ["AGENTS.md", "AGENTS.override.md"],
      automation: [],
    };
  },
});
