import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { dirname, join } from "node:path";
import { ACTION_BUNDLE } from "../setup/build-cli.js";
import { TestRepo, type Files } from "../helpers/repo.js";
import { ACTIONS_APP, review } from "../helpers/github-standin.js";
import { pullRequestPayload, runActionProcess, standinForFile } from "../helpers/action.js";
import { shown } from "../helpers/markdown.js";
import { tempDir } from "../helpers/temp.js";
import {
  API_TEAMS,
  BASE,
  CONFIG,
  pullRequestRepo as makePullRequest,
  results,
  tool,
  toolFile,
  writeResults,
} from "../scenarios/fixture.js";

const { api, newRepo } = standinForFile(API_TEAMS);

/** A repository with a pull request that needs write-tier evidence, checked out at its head with results. */
function pullRequestRepo(head?: Files) {
  const repo = newRepo();
  return { repo, ...makePullRequest(repo, head) };
}

function pr(number: number, base: string, head: string, kind: Parameters<typeof pullRequestPayload>[0] = "opened") {
  return pullRequestPayload(kind, { number, base, head, author: "dave" });
}

/** The action run at the repository's checkout on a pull request event, as the runner runs it. */
function onPullRequest(repo: TestRepo, payload: unknown, more: Partial<Parameters<typeof runActionProcess>[0]> = {}) {
  return runActionProcess({ workspace: repo.dir, event: "pull_request", payload, api: api.url, ...more });
}

/** Commits on the pull request; the workspace's untracked results are cleared first, as a new job would. */
function commitOnPr(repo: TestRepo, files: Record<string, string>, message: string): string {
  repo.write({ "eval-results": null });
  return repo.commit(files, message);
}

const writes = () => api.requests.filter((r) => r.method !== "GET");

