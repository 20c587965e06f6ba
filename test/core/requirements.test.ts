import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/resolve.js";
import { auditRequirement } from "../../src/requirement/audit.js";
import { approvalRequirements, reviewerStates } from "../../src/requirement/approvals.js";
import { bindResult } from "../../src/requirement/evals.js";
import { agent, CONFIG, tool, toolFile } from "../scenarios/fixture.js";
import { Case, HEAD_SHA } from "./builder.js";

const config = parseConfig(".github/capgate.yml", CONFIG);
if (!config.ok) throw new Error("fixture config must parse");

describe("reviewer states", () => {
  const head = "c".repeat(40);
  const old = "d".repeat(40);
  const ev = (reviews: { user: string; state: string; commitId: string | null }[], reviewedCommits = {}) => ({
    ok: true as const,
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
      new Set(),
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
      new Set(),
    );
    expect([...s.values()].filter((x) => x.counts)).toEqual([]);
    expect(s.get("carol")?.why).toMatch(/unknown/);
  });
  it("counts an older approval only when nothing gated changed since", () => {
    const states = (changed: string[], gated: string[]) =>
      reviewerStates(
        ev([{ user: "carol", state: "APPROVED", commitId: old }], { [old]: changed }),
        head,
        new Set(gated),
      );
    expect(states(["README.md"], []).get("carol")?.counts).toBe(true);
    expect(states(["tools/x.json"], ["tools/x.json"]).get("carol")?.counts).toBe(false);
  });
  it("the decision says which changed paths are gated: a skill folder's file is, a readme is not", () => {
    const old2 = "e".repeat(40);
    const a = new Case()
      .base({ "skills/s/SKILL.md": "---\nname: s\ndescription: d\n---\n", "tools/t.json": toolFile(tool("t")) })
      .head({ "tools/t.json": toolFile(tool("t", { readOnlyHint: true })) })
      .reviews([{ user: "carol", at: old2 }])
      .reviewedSince(old2, ["skills/s/helper.sh", "README.md"])
      .analyze();
    expect([...a.gated]).toEqual(["skills/s/helper.sh"]);
  });
});

describe("requests for changes when the reviews are unknown", () => {
  it("a touched tier with no approval rules still needs the reviews, to rule out a request for changes", () => {
    if (!config.ok) throw new Error("fixture config must parse");
    const why = { ok: false as const, why: "the reviews could not be read" };
    const reqs = approvalRequirements([], why, config.value, HEAD_SHA, new Set(), ["tools"]);
    expect(reqs.map((r) => [r.id, r.status])).toEqual([["changes-requested", "missing"]]);
    expect(reqs[0]!.detail).toMatch(/the reviews could not be read; whether anyone requested changes is unknown/);
    expect(approvalRequirements([], why, config.value, HEAD_SHA, new Set(), [])).toEqual([]);
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
      approvals: { ok: false as const, why: "none" },
    },
    head: HEAD_SHA,
    headFile: (p: string) =>
      headFiles[p] !== undefined
        ? { state: "file" as const, text: headFiles[p]!, oid: "0".repeat(40) }
        : { state: "absent" as const },
    gated: new Set(["prompts/a.md"]),
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

describe("version discipline", () => {
  const base = {
    "agents/a.yaml": agent({
      name: "a",
      version: "1.0.0",
      prompt: "prompts/p.md",
      tools: ["tools/t.json"],
      maxSteps: 1,
    }),
    "prompts/p.md": "---\nid: p\nversion: 1.2.0\n---\nHi.\n",
    "tools/t.json": JSON.stringify({
      version: "3.0.0",
      tools: [tool("t", { readOnlyHint: true }, { id: { type: "string" }, n: { type: "integer" } })],
    }),
    "docs/rollback.md": "x\n",
  };
  const rows: { name: string; head: Record<string, string>; path: string; status: string; detail: RegExp }[] = [
    {
      name: "a versioned prompt changed without a bump fails",
      head: { "prompts/p.md": "---\nid: p\nversion: 1.2.0\n---\nHello.\n" },
      path: "prompts/p.md",
      status: "failed",
      detail: /needs a higher version \(at least 1\.2\.1\)/,
    },
    {
      name: "with a bump it is met",
      head: { "prompts/p.md": "---\nid: p\nversion: 1.3.0\n---\nHello.\n" },
      path: "prompts/p.md",
      status: "met",
      detail: /1\.2\.0 → 1\.3\.0/,
    },
    {
      name: "a parameter removed from a versioned tool needs a major bump",
      head: {
        "tools/t.json": JSON.stringify({
          version: "3.1.0",
          tools: [tool("t", { readOnlyHint: true }, { id: { type: "string" } })],
        }),
      },
      path: "tools/t.json",
      status: "failed",
      detail: /breaking change: t\.n removed.*needs a major bump \(at least 4\.0\.0\)/,
    },
    {
      name: "an agent escalating through its tool, manifest untouched, owes a major bump",
      head: {
        "tools/t.json": JSON.stringify({
          version: "4.0.0",
          tools: [tool("t", {}, { id: { type: "string" }, n: { type: "integer" } })],
        }),
      },
      path: "agents/a.yaml",
      status: "failed",
      detail: /escalates tools → write through what it references.*at least 2\.0\.0/,
    },
  ];
  it.each(rows)("$name", ({ head, path, status, detail }) => {
    const v = new Case()
      .base(base)
      .head(head)
      .decide()
      .requirements.find((r) => r.id === `version:${path}`);
    expect(v).toMatchObject({ status });
    expect(v!.detail).toMatch(detail);
  });
});

describe("the push audit's requirement", () => {
  const sha = "f".repeat(40);
  const runs = (appId: number | null, conclusion = "success") => [{ sha, conclusion, appId }];
  it.each([
    { name: "a passing run of the expected app is met", runs: runs(15368), status: "met" },
    { name: "a passing run of another app is not", runs: runs(29310), status: "failed" },
    { name: "a failing run of the expected app is not", runs: runs(15368, "failure"), status: "failed" },
    { name: "no run at all is not", runs: [], status: "failed" },
  ])("$name", ({ runs: r, status }) => {
    const req = auditRequirement({ ok: true, appId: 15368, pulls: [4], candidates: [sha], runs: r }, "write", sha);
    expect(req.status).toBe(status);
  });
  it("check runs that could not be read leave it failed, saying so", () => {
    const req = auditRequirement({ ok: false, appId: 15368, why: "GET /x: HTTP 502" }, "tools", sha);
    expect(req).toMatchObject({ status: "failed" });
    expect(req.detail).toMatch(/could not be read: GET \/x: HTTP 502/);
  });
});
