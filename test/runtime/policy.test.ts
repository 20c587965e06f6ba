import { describe, expect, it } from "vitest";
import type { ToolPolicy } from "../../src/artifact/types.js";
import { commandHooks } from "../../src/runtime/declare.js";
import { commandApprovals, decide, rule, worstOf } from "../../src/runtime/policy.js";

/** The one shape runtimes of rules read their permissions into, and how the engine is answered from it. */
const policy = (tools: ToolPolicy["tools"], mcp: "allow" | "ask" | "deny" = "ask"): ToolPolicy => ({
  source: "p",
  tools,
  otherwise: { edit: rule("ask", "edit"), writing: rule("ask", "writing"), mcp: rule(mcp, "mcp") },
  commands: [],
});

describe("a policy of rules", () => {
  it("answers a tool by its rule, a server's tool by the tool's, then the server's, then the default", () => {
    const p = policy({ shell: rule("allow", "s"), "db/*": rule("deny", "d"), "db/read": rule("allow", "r") });
    expect(decide(p, { builtin: "shell" }, false)).toEqual({ available: true, asked: false, why: "p: s" });
    expect(decide(p, { builtin: "other" }, false)).toMatchObject({ asked: true, why: "p: writing" });
    expect(decide(p, { builtin: "other" }, true)).toMatchObject({ why: "p: edit" });
    expect(decide(p, { server: "db", tool: "read" }, false)).toMatchObject({ available: true, asked: false });
    expect(decide(p, { server: "db", tool: "drop" }, false)).toMatchObject({ available: false });
    expect(decide(p, { server: "x", tool: null }, false)).toMatchObject({ asked: true, why: "p: mcp" });
    expect(decide(policy({ shell: rule("read", "ro") }), { builtin: "shell" }, false)).toMatchObject({
      readOnly: true,
    });
  });

  it("of several chosen at run time, takes for each tool the one that lets the most through, a server by its default", () => {
    const a = policy({ shell: rule("read", "a-ro"), "db/*": rule("deny", "a-db") });
    const b = policy({ apply_patch: rule("allow", "b-edit") }, "allow");
    const w = worstOf([a, b]);
    expect(w.tools.shell).toEqual(rule("ask", "writing"));
    expect(w.tools.apply_patch).toEqual(rule("allow", "b-edit"));
    // Policy b names no rule for db: its servers' default (allow) counts, not its writing default.
    expect(w.tools["db/*"]).toEqual(rule("allow", "mcp"));
  });

  it("names every command it runs unasked, the dangerous with what they do; a bare command is that command only", () => {
    const p = {
      ...policy({}),
      commands: [
        { rule: "git branch", command: "git branch" },
        { rule: "git branch *", command: "git branch *" },
        { rule: "git push", command: "git push *" },
      ],
    };
    expect(commandApprovals(p)).toEqual([
      { rule: "git branch" },
      { rule: "git branch *", does: "git branch -D deletes branches" },
      { rule: "git push", does: "git push pushes to a remote" },
    ]);
  });
});

describe("hooks of the runtimes of rules", () => {
  it("reads each command of grouped hooks, and of flat ones where the runtime writes them so", () => {
    const grouped = { SessionStart: [{ matcher: "", hooks: [{ type: "command", command: "./setup.sh" }] }] };
    const flat = { agentSpawn: [{ command: "git diff", matcher: "x" }] };
    expect(commandHooks("c", grouped, false)).toEqual([
      { event: "SessionStart", matcher: "", runs: "./setup.sh", where: "c", scripts: [] },
    ]);
    expect(commandHooks("k", flat, true)).toEqual([
      { event: "agentSpawn", matcher: "x", runs: "git diff", where: "k", scripts: [] },
    ]);
    // Gemini CLI reads grouped hooks only: a flat entry runs nothing there.
    expect(commandHooks("g", flat, false)).toEqual([]);
    expect(commandHooks("g", { E: "not a list" }, true)).toEqual([]);
  });
});