describe("the action on pull_request", () => {
  it("passes with reviews from the API, comments once and publishes the check run", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[7] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(7, base, head));
    expect(run.stdout + run.stderr).not.toMatch(/::error/);
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("pass");
    expect(run.outputs.tier).toBe("write");
    expect(JSON.parse(run.outputs.escalations!)).toEqual([
      expect.objectContaining({ agent: "support-bot", from: "tools", to: "write" }),
    ]);
    expect(run.summary).toMatch(/capgate: pass/);
    const record = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    expect(record.capgate).toBe("record/v3");
    expect(record.input.config.source).toBe("base");
    expect(record.input.evidence.approvals.reviews.map((r: { user: string }) => r.user)).toEqual(["alice", "carol"]);
    expect(record.report.decision).toBe("pass");
    // The SARIF file for code scanning: the escalation, a warning on a pass, at the agent's file.
    const sarif = JSON.parse(readFileSync(run.outputs.sarif!, "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results).toEqual([
      expect.objectContaining({
        ruleId: "capgate/escalation",
        level: "warning",
        locations: [
          expect.objectContaining({
            physicalLocation: expect.objectContaining({
              artifactLocation: { uri: "agents/support.yaml", uriBaseId: "%SRCROOT%" },
            }),
          }),
        ],
      }),
    ]);
    expect(api.state.comments[7]).toHaveLength(1);
    expect(api.state.comments[7]![0]!.body).toMatch(/<!-- capgate:report -->/);
    expect(api.state.checkRuns).toEqual([
      expect.objectContaining({ name: "capgate", head_sha: head, conclusion: "success" }),
    ]);
    // A constant handful of requests: reviews, two teams, comments list, comment, check run.
    expect(api.requests.length).toBeLessThanOrEqual(7);
  });

  it("updates its comment in place on the next run instead of adding a second", async () => {
    const { repo, base, head } = pullRequestRepo();
    const first = await onPullRequest(repo, pr(8, base, head));
    expect(first.code).toBe(1);
    expect(first.outputs.decision).toBe("block");
    api.state.reviews[8] = [review("alice", "APPROVED", head), review("erin", "APPROVED", head)];
    const second = await runActionProcess({
      workspace: repo.dir,
      event: "pull_request_review",
      payload: pr(8, base, head, "review_submitted"),
      api: api.url,
    });
    expect(second.code).toBe(0);
    expect(api.state.comments[8]).toHaveLength(1);
    expect(api.state.comments[8]![0]!.body).toMatch(/capgate: pass/);
    expect(writes().filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toHaveLength(1);
    expect(writes().filter((r) => r.method === "PATCH")).toHaveLength(1);
    // The review event re-decides the one required check on the same head commit.
    expect(api.state.checkRuns.map((c) => c.conclusion)).toEqual(["failure", "success"]);
  });

  it("still decides with a read-only token (fork): writes fail, the decision stands", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[9] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    api.state.readOnly = true;
    const run = await onPullRequest(repo, pr(9, base, head));
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("pass");
    expect(run.stdout).toMatch(/::warning::could not write the pull-request comment \(HTTP 403\)/);
    expect(run.summary).toMatch(/capgate: pass/);
  });

  it("does not count an approval given on an older commit when a gated file changed since", async () => {
    const { repo, base, head: first } = pullRequestRepo();
    const head = commitOnPr(
      repo,
      {
        "tools/refunds.json": toolFile(
          tool("issue_refund", undefined, { id: { type: "string" }, note: { type: "string" } }),
        ),
      },
      "a new parameter",
    );
    writeResults(repo, {
      "eval-results/regression.json": results("regression", {}, head),
      "eval-results/redteam.json": results("redteam", {}, head),
    });
    api.state.reviews[10] = [review("alice", "APPROVED", first), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(10, base, head));
    expect(run.code).toBe(1);
    expect(shown(run.summary)).toMatch(
      /alice \(approved [0-9a-f]{7}, but gated files changed since: tools\/refunds.json\)/,
    );
  });

  it("counts an approval on an older commit when only ungated files changed since", async () => {
    const { repo, base, head: first } = pullRequestRepo();
    const head = commitOnPr(repo, { "README.md": "# docs only\n" }, "docs");
    writeResults(repo, {
      "eval-results/regression.json": results("regression", {}, head),
      "eval-results/redteam.json": results("redteam", {}, head),
    });
    api.state.reviews[11] = [review("alice", "APPROVED", first), review("carol", "APPROVED", first)];
    const run = await onPullRequest(repo, pr(11, base, head));
    expect(run.code).toBe(0);
  });

  it("blocks when the token cannot read a required team, saying so", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[12] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    api.state.teamStatus["acme/trust-safety"] = 403;
    const run = await onPullRequest(repo, pr(12, base, head));
    expect(run.code).toBe(1);
    expect(shown(run.summary)).toMatch(/cannot resolve @acme\/trust-safety .*members: read/);
  });

  it("warn mode reports a block without failing the step", async () => {
    const { repo, base, head } = pullRequestRepo();
    const run = await onPullRequest(repo, pr(13, base, head), { inputs: { mode: "warn" } });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("block");
    expect(run.stdout).toMatch(/::warning::capgate blocked this change/);
  });
});

describe("a trial config from the workspace", () => {
  it("only reports, says on every report that it is a trial, and publishes no check run", async () => {
    const { repo, base, head } = pullRequestRepo();
    // Not committed: the team tries it on real pull requests before adopting it.
    writeFileSync(
      join(repo.dir, "capgate-trial.yml"),
      "version: 1\ntiers:\n  chat: { approvals: 3 }\n  tools: { approvals: 3 }\n  write: { approvals: 3 }\n  autonomous: { approvals: 3 }\n",
    );
    const run = await onPullRequest(repo, pr(14, base, head), { inputs: { "config-file": "capgate-trial.yml" } });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("block");
    expect(run.stdout).toMatch(/::warning::capgate: a trial with capgate-trial\.yml/);
    expect(run.summary).toMatch(/Trial:\*\* decided with a trial config read from the workspace/);
    expect(api.state.comments[14]![0]!.body).toMatch(/Trial:/);
    expect(api.state.checkRuns.filter((c) => c.head_sha === head)).toEqual([]);
    const record = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
    expect(record.input.config.source).toBe("file");
  });
});

