import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runActionProcess, pullRequestPayload, standinForFile } from "../helpers/action.js";
import { release, sample } from "../helpers/github-standin.js";
import type { TestRepo } from "../helpers/repo.js";
import { agent, API_TEAMS, BASE, tool, toolFile } from "../scenarios/fixture.js";

const { api, newRepo } = standinForFile(API_TEAMS);

const START = "<!-- capgate:changelog -->";
const END = "<!-- /capgate:changelog -->";

/** Two tagged releases; between them the support agent gains an unconfirmed refund tool. */
function tagged(): { repo: TestRepo; v1: string; v2: string } {
  const repo = newRepo();
  const v1 = repo.commit(BASE, "v1");
  repo.git("tag", "v1.0.0");
  repo.commit({ "tools/refunds.json": toolFile(tool("issue_refund")) });
  const v2 = repo.commit({
    "agents/support.yaml": agent({ version: "2.0.0", tools: ["tools/orders.json", "tools/refunds.json"], maxSteps: 8 }),
  });
  repo.git("tag", "v1.1.0");
  return { repo, v1, v2 };
}

/** The real `release` payload, for release `id` with tag `tag`. */
function releaseEvent(action: string, id: number, tag: string): Record<string, unknown> {
  const p = sample<{ release: Record<string, unknown> }>(
    "octokit-webhooks__payload-examples__api.github.com__release__published.payload.json",
  );
  return { ...p, action, release: { ...p.release, id, tag_name: tag } };
}

function releases(body: string): void {
  api.state.releases.push(
    release({ id: 2, tag: "v1.1.0", body, publishedAt: "2026-02-01T00:00:00Z" }),
    release({ id: 1, tag: "v1.0.0", body: "First.", publishedAt: "2026-01-01T00:00:00Z" }),
    release({ id: 3, tag: "v1.2.0-rc.1", prerelease: true, publishedAt: "2026-01-20T00:00:00Z" }),
  );
}
/** The action run on a `release` event in `workspace`. */
function onRelease(workspace: string, action: string, id: number, tag: string) {
  return runActionProcess({ workspace, event: "release", payload: releaseEvent(action, id, tag), api: api.url });
}
const bodyOf = (id: number) => String(api.state.releases.find((r) => r.id === id)!.body);

