import { describe, expect, it } from "vitest";
import type { Files, TestRepo } from "../helpers/repo.js";
import { ACTIONS_APP, comment, review } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess, standinForFile } from "../helpers/action.js";
import { renderMarkdown } from "../helpers/markdown.js";
import { agent, API_TEAMS, BASE, pullRequestRepo as makePullRequest, tool, toolFile } from "../scenarios/fixture.js";

/** The pull request's author tries to get through, through the action's own surfaces. */
const { api, newRepo } = standinForFile(API_TEAMS);

function pullRequestRepo(head?: Files) {
  const repo = newRepo();
  return { repo, ...makePullRequest(repo, head) };
}

const pr = (number: number, base: string, head: string) =>
  pullRequestPayload("opened", { number, base, head, author: "dave" });

/** The action run at the repository's checkout on a pull request event, as the runner runs it. */
function onPullRequest(repo: TestRepo, payload: unknown, more: Partial<Parameters<typeof runActionProcess>[0]> = {}) {
  return runActionProcess({ workspace: repo.dir, event: "pull_request", payload, api: api.url, ...more });
}

describe("comments and check runs capgate owns", () => {
  it("ignores a marker in the author's own comment and writes its own", async () => {
    const { repo, base, head } = pullRequestRepo();
    const forged = comment(40, "<!-- capgate:report -->\n✅ **capgate: pass** — trust me", {
      login: "dave",
      type: "User",
    });
    api.state.comments[40] = [forged];
    const run = await onPullRequest(repo, pr(40, base, head));
    expect(run.outputs.decision).toBe("block");
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    expect(api.state.comments[40]).toHaveLength(2);
    expect(api.state.comments[40]![0]!.body).toMatch(/trust me/);
    expect(api.state.comments[40]![1]!.body).toMatch(/^<!-- capgate:report -->\n❌ \*\*capgate: blocked\*\*/);
  });

  it("ignores a marker in another bot's comment, and one quoted mid-comment by its own login", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.comments[41] = [
      comment(41, "<!-- capgate:report -->\nfrom another app", { login: "evil-app[bot]", type: "Bot" }),
      comment(41, "quoting: <!-- capgate:report -->", { login: "github-actions[bot]", type: "Bot" }),
    ];
    await runActionProcess({ workspace: repo.dir, event: "pull_request", payload: pr(41, base, head), api: api.url });
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    expect(api.state.comments[41]).toHaveLength(3);
  });

  it("updates the comment of the login it is told it writes as (an app token)", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.writer = {
      login: "capgate-app[bot]",
      type: "Bot",
      app: { id: 777, slug: "capgate-app", name: "capgate" },
    };
    const inputs = { "comment-author": "capgate-app[bot]" };
    for (let i = 0; i < 2; i++) await onPullRequest(repo, pr(42, base, head), { inputs });
    expect(api.state.comments[42]).toHaveLength(1);
    expect(api.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("comment: on-failure writes nothing for a pass, and brings an earlier blocked comment up to date", async () => {
    const { repo, base, head } = pullRequestRepo();
    const inputs = { comment: "on-failure" };
    api.state.reviews[43] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const passing = await onPullRequest(repo, pr(43, base, head), { inputs });
    expect(passing.outputs.decision).toBe("pass");
    expect(api.state.comments[43] ?? []).toHaveLength(0);
    api.state.reviews[43] = [];
    await onPullRequest(repo, pr(43, base, head), { inputs });
    expect(api.state.comments[43]).toHaveLength(1);
    api.state.reviews[43] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    await onPullRequest(repo, pr(43, base, head), { inputs });
    expect(api.state.comments[43]).toHaveLength(1);
    expect(api.state.comments[43]![0]!.body).toMatch(/capgate: pass/);
  });

  it("comment: never reads and writes no comment at all", async () => {
    const { repo, base, head } = pullRequestRepo();
    await onPullRequest(repo, pr(44, base, head), { inputs: { comment: "never" } });
    expect(api.requests.filter((r) => r.path.includes("/comments"))).toHaveLength(0);
  });

  it("the push audit counts only a passing capgate check run of the expected app", async () => {
    const { repo, base, head } = pullRequestRepo();
    const payload = { ref: "refs/heads/main", before: base, after: head, forced: false };
    const foreign = { ...ACTIONS_APP, id: 29310, slug: "some-ci" };
    api.state.checkRuns.push({
      id: 1,
      head_sha: head,
      name: "capgate",
      conclusion: "success",
      output: {},
      app: foreign,
    });
    const forged = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(forged.code).toBe(1);
    expect(forged.summary).toMatch(/only check runs of app 15368 count/);
    api.state.checkRuns.push({
      id: 2,
      head_sha: head,
      name: "capgate",
      conclusion: "success",
      output: {},
      app: ACTIONS_APP,
    });
    const real = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(real.code).toBe(0);
    const elsewhere = await runActionProcess({
      workspace: repo.dir,
      event: "push",
      payload,
      api: api.url,
      inputs: { "check-app-id": "29310" },
    });
    expect(elsewhere.code).toBe(0);
  });
});

describe("tokens", () => {
  it("team members are read with teams-token, everything else with token", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[49] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(49, base, head), { inputs: { "teams-token": "ghs_teamsreader" } });
    expect(run.outputs.decision).toBe("pass");
    const teams = api.requests.filter((r) => r.path.includes("/teams/"));
    expect(teams.length).toBeGreaterThan(0);
    expect(new Set(teams.map((r) => r.auth))).toEqual(new Set(["token ghs_teamsreader"]));
    const rest = api.requests.filter((r) => !r.path.includes("/teams/"));
    expect(new Set(rest.map((r) => r.auth))).toEqual(new Set(["token ghs_standintoken"]));
  });
});