describe("a central policy", () => {
  const CENTRAL =
    'version: 1\ngroups:\n  security: ["erin"]\ntiers:\n  write: { approvals: [{ count: 1, from: [security] }] }\n';
  const extending = (ref: string) => {
    const repo = newRepo();
    const config = CONFIG.replace("version: 1\n", `version: 1\nextends: ${ref}\n`);
    return { repo, ...makePullRequest(repo, undefined, { ...BASE, ".github/capgate.yml": config }) };
  };

  it("is read through the API and applies as well as the config, held in the record as read", async () => {
    api.state.contents["acme/policies/capgate.yml@v1"] = CENTRAL;
    const { repo, base, head } = extending("acme/policies/capgate.yml@v1");
    api.state.reviews[15] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const blocked = await onPullRequest(repo, pr(15, base, head));
    expect(blocked.code).toBe(1);
    expect(blocked.summary).toMatch(
      /the central policy acme\/policies\/capgate\.yml@\u200b?v1: 1 approval from security/,
    );
    expect(
      api.requests.some((r) => r.path === "/repos/acme/policies/contents/capgate.yml" && r.query.get("ref") === "v1"),
    ).toBe(true);
    api.state.reviews[15]!.push(review("erin", "APPROVED", head));
    const passed = await onPullRequest(repo, pr(15, base, head));
    expect(passed.code).toBe(0);
    const record = JSON.parse(readFileSync(passed.outputs.report!, "utf8"));
    expect(record.input.config.policy).toEqual({
      ref: "acme/policies/capgate.yml@v1",
      raw: expect.objectContaining({ groups: { security: ["erin"] } }),
    });
  });

  it("that cannot be read blocks, naming it", async () => {
    const { repo, base, head } = extending("acme/policies/missing.yml@v1");
    api.state.reviews[16] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(16, base, head));
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe("block");
    expect(run.summary).toMatch(/the central policy acme\/policies\/missing\.yml@\u200b?v1 cannot be read: HTTP 404/);
  });
});

describe("CODEOWNERS owners", () => {
  it("reads the teams CODEOWNERS names with the reviews, and counts their members for the files they own", async () => {
    const config =
      "version: 1\ngroups:\n  owners: codeowners\ntiers:\n  chat: { approvals: { count: 1, from: [owners] } }\n" +
      "  tools: { approvals: { count: 1, from: [owners] } }\n  write: { approvals: { count: 1, from: [owners] } }\n" +
      "  autonomous: { approvals: { count: 1, from: [owners] } }\n";
    const repo = newRepo();
    const base = repo.commit(
      { ".github/capgate.yml": config, ".github/CODEOWNERS": "prompts/ @acme/trust-safety\n", "prompts/a.md": "A\n" },
      "base",
    );
    repo.branch("pr");
    const head = repo.commit({ "prompts/a.md": "A, edited\n" }, "pull request");
    api.state.reviews[17] = [review("bob", "APPROVED", head)];
    const blocked = await onPullRequest(repo, pr(17, base, head));
    expect(blocked.code).toBe(1);
    expect(blocked.summary).toMatch(/prompts\/a\.md: 1 more approval from its owners @\u200b?acme\/trust-safety/);
    expect(api.requests.some((r) => r.path === "/orgs/acme/teams/trust-safety/members")).toBe(true);
    api.state.reviews[17]!.push(review("erin", "APPROVED", head));
    const passed = await onPullRequest(repo, pr(17, base, head));
    expect(passed.code, passed.summary).toBe(0);
  });
});

