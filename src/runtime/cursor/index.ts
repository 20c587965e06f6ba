import { policyRuntime } from "../policy.js";
import { CURSOR } from "./cli.js";

/** Cursor's CLI agent under `.cursor/cli.json` (`cli.ts`); its servers (`.cursor/mcp.json`) named `server/tool`; its rules reach it. */
export const cursor = policyRuntime({
  kind: "cursor",
  name: "Cursor",
  builtin: (n) => CURSOR.builtin(n),
  every: () => CURSOR.every(),
  serverTool: (s, t) => `${s}/${t}`,
  mcpTool(name) {
    if (CURSOR.builtin(name)) return null;
    const slash = name.indexOf("/");
    if (slash <= 0) return null;
    const tool = name.slice(slash + 1);
    return { server: name.slice(0, slash), tool: tool === "*" ? null : tool };
  },
  // Its rules and `AGENTS.md` are its instructions: a change to them reaches it.
  refs: (view) => ({
    skills: [],
    servers: [],
    files: [...(view.rev.commands ?? []).filter((p) => /^\.cursor\/rules\//i.test(p)), "AGENTS.md"],
    automation: [],
  }),
});
