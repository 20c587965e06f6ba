import { describe, expect, it } from "vitest";
import { decide } from "../../src/decision/decide.js";
import { NotGathered } from "../../src/snapshot/view.js";
import { agent, tool, toolFile } from "../scenarios/fixture.js";
import { Case } from "./builder.js";

const SUPPORT = {
  "agents/s.yaml": agent({ tools: ["tools/orders.json"], maxSteps: 8 }),
  "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true })),
  "prompts/support/system.md": "hi",
  "docs/rollback.md": "x",
};
const REFUND = {
  "agents/s.yaml": agent({ tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }),
  "tools/refunds.json": toolFile(tool("issue_refund")),
};

describe("the decision, a total function of its input", () => {
  it("decides from plain data, the same every time", () => {
    const c = new Case().base(SUPPORT).head(REFUND);
    const d1 = c.decide();
    const d2 = decide(c.input());
    expect(d1).toEqual(d2);
    expect(d1).toMatchObject({ decision: "block", tier: "autonomous" });
    expect(d1.escalations[0]?.reason).toMatch(/support-bot: tools → autonomous: gains issue_refund/);
    expect(d1.requirements.find((r) => r.kind === "approval")?.detail).toMatch(/no reviews/);
  });

  it("a file it must read that the input lacks is a thrown bug, never a silent 'absent'", () => {
    const input = new Case().base(SUPPORT).head(REFUND).input();
    const head = new Map(input.head.files);
    head.delete("tools/refunds.json");
    expect(() => decide({ ...input, head: { ...input.head, files: head } })).toThrow(NotGathered);
    expect(() => decide({ ...input, head: { ...input.head, files: head } })).toThrow(
      /tools\/refunds\.json was looked up but never read/,
    );
  });

  it("with no config at base, the built-in baseline's requirements apply beside the config's", () => {
    const d = new Case("version: 1\n")
      .configFromHead()
      .base(SUPPORT)
      .head(REFUND)
      .reviews([{ user: "bob" }])
      .decide();
    expect(d.requirements.find((r) => r.id === "baseline:approval:2 from anyone")).toMatchObject({ status: "missing" });
    expect(d.notes[0]).toMatch(/no config at base: the built-in baseline applies/);
  });

  it("a push audit is decided by its one requirement", () => {
    const d = new Case()
      .base(SUPPORT)
      .head(REFUND)
      .withAudit({ ok: true, appId: 15368, pulls: [], candidates: ["b".repeat(40)], runs: [] })
      .decide();
    expect(d.requirements.map((r) => r.id)).toEqual(["audit:passing-check"]);
    expect(d.decision).toBe("block");
  });
});
