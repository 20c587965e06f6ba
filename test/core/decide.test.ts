import { createHash } from "node:crypto";
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

describe("binding results to the content being gated", () => {
  const set = { format: "capgate" as const, cases: [], metrics: {} };
  const file = {
    path: "r.json",
    content: { ok: true as const, text: "" },
    tracked: false,
    inWorkspace: true,
    committedInChange: false,
  };
  const promptText = "You help.\n";
  const promptDigest = `sha256:${createHash("sha256").update(promptText).digest("hex")}`;
  const evalText = "- id: r1\n";
  const evalDigest = `sha256:${createHash("sha256").update(evalText).digest("hex")}`;
  const headFiles: Record<string, string> = { "prompts/a.md": promptText, "evals/cases.yaml": evalText };
  const ctx = (checkoutModified: string[] | null = []) => ({
    evidence: {
      acceptedCommits: [HEAD_SHA],
      checkout: HEAD_SHA,
      checkoutModified,
      results: {},
      baselines: {},
      approvals: null,
    },
    head: HEAD_SHA,
    headFile: (p: string) =>
      headFiles[p] !== undefined
        ? { state: "file" as const, text: headFiles[p]!, oid: "0".repeat(40) }
        : { state: "absent" as const },
    isGated: (p: string) => p.startsWith("prompts/"),
    changes: [],
    tiersRequiring: () => [],
  });
  const plain = { trustCommitted: false, mustName: [] };
  const why = (b: ReturnType<typeof bindResult>) => (b.bound ? `bound: ${b.how}` : b.why);

  it("holds when the workspace is its checkout, or differs only in ungated files", () => {
    expect(bindResult(file, set, plain, ctx([])).bound).toBe(true);
    expect(bindResult(file, set, plain, ctx(["README.md"])).bound).toBe(true);
  });

  it("fails when gated files differ in the workspace, or when that cannot be known", () => {
    expect(why(bindResult(file, set, plain, ctx(["prompts/a.md"])))).toMatch(
      /prompts\/a\.md differ from the checked-out commit/,
    );
    expect(why(bindResult(file, set, plain, ctx(null)))).toMatch(
      /whether the workspace holds its checked-out commit is unknown/,
    );
  });

  // Each row: where the file is, what it carries, what the suite trusts, what the change touches.
  const rows: {
    name: string;
    file: Partial<typeof file>;
    carries?: { commit?: string; digests?: Record<string, string> };
    trust?: boolean;
    mustName?: string[];
    expect: RegExp;
  }[] = [
    {
      name: "a result committed in an earlier pull request never counts, whatever it carries",
      file: { tracked: true },
      carries: { commit: HEAD_SHA, digests: { "prompts/a.md": promptDigest } },
      expect: /committed to the repository \(tracked in git at head\).*trust_committed_results/,
    },
    {
      name: "a result committed in the change never counts by default",
      file: { tracked: true, committedInChange: true },
      expect: /committed in the change under review/,
    },
    {
      name: "a result committed in the change counts when the suite trusts committed results",
      file: { tracked: true, committedInChange: true },
      trust: true,
      expect: /^bound: committed in the change/,
    },
    {
      name: "a committed result the suite trusts still needs a binding when an earlier change committed it",
      file: { tracked: true },
      trust: true,
      expect: /tracked by git and carries no commit or digests/,
    },
    {
      name: "a result outside the working tree with no commit or digests is bound to nothing",
      file: { inWorkspace: false },
      expect: /outside the repository's working tree/,
    },
    {
      name: "digests that name only the unchanged eval set bind nothing the change touched",
      file: { inWorkspace: false },
      carries: { digests: { "evals/cases.yaml": evalDigest } },
      mustName: ["prompts/a.md"],
      expect: /do not name prompts\/a\.md.*bind a result only to the files they name/,
    },
    {
      name: "digests naming every changed file the suite's tiers see bind the result",
      file: { inWorkspace: false },
      carries: { digests: { "prompts/a.md": promptDigest, "evals/cases.yaml": evalDigest } },
      mustName: ["prompts/a.md"],
      expect: /^bound: digests of 2 file/,
    },
    {
      name: "a digest must match the head's content",
      file: { inWorkspace: false },
      carries: { digests: { "prompts/a.md": evalDigest } },
      mustName: ["prompts/a.md"],
      expect: /digest for prompts\/a\.md does not match/,
    },
    {
      name: "an untracked result produced at the head checkout need not name files in its digests",
      file: {},
      carries: { digests: { "evals/cases.yaml": evalDigest } },
      mustName: ["prompts/a.md"],
      expect: /^bound: produced in the workspace/,
    },
    {
      name: "an embedded commit binds all of the head",
      file: { inWorkspace: false },
      carries: { commit: HEAD_SHA.slice(0, 12), digests: { "evals/cases.yaml": evalDigest } },
      mustName: ["prompts/a.md"],
      expect: /^bound: commit/,
    },
  ];
  it.each(rows)("$name", (row) => {
    const b = bindResult(
      { ...file, ...row.file },
      { ...set, ...row.carries },
      { trustCommitted: row.trust === true, mustName: row.mustName ?? [] },
      ctx(),
    );
    expect(why(b)).toMatch(row.expect);
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