describe("the action on release events", () => {
  it("writes the capability changes since the previous release between its markers, keeping the body", async () => {
    const { repo } = tagged();
    releases("Thanks to everyone who helped.\n");
    const run = await onRelease(repo.dir, "published", 2, "v1.1.0");
    expect(run.code).toBe(0);
    const body = bodyOf(2);
    expect(
      body.startsWith("Thanks to everyone who helped.\n\n" + START + "\n## Capability changes (v1.0.0 → v1.1.0)"),
    ).toBe(true);
    expect(body).toMatch(/support-bot\*\* \(`agents\/support\.yaml`\): tools → autonomous; gains `issue_refund`/);
    expect(body.trimEnd().endsWith(END)).toBe(true);
    expect(readFileSync(run.outputs.changelog!, "utf8")).toMatch(/^## Capability changes \(v1\.0\.0 → v1\.1\.0\)/);
    expect(run.summary).toMatch(/## Capability changes/);
    expect(bodyOf(1)).toBe("First.");
  });

  it("a re-run replaces only its own section; every other byte stays", async () => {
    const { repo } = tagged();
    const before = `Intro line.\r\n\n${START}\n## Capability changes (v0 → v1.1.0)\nold notes\n${END}\n\n## Upgrading\nRead the guide.`;
    releases(before);
    const run = await onRelease(repo.dir, "edited", 2, "v1.1.0");
    expect(run.code).toBe(0);
    const body = bodyOf(2);
    expect(body.startsWith(`Intro line.\r\n\n${START}\n## Capability changes`)).toBe(true);
    expect(body.endsWith(`${END}\n\n## Upgrading\nRead the guide.`)).toBe(true);
    expect(body).not.toContain("old notes");
    // And again: the same body, byte for byte.
    await onRelease(repo.dir, "edited", 2, "v1.1.0");
    expect(bodyOf(2)).toBe(body);
  });

  it("with a read-only token the body is left alone, the notes go to the summary with the reason, and the job stays green", async () => {
    const { repo } = tagged();
    releases("Hand-written notes.");
    api.state.readOnly = true;
    const run = await onRelease(repo.dir, "published", 2, "v1.1.0");
    expect(run.code).toBe(0);
    expect(bodyOf(2)).toBe("Hand-written notes.");
    expect(run.summary).toMatch(/## Capability changes/);
    expect(run.summary).toMatch(/could not write the release notes \(HTTP 403\)/);
  });

  it("the first release is compared from the repository's first commit", async () => {
    const { repo } = tagged();
    api.state.releases.push(release({ id: 2, tag: "v1.1.0", body: "" }));
    const run = await onRelease(repo.dir, "published", 2, "v1.1.0");
    expect(run.code).toBe(0);
    expect(bodyOf(2)).toMatch(
      new RegExp(`^${START}\\n## Capability changes \\(the first commit [0-9a-f]{7} → v1\\.1\\.0\\)`),
    );
  });

  it("workflow_dispatch with a tag writes that release's notes", async () => {
    const { repo } = tagged();
    releases("");
    const run = await runActionProcess({
      workspace: repo.dir,
      event: "workflow_dispatch",
      payload: { inputs: {} },
      inputs: { tag: "v1.1.0" },
      api: api.url,
    });
    expect(run.code).toBe(0);
    expect(bodyOf(2)).toMatch(/support-bot/);
  });

  it("a release that cannot be read is said, and the release is not failed", async () => {
    const { repo } = tagged();
    const run = await onRelease(repo.dir, "published", 99, "v9.9.9");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/capgate could not write the release notes/);
  });
});

describe("a release without a checkout", () => {
  it("is said and not failed, and an event that writes nothing does not need one", async () => {
    const empty = mkdtempSync(join(tmpdir(), "capgate-no-checkout-"));
    try {
      for (const action of ["published", "deleted"]) {
        const run = await onRelease(empty, action, 2, "v1.1.0");
        expect(run.code, run.stdout).toBe(0);
        expect(run.stdout).toMatch(
          action === "deleted"
            ? /release deleted: nothing to write/
            : /could not write the release notes: .*not inside a git repository/,
        );
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("pull-request labels", () => {
  it("labels: true keeps capgate:<tier> and capgate:escalation, creating them, and replaces them when the decision changes", async () => {
    const { repo, v1, v2 } = tagged();
    api.state.pulls[5] = { author: "dave", head: v2, base: v1 };
    api.state.issueLabels[5] = ["bug", "capgate:chat"];
    const payload = pullRequestPayload("opened", { number: 5, base: v1, head: v2, author: "dave" });
    const run = await runActionProcess({
      workspace: repo.dir,
      event: "pull_request",
      payload,
      api: api.url,
      inputs: { labels: "true" },
      env: { CAPGATE_RETRY_BASE_MS: "50" },
    });
    expect(run.stdout).toMatch(/labels: capgate:autonomous, capgate:escalation/);
    expect([...api.state.issueLabels[5]!].sort()).toEqual(["bug", "capgate:autonomous", "capgate:escalation"]);
    expect(api.state.labels["capgate:autonomous"]).toMatchObject({ color: "d93f0b" });
    // The next push reverts the agent: capgate's labels follow the decision; others stay.
    const v3 = repo.commit({
      "agents/support.yaml": BASE["agents/support.yaml"] as string,
      "tools/refunds.json": null,
    });
    api.state.pulls[5] = { author: "dave", head: v3, base: v1 };
    const again = pullRequestPayload("synchronize", { number: 5, base: v1, head: v3, author: "dave" });
    await runActionProcess({
      workspace: repo.dir,
      event: "pull_request",
      payload: again,
      api: api.url,
      inputs: { labels: "true" },
      env: { CAPGATE_RETRY_BASE_MS: "50" },
    });
    expect(api.state.issueLabels[5]).toEqual(["bug"]);
  });

  it("without the input, no label is touched", async () => {
    const { repo, v1, v2 } = tagged();
    api.state.pulls[6] = { author: "dave", head: v2, base: v1 };
    const payload = pullRequestPayload("opened", { number: 6, base: v1, head: v2, author: "dave" });
    await runActionProcess({ workspace: repo.dir, event: "pull_request", payload, api: api.url });
    expect(api.requests.some((r) => r.path.includes("/labels"))).toBe(false);
  });
});