describe("what a run costs", () => {
  it("makes the same handful of API requests however many files changed", async () => {
    const counts: number[] = [];
    for (const n of [1, 300]) {
      const files: Record<string, string> = {};
      for (let i = 0; i < n; i++) files[`prompts/bulk/p${i}.md`] = `Prompt ${i}\n`;
      const { repo, base, head } = pullRequestRepo(files);
      api.state.reviews[60 + n] = [review("alice", "APPROVED", head)];
      api.requests.length = 0;
      const run = await onPullRequest(repo, pr(60 + n, base, head));
      expect(run.code).toBe(0);
      counts.push(api.requests.length);
    }
    expect(counts[0]).toBe(counts[1]);
    expect(counts[0]).toBeLessThanOrEqual(7);
  });
});

describe("failing closed", () => {
  it("blocks when the API is down", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[20] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    api.state.faults.push({ match: /GET \/repos\/.*\/reviews/, status: 503, times: 1000 });
    const run = await onPullRequest(repo, pr(20, base, head));
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe("block");
    expect(run.summary).toMatch(/could not be read from the GitHub API/);
    expect(api.requests.filter((r) => r.path.endsWith("/reviews")).length).toBeGreaterThan(1);
  });

  it("retries 5xx answers and secondary rate limits, then decides", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[21] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    api.state.faults.push({ match: /GET \/repos\/.*\/reviews/, status: 502, times: 2 });
    api.state.faults.push({
      match: /GET \/orgs\/acme\/teams\/ml\/members/,
      status: 403,
      headers: { "retry-after": "1" },
      body: JSON.stringify({
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        documentation_url: "https://docs.github.com/rest",
      }),
      times: 1,
    });
    const run = await onPullRequest(repo, pr(21, base, head));
    expect(run.stdout).toMatch(/secondary rate limit/);
    expect(run.code).toBe(0);
  });

  it("blocks when a page of reviews is cut short", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.perPage = 1;
    api.state.reviews[22] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    api.state.faults.push({
      match: /GET \/repos\/.*\/reviews/,
      status: 200,
      body: '[{"id": 1, "user": {"login": "al',
      times: 1000,
    });
    const run = await onPullRequest(repo, pr(22, base, head));
    delete api.state.perPage;
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe("block");
  });

  it("blocks on a payload it cannot read", async () => {
    const { repo } = pullRequestRepo();
    const run = await onPullRequest(repo, { pull_request: { number: "x" } });
    expect(run.code).toBe(1);
    expect(run.outputs.decision).toBe("block");
    expect(run.summary).toMatch(/payload is not as expected/);
  });

  it("blocks an event it does not gate", async () => {
    const { repo } = pullRequestRepo();
    const run = await runActionProcess({ workspace: repo.dir, event: "issues", payload: {}, api: api.url });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/does not gate issues events/);
  });
});

