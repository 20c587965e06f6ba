import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseCodeowners } from "../../src/config/codeowners.js";
import { TestRepo, type Files } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { agent, tool, toolFile } from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

const CONFIG = `version: 1
groups:
  owners: codeowners
tiers:
  chat: { approvals: { count: 1, from: [owners] } }
  tools: { approvals: { count: 1, from: [owners] } }
  write: { approvals: { count: 1, from: [owners] } }
  autonomous: { approvals: { count: 1, from: [owners] } }
  governance: { approvals: { count: 1, from: [owners] } }
`;

const CODEOWNERS = `# Owners of the product's agents
prompts/            @alice
tools/              @acme/ml
tools/refunds.json  @carol   # the last matching line wins
.github/            @erin
`;

const BASE: Files = {
  ".github/capgate.yml": CONFIG,
  ".github/CODEOWNERS": CODEOWNERS,
  "prompts/standalone.md": "Summarise.\n",
  "prompts/support/system.md": "You are a support assistant.\n",
  "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true })),
  "tools/refunds.json": toolFile(tool("get_refund", { readOnlyHint: true })),
  "agents/support.yaml": agent({ tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 1 }),
};

function change(head: Files, base: Files = BASE): { repo: TestRepo; base: string; head: string } {
  const repo = new TestRepo();
  repos.push(repo);
  const b = repo.commit(base, "base");
  repo.branch("pr");
  return { repo, base: b, head: repo.commit(head, "pull request") };
}

function check(
  c: { repo: TestRepo; base: string; head: string },
  approvers: string[],
  author = "dave",
): { code: number; requirements: { id: string; status: string; detail: string }[]; touched: { tier: string }[] } {
  const file = join(tempDir("capgate-reviews-"), "reviews.json");
  writeFileSync(
    file,
    JSON.stringify({
      author,
      reviews: approvers.map((user) => ({ user, state: "APPROVED", commit_id: c.head })),
      teams: { "@acme/ml": ["bob"] },
    }),
  );
  const r = c.repo.capgate(["check", "--base", c.base, "--head", c.head, "--json", "--approvals", file]);
  expect([0, 1], r.stderr).toContain(r.code);
  return { code: r.code, ...JSON.parse(r.stdout) };
}

const owners = (r: ReturnType<typeof check>) => r.requirements.find((q) => q.id.includes("from owners"))!;

describe("CODEOWNERS as an approval group", () => {
  const edits: Files = {
    "prompts/standalone.md": "Summarise briefly.\n",
    "tools/orders.json": toolFile(
      tool("get_order", { readOnlyHint: true }),
      tool("get_status", { readOnlyHint: true }),
    ),
    "tools/refunds.json": toolFile(
      tool("get_refund", { readOnlyHint: true }),
      tool("get_refunds", { readOnlyHint: true }),
    ),
  };

  it("each changed gated file needs one of its owners: by path, the last matching line, a team's members", () => {
    const c = change(edits);
    const all = check(c, ["alice", "bob", "carol"]);
    expect(all.code, JSON.stringify(all.requirements.filter((q) => q.status !== "met"))).toBe(0);
    const short = check(c, ["alice", "bob"]);
    expect(short.code).toBe(1);
    expect(owners(short).detail).toMatch(/^tools\/refunds\.json: 1 more approval from its owners @carol$/);
    // bob is a member of @acme/ml, which owns tools/ but not tools/refunds.json.
    expect(owners(check(c, ["alice", "carol"])).detail).toMatch(/tools\/orders\.json: .*@acme\/ml/);
  });

  it("a reviewer's request for changes blocks, whoever owns what", () => {
    const c = change(edits);
    const file = join(tempDir("capgate-reviews-"), "reviews.json");
    writeFileSync(
      file,
      JSON.stringify({
        author: "dave",
        reviews: [
          ...["alice", "bob", "carol"].map((user) => ({ user, state: "APPROVED", commit_id: c.head })),
          { user: "frank", state: "CHANGES_REQUESTED", commit_id: c.head },
        ],
        teams: { "@acme/ml": ["bob"] },
      }),
    );
    const r = c.repo.capgate(["check", "--base", c.base, "--head", c.head, "--json", "--approvals", file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/changes-requested:frank/);
  });

  it("the author's own approval does not count for a file they own", () => {
    const c = change(edits);
    const r = check(c, ["alice", "bob", "carol"], "alice");
    expect(r.code).toBe(1);
    expect(owners(r).detail).toMatch(/prompts\/standalone\.md: 1 more approval from its owners @alice/);
  });

  it("a changed gated file with no owner leaves the rule unmet, naming it", () => {
    const c = change({ "agents/support.yaml": agent({ version: "1.1.0", tools: ["tools/orders.json"], maxSteps: 1 }) });
    const r = check(c, ["alice", "bob", "carol", "erin"]);
    expect(r.code).toBe(1);
    expect(owners(r).detail).toMatch(
      /agents\/support\.yaml: no owner in \.github\/CODEOWNERS \(add an owner, or a catch-all line/,
    );
  });

  it("a CODEOWNERS the pull request changes does not count: base's owners decide, and the change is governance", () => {
    const c = change({ ...edits, ".github/CODEOWNERS": "* @dave @mallory\n" });
    const r = check(c, ["mallory"]);
    expect(r.code).toBe(1);
    expect(r.touched.map((t) => t.tier)).toContain("governance");
    expect(owners(r).detail).toMatch(/prompts\/standalone\.md: 1 more approval from its owners @alice/);
    expect(owners(r).detail).toMatch(/\.github\/CODEOWNERS: 1 more approval from its owners @erin/);
  });

  it("no CODEOWNERS at base leaves the rule unmet, saying so", () => {
    const { [".github/CODEOWNERS"]: _, ...without } = BASE;
    const c = change(edits, without);
    const r = check(c, ["alice", "bob", "carol"]);
    expect(r.code).toBe(1);
    expect(owners(r).detail).toMatch(/no CODEOWNERS at base/);
  });
});

describe("CODEOWNERS patterns, as GitHub reads them", () => {
  const ownersOf = parseCodeowners(`*       @default
*.js    @js-owner
/build/logs/  @doctocat
docs/*  @docs
apps/   @octocat
/scripts/ @one @two
/scripts/generated/
`);
  it.each([
    ["README.md", ["@default"]],
    ["src/a.js", ["@js-owner"]],
    ["build/logs/x.txt", ["@doctocat"]],
    ["docs/getting-started.md", ["@docs"]],
    // `docs/*` owns the folder's own files only.
    ["docs/build-app/troubleshooting.md", ["@default"]],
    ["apps/web/index.ts", ["@octocat"]],
    ["lib/apps/x.ts", ["@octocat"]],
    ["scripts/run.sh", ["@one", "@two"]],
    // A pattern with no owners: its files are unowned, as GitHub says.
    ["scripts/generated/out.sh", []],
  ])("%s", (path, want) => {
    expect(ownersOf(path)).toEqual(want);
  });
});
