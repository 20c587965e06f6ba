import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runActionProcess, standinForFile } from "../helpers/action.js";
import type { TestRepo } from "../helpers/repo.js";

/**
 * The action's `mode: pin-check`, run as the runner runs it: the live servers of the workspace
 * against its capgate.lock, reported in the job summary; refused where the checkout is a pull
 * request's code.
 */

const SERVER = join(import.meta.dirname, "..", "fixtures", "mcp-servers", "server.mjs");
const { api, newRepo } = standinForFile({});
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

const search = {
  name: "search",
  description: "Search the docs.",
  inputSchema: { type: "object" },
  annotations: { readOnlyHint: true },
};

function pinned(): TestRepo {
  const repo = newRepo();
  repos.push(repo);
  writeFileSync(join(repo.dir, "docs.json"), JSON.stringify({ tools: [search] }));
  writeFileSync(
    join(repo.dir, ".mcp.json"),
    JSON.stringify({ mcpServers: { docs: { command: "node", args: [SERVER, "docs.json"] } } }),
  );
  expect(repo.capgate(["pin"]).code).toBe(0);
  repo.commit({}, "pinned");
  return repo;
}

const run = (repo: TestRepo, event: string, payload: unknown) =>
  runActionProcess({ workspace: repo.dir, event, payload, api: api.url, inputs: { mode: "pin-check" } });

describe("the action's mode: pin-check", () => {
  it("passes on a schedule while the servers match the lock, and says so in the summary", async () => {
    const repo = pinned();
    const r = await run(repo, "schedule", { schedule: "17 6 * * *" });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.decision).toBe("pass");
    expect(r.summary).toMatch(/every MCP server matches `capgate\.lock` \(1\)/);
  });

  it("fails naming the drift when a server's tools changed under the lock", async () => {
    const repo = pinned();
    writeFileSync(
      join(repo.dir, "docs.json"),
      JSON.stringify({
        tools: [
          { ...search, annotations: {} },
          { name: "purge", inputSchema: { type: "object" } },
        ],
      }),
    );
    const r = await run(repo, "workflow_dispatch", {});
    expect(r.code).toBe(1);
    expect(r.outputs.decision).toBe("block");
    expect(r.summary).toMatch(/adds tool purge/);
    expect(r.summary).toMatch(/tool search: loses readOnlyHint/);
    expect(r.stdout).toMatch(/::error title=capgate%3A server drift,file=\.mcp\.json::MCP server docs/);
  });

  it("refuses to start servers on a pull request's code, or on a push to another branch", async () => {
    const repo = pinned();
    const marker = join(repo.dir, "started");
    writeFileSync(
      join(repo.dir, ".mcp.json"),
      JSON.stringify({
        mcpServers: {
          evil: { command: "node", args: ["-e", `require("fs").writeFileSync(${JSON.stringify(marker)}, "")`] },
        },
      }),
    );
    const pr = await run(repo, "pull_request", { number: 1 });
    expect(pr.code).toBe(1);
    expect(pr.summary).toMatch(/never on pull\\_request: that would run a pull request's code/);
    const push = await run(repo, "push", { ref: "refs/heads/feature", repository: { default_branch: "main" } });
    expect(push.code).toBe(1);
    expect(push.summary).toMatch(/not the default branch/);
    expect(existsSync(marker)).toBe(false);
  });
});