describe("merge queue, shallow clones and pushes", () => {
  it("gates a merge group with the queued pull request's approvals", async () => {
    const { repo, base } = pullRequestRepo();
    const prHead = repo.git("rev-parse", "HEAD");
    // The queue builds a merge commit of base + the pull request.
    repo.checkout(base);
    repo.git("checkout", "-q", "-b", "gh-readonly-queue/main/pr-30-" + prHead);
    repo.git("merge", "-q", "--no-ff", "-m", "merge group", "pr");
    const groupHead = repo.git("rev-parse", "HEAD");
    writeResults(repo, {
      "eval-results/regression.json": results("regression", {}, groupHead),
      "eval-results/redteam.json": results("redteam", {}, groupHead),
    });
    api.state.pulls[30] = { author: "dave", head: prHead, base };
    api.state.reviews[30] = [review("alice", "APPROVED", prHead), review("carol", "APPROVED", prHead)];
    const payload = {
      action: "checks_requested",
      merge_group: {
        head_sha: groupHead,
        head_ref: `refs/heads/gh-readonly-queue/main/pr-30-${prHead}`,
        base_sha: base,
        base_ref: "refs/heads/main",
      },
    };
    const run = await runActionProcess({
      workspace: repo.dir,
      event: "merge_group",
      payload,
      api: api.url,
      env: { GITHUB_SHA: groupHead },
    });
    expect(run.stdout).not.toMatch(/::error/);
    expect(run.code).toBe(0);
    expect(api.requests.some((r) => r.path.endsWith("/pulls/30"))).toBe(true);
    expect(api.state.checkRuns).toEqual([expect.objectContaining({ head_sha: groupHead, conclusion: "success" })]);

    // Without the approvals the group is not posted green.
    api.state.reviews[30] = [];
    api.state.checkRuns = [];
    const blocked = await runActionProcess({
      workspace: repo.dir,
      event: "merge_group",
      payload,
      api: api.url,
      env: { GITHUB_SHA: groupHead },
    });
    expect(blocked.code).toBe(1);
    expect(api.state.checkRuns).toEqual([expect.objectContaining({ conclusion: "failure" })]);
  });

  it("fetches the base a shallow checkout lacks, then decides", async () => {
    const { repo, base, head } = pullRequestRepo();
    commitOnPr(repo, { "README.md": "# later\n" }, "later");
    const clone = tempDir("capgate-shallow-ws-");
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "pr", `file://${repo.dir}`, clone]);
    execFileSync("git", ["checkout", "-q", "HEAD~0"], { cwd: clone });
    const cloneHead = execFileSync("git", ["rev-parse", "HEAD"], { cwd: clone, encoding: "utf8" }).trim();
    writeResults({ dir: clone } as TestRepo, {
      "eval-results/regression.json": results("regression", {}, cloneHead),
      "eval-results/redteam.json": results("redteam", {}, cloneHead),
    });
    api.state.reviews[40] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await runActionProcess({
      workspace: clone,
      event: "pull_request",
      payload: pr(40, base, cloneHead),
      api: api.url,
    });
    expect(run.stdout).toMatch(/fetching [0-9a-f]{40} from origin/);
    expect(run.code).toBe(0);
  });

  it("refuses with the exact fix when the base cannot be fetched", async () => {
    const { repo, base, head } = pullRequestRepo();
    const clone = tempDir("capgate-shallow-ws-");
    execFileSync("git", ["clone", "-q", "--depth", "1", "--branch", "pr", `file://${repo.dir}`, clone]);
    execFileSync("git", ["remote", "remove", "origin"], { cwd: clone });
    const run = await runActionProcess({
      workspace: clone,
      event: "pull_request",
      payload: pr(41, base, head),
      api: api.url,
    });
    expect(run.code).toBe(1);
    expect(run.summary).toMatch(/fetch-depth: 0/);
  });

  it("audits a push: gated changes need a passing capgate check on the way in", async () => {
    const { repo, base, head } = pullRequestRepo();
    const payload = { ref: "refs/heads/main", before: base, after: head, forced: false };
    const unaudited = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(unaudited.code).toBe(1);
    expect(unaudited.summary).toMatch(/without a passing capgate check/);
    api.state.checkRuns.push({
      id: 1,
      head_sha: head,
      name: "capgate",
      conclusion: "success",
      output: {},
      app: ACTIONS_APP,
    });
    const audited = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(audited.code).toBe(0);
    // Both audits replay from their records alone, offline, to the reports they hold.
    for (const run of [unaudited, audited]) {
      const record = JSON.parse(readFileSync(run.outputs.report!, "utf8"));
      expect(record.input.audit).toMatchObject({ ok: true });
      const replayed = repo.capgate(["replay", run.outputs.report!, "--json"], tempDir("capgate-replay-"));
      expect(replayed.stderr).toBe("");
      expect(replayed.stdout).toBe(JSON.stringify(record.report, null, 2) + "\n");
      expect(replayed.code).toBe(run.code);
    }
  });

  it("audits a new branch (all-zero before) against the pushed commit's parent", async () => {
    const { repo, head } = pullRequestRepo({ "README.md": "# docs\n" });
    const payload = { ref: "refs/heads/feature", before: "0".repeat(40), after: head, forced: false };
    const run = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(run.code).toBe(0);
    expect(run.outputs.tier).toBe("");
  });
});