describe("text from the pull request is inert wherever it is shown", () => {
  const hostilePath = "tools/x\r\r## ✅ capgate: pass — nothing gated changed\r\r<!--.json";
  it("a path spelling a fake verdict breaks no line in the comment, the summary or the check run", async () => {
    const { repo, base, head } = pullRequestRepo({
      [hostilePath]: toolFile(tool("wire_money")),
      "tools/<img src=x onerror=alert(1)>@acme.json": toolFile(tool("ping", { readOnlyHint: true })),
      "tools/y\n::error title=forged::capgate passed\n.json": toolFile(tool("pong")),
    });
    const run = await onPullRequest(repo, pr(45, base, head));
    expect(run.outputs.decision).toBe("block");
    const surfaces = {
      comment: api.state.comments[45]![0]!.body,
      summary: run.summary,
      checkRun: (api.state.checkRuns[0]!.output as { summary: string }).summary,
    };
    for (const [where, md] of Object.entries(surfaces)) {
      expect(md, where).not.toMatch(/\r/);
      expect(md, where).not.toMatch(/^#/m);
      expect(md, where).not.toMatch(/<!--\.json/);
      const html = renderMarkdown(md);
      expect(html, where).not.toMatch(/<(img|h[1-6]|a)\b/);
      expect(md.match(/capgate: (pass|blocked)\*\*/g), where).toEqual(["capgate: blocked**"]);
      expect(md, where).toMatch(/\*\*To unblock:\*\*/);
    }
    expect(surfaces.comment.split("<!-- capgate:report -->")).toHaveLength(2);
    // Nothing from the repository reaches the log as a line of its own, or as a workflow command.
    expect(run.stdout).not.toMatch(/^## /m);
    expect(run.stdout).not.toMatch(/^::error title=forged/m);
  });
});

describe("GitHub down", () => {
  it("a 406 is not retried, and its status is in the reason", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.faults.push({ match: /GET \/repos\/.*\/reviews/, status: 406, body: "", times: 100 });
    const run = await onPullRequest(repo, pr(47, base, head));
    expect(run.outputs.decision).toBe("block");
    expect(api.requests.filter((r) => r.path.endsWith("/reviews"))).toHaveLength(1);
    expect(run.summary).toMatch(/reviews: HTTP 406/);
    expect(run.summary).not.toMatch(/Unknown error/);
  });
});

describe("a pull request that brings its own config", () => {
  it("is judged by the built-in baseline too, through the action", async () => {
    const repo = newRepo();
    const { ".github/capgate.yml": _config, ...rest } = BASE;
    const base = repo.commit(rest, "base without a config");
    repo.branch("pr");
    const head = repo.commit({
      ".github/capgate.yml": "version: 1\n",
      "tools/refunds.json": toolFile(tool("issue_refund")),
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
      }),
    });
    api.state.reviews[48] = [review("bob", "APPROVED", head)];
    const one = await onPullRequest(repo, pr(48, base, head));
    expect(one.outputs.decision).toBe("block");
    expect(one.summary).toMatch(/no config at base: the built-in baseline applies: 2 approvals/);
    api.state.reviews[48] = [review("bob", "APPROVED", head), review("alice", "APPROVED", head)];
    const two = await onPullRequest(repo, pr(48, base, head));
    expect(two.outputs.decision).toBe("pass");
    expect(two.outputs.tier).toBe("governance");
  });
});
