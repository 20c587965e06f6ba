import { posix } from "node:path";
import { policyRuntime } from "../policy.js";
import { GEMINI } from "./tools.js";

/**
 * Gemini CLI: the repository's session (`.gemini/settings.json`), judged by its approval mode and
 * tool rules (`settings.ts`), its servers' tools named `server/tool`. What it loads beside its
 * settings reaches it: its custom commands (`.gemini/commands/**\/*.toml`, whose `!{…}` shell runs
 * under the same rules), the skills of `.gemini/skills` and `.agents/skills`, and `GEMINI.md`.
 */
export const gemini = policyRuntime({
  kind: "gemini",
  name: "Gemini CLI",
  tools: GEMINI,
  refs(view, _path) {
    return {
      skills: (view.rev.skills ?? [])
        .map((p) => posix.dirname(p))
        .filter((f) => /^\.(gemini|agents)\/skills\//i.test(f)),
      // Its servers are its own file's, reached through it: a client config naming a server alike is another's.
      servers: [],
      files: [...(view.rev.commands ?? []).filter((p) => /^\.gemini\/commands\//i.test(p)), "GEMINI.md"],
      automation: [],
    };
  },
});
