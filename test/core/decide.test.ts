import { describe, expect, it } from "vitest";
import { attemptDecision, decide } from "../../src/decision/decide.js";
import type { DecisionInput, FileState } from "../../src/decision/input.js";
import { parseConfig } from "../../src/config/resolve.js";
import { approvalRequirements, reviewerStates } from "../../src/requirement/approvals.js";
import { tierOf } from "../../src/capability/agent.js";
import { bindResult } from "../../src/requirement/evals.js";
import { CONFIG, agent, tool, toolFile } from "../scenarios/fixture.js";

const config = parseConfig(".github/capgate.yml", CONFIG);
if (!config.ok) throw new Error("fixture config must parse");

function files(map: Record<string, string | null>): Map<string, FileState> {
  const out = new Map<string, FileState>();
  for (const [p, t] of Object.entries(map))
    out.set(p, t === null ? { state: "absent" } : { state: "file", text: t, oid: `oid-${p}-${t.length}` });
  return out;
}

const BASE_SHA = "a".repeat(40);
const HEAD_SHA = "b".repeat(40);

function input(
  base: Record<string, string | null>,
  head: Record<string, string | null>,
  changed: string[],
): DecisionInput {
  const agents = (m: Record<string, string | null>) =>
    Object.keys(m).filter((p) => p.startsWith("agents/") && m[p] !== null);
  return {
    config: { path: ".github/capgate.yml", raw: config.ok ? config.value.raw : ({} as never), source: "base" },
    base: { sha: BASE_SHA, files: files(base), agents: agents(base), mcpConfigs: [] },
    head: { sha: HEAD_SHA, files: files(head), agents: agents(head), mcpConfigs: [] },
    changes: changed.map((path) => ({
      path,
      oldPath: path,
      status: base[path] == null ? "added" : head[path] == null ? "deleted" : "modified",
      contentChanged: true,
      headMode: head[path] == null ? null : "100644",
    })),
    evidence: { acceptedCommits: [HEAD_SHA], checkout: HEAD_SHA, results: {}, baselines: {}, approvals: null },
  };
}

describe("the pure core", () => {
  const supportBase = agent({ tools: ["tools/orders.json"], maxSteps: 8 });
  const orders = toolFile(tool("get_order", { readOnlyHint: true }));

  it("asks for the files it needs instead of guessing", () => {
    const i = input(
      { "agents/s.yaml": supportBase },
      { "agents/s.yaml": agent({ tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }) },
      ["agents/s.yaml"],
    );
    const a = attemptDecision(i);
    expect(a.complete).toBe(false);
    if (!a.complete) {
      expect(a.missing.head).toContain("tools/refunds.json");
      expect(a.missing.head).toContain("tools/orders.json");
    }
    expect(() => decide(i)).toThrow(/incomplete/);
  });

  it("decides from plain data once it has them, and is repeatable", () => {
    const base = {
      "agents/s.yaml": supportBase,
      "tools/orders.json": orders,
      "prompts/support/system.md": "hi",
      "tools/refunds.json": null,
      "docs/rollback.md": "x",
    };
    const head = {
      ...base,
      "agents/s.yaml": agent({ tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }),
      "tools/refunds.json": toolFile(tool("issue_refund")),
    };
    const i = input(base, head, ["agents/s.yaml", "tools/refunds.json"]);
    const d1 = decide(i);
    const d2 = decide(i);
    expect(d1).toEqual(d2);
    expect(d1.decision).toBe("block");
    expect(d1.tier).toBe("autonomous");
    expect(d1.escalations[0]?.reason).toMatch(/support-bot: tools → autonomous: gains issue_refund/);
    expect(d1.requirements.find((r) => r.kind === "approval")?.detail).toMatch(/no reviews/);
  });
});

describe("tier rule", () => {
  const ro = { name: "r", source: "s", writing: false, why: "", confirmable: true };
  const w = { name: "w", source: "s", writing: true, why: "", confirmable: true };
  const unknown = { name: "mcp:x", source: "s", writing: true, why: "", confirmable: false };
  it.each([
    [[], null, [], "chat"],
    [[ro], null, [], "tools"],
    [[ro, w], 5, ["w"], "write"],
    [[w], 1, [], "write"],
    [[w], 2, [], "autonomous"],
    [[w], null, [], "autonomous"],
    [[unknown], 3, ["mcp:x"], "autonomous"],
    [[unknown], 1, [], "write"],
  ] as const)("%j max_steps=%s confirm=%j → %s", (caps, max, confirm, want) => {
    expect(tierOf(caps as never, max, confirm as never).tier).toBe(want);
  });
});

