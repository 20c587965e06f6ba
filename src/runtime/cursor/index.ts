import { policyRuntime } from "../policy.js";
import { CURSOR } from "./cli.js";

/** Cursor's CLI agent under `.cursor/cli.json` (`cli.ts`); its servers (`.cursor/mcp.json`) named `server/tool`; its rules reach it. */
export const cursor = policyRuntime({
  kind: "cursor",
  name: "Cursor",
  tools: CURSOR,
  // Its rules and `AGENTS.md` are its instructions: a change to them reaches it.
  refs: (view) => ({
    skills: [],
    servers: [],
    files: [...(view.rev.commands ?? []).filter((p) => /^\.cursor\/rules\//i.test(p)), "AGENTS.md"],
    automation: [],
  }),
});