describe("workflow_dispatch and force-pushes", () => {
  it("gates two commits given by hand, with the named pull request's reviews", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.pulls[70] = { author: "dave", head, base };
    api.state.reviews[70] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await runActionProcess({
      workspace: repo.dir,
      event: "workflow_dispatch",
      payload: { inputs: {} },
      api: api.url,
      inputs: { base: "main", head: "pr", "pull-request": "70" },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.tier).toBe("write");
    expect(api.state.checkRuns).toEqual([expect.objectContaining({ conclusion: "success" })]);
  });

  it("audits a force-push whose previous commit is gone against the pushed commit's parent", async () => {
    const { repo, head } = pullRequestRepo({ "README.md": "# docs\n" });
    const payload = { ref: "refs/heads/main", before: "f".repeat(40), after: head, forced: true };
    const run = await runActionProcess({ workspace: repo.dir, event: "push", payload, api: api.url });
    expect(run.stdout).toMatch(/is gone; auditing/);
    expect(run.code).toBe(0);
  });
});

/**
 * An HTTP proxy as a runner behind one has: it tunnels each CONNECT to the host asked for, and
 * resolves the names given to it (the API stand-in's own name, which no DNS knows) itself.
 */
async function tunnellingProxy(
  hosts: Record<string, string>,
): Promise<{ url: string; tunnels: string[]; close(): void }> {
  const tunnels: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const [host = "", port = "80"] = (req.url ?? "").split(":");
    tunnels.push(req.url ?? "");
    const upstream = connect(Number(port), hosts[host] ?? host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, tunnels, close: () => server.close() };
}

describe("talking to GitHub", () => {
  it("without a proxy, needs no undici: the action runs with no dist/vendor/undici.js beside it", async () => {
    const dist = tempDir("capgate-no-undici-");
    cpSync(dirname(ACTION_BUNDLE), dist, { recursive: true });
    rmSync(join(dist, "vendor", "undici.js"));
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[60] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(60, base, head), { bundle: join(dist, "index.js") });
    expect(run.stdout + run.stderr).not.toMatch(/::error|Cannot find module/);
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("pass");
    expect(api.state.checkRuns.filter((c) => c.head_sha === head)).toHaveLength(1);
  });

  it("behind a proxy (HTTPS_PROXY / HTTP_PROXY), reaches the API through it", async () => {
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[61] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    // A name the proxy alone can resolve: a loopback address would be let past the proxy.
    const apiPort = new URL(api.url).port;
    const proxy = await tunnellingProxy({ "api.standin.test": "127.0.0.1" });
    try {
      const run = await onPullRequest(repo, pr(61, base, head), {
        api: `http://api.standin.test:${apiPort}`,
        env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url },
      });
      expect(run.stdout + run.stderr).not.toMatch(/::error/);
      expect(run.code).toBe(0);
      expect(run.outputs.decision).toBe("pass");
      expect(proxy.tunnels.length).toBeGreaterThan(0);
      expect(new Set(proxy.tunnels)).toEqual(new Set([`api.standin.test:${apiPort}`]));
      expect(api.state.checkRuns.filter((c) => c.head_sha === head)).toHaveLength(1);
    } finally {
      proxy.close();
    }
  });
});

describe("the committed bundle", () => {
  it("runs on Node 24, the runtime GitHub uses", async () => {
    const node24 = join(process.cwd(), "node_modules", "node", "bin", "node");
    expect(existsSync(node24)).toBe(true);
    const { repo, base, head } = pullRequestRepo();
    api.state.reviews[50] = [review("alice", "APPROVED", head), review("carol", "APPROVED", head)];
    const run = await onPullRequest(repo, pr(50, base, head), {
      node: node24,
      bundle: join(process.cwd(), "dist", "index.js"),
    });
    expect(run.code).toBe(0);
    expect(run.outputs.decision).toBe("pass");
  });
});