describe("reviewer states", () => {
  const head = "c".repeat(40);
  const old = "d".repeat(40);
  const ev = (
    reviews: { user: string; state: string; commitId: string | null }[],
    reviewedCommits: Record<string, string[] | null> = {},
  ) => ({
    author: "Dave",
    reviews,
    teams: {},
    reviewedCommits,
  });
  it("takes each reviewer's latest deciding review; comments do not reset it", () => {
    const s = reviewerStates(
      ev([
        { user: "alice", state: "APPROVED", commitId: head },
        { user: "alice", state: "COMMENTED", commitId: head },
        { user: "bob", state: "APPROVED", commitId: head },
        { user: "bob", state: "DISMISSED", commitId: head },
      ]),
      head,
      () => true,
    );
    expect(s.get("alice")?.counts).toBe(true);
    expect(s.get("bob")?.counts).toBe(false);
  });
  it("never counts the author (case-insensitively), bots, null or unknown commits", () => {
    const s = reviewerStates(
      ev(
        [
          { user: "dave", state: "APPROVED", commitId: head },
          { user: "ci[bot]", state: "APPROVED", commitId: head },
          { user: "erin", state: "APPROVED", commitId: null },
          { user: "carol", state: "APPROVED", commitId: old },
        ],
        { [old]: null },
      ),
      head,
      () => true,
    );
    expect([...s.values()].filter((x) => x.counts)).toEqual([]);
    expect(s.get("carol")?.why).toMatch(/unknown/);
  });
  it("counts an older approval only when nothing gated changed since", () => {
    const states = (changed: string[]) =>
      reviewerStates(ev([{ user: "carol", state: "APPROVED", commitId: old }], { [old]: changed }), head, (p) =>
        p.startsWith("tools/"),
      );
    expect(states(["README.md"]).get("carol")?.counts).toBe(true);
    expect(states(["tools/x.json"]).get("carol")?.counts).toBe(false);
  });
});

describe("binding untracked results to the workspace", () => {
  const set = { format: "capgate" as const, cases: [], metrics: {} };
  const file = {
    path: "r.json",
    content: { ok: true as const, text: "" },
    tracked: false,
    inWorkspace: true,
    committedInChange: false,
  };
  const ctx = (checkoutModified: string[] | null) => ({
    evidence: {
      acceptedCommits: [HEAD_SHA],
      checkout: HEAD_SHA,
      checkoutModified,
      results: {},
      baselines: {},
      approvals: null,
    },
    head: HEAD_SHA,
    headFile: () => ({ state: "absent" as const }),
    isGated: (p: string) => p.startsWith("prompts/"),
  });

  it("holds when the workspace is its checkout, or differs only in ungated files", () => {
    expect(bindResult(file, set, false, ctx([])).bound).toBe(true);
    expect(bindResult(file, set, false, ctx(["README.md"])).bound).toBe(true);
  });

  it("fails when gated files differ in the workspace, or when that cannot be known", () => {
    const why = (modified: string[] | null) => {
      const b = bindResult(file, set, false, ctx(modified));
      return b.bound ? "bound" : b.why;
    };
    expect(why(["prompts/a.md"])).toMatch(/prompts\/a\.md differ from the checked-out commit/);
    expect(why(null)).toMatch(/whether the workspace holds its checked-out commit is unknown/);
  });
});

describe("requests for changes when the reviews are unknown", () => {
  it("a touched tier with no approval rules still needs the reviews, to rule out a request for changes", () => {
    if (!config.ok) throw new Error("fixture config must parse");
    const reqs = approvalRequirements([], null, "the reviews could not be read", config.value, HEAD_SHA, () => true, [
      "tools",
    ]);
    expect(reqs.map((r) => [r.id, r.status])).toEqual([["changes-requested", "missing"]]);
    expect(reqs[0]!.detail).toMatch(/the reviews could not be read; whether anyone requested changes is unknown/);
    expect(approvalRequirements([], null, "x", config.value, HEAD_SHA, () => true, [])).toEqual([]);
  });
});
