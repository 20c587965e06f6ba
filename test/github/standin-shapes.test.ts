import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import { GitHubStandin, label, release, review } from "../helpers/github-standin.js";

/**
 * The stand-in is only worth its tests if it answers as GitHub does: every answer capgate reads
 * is checked against GitHub's published OpenAPI description.
 */
const require = createRequire(import.meta.url);
type Spec = {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
};
let spec: Spec;
const api = new GitHubStandin();
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });

beforeAll(async () => {
  spec = require("@octokit/openapi/generated/api.github.com.deref.json") as Spec;
  await api.start();
  api.state.reviews[1] = [
    review("alice", "APPROVED", "a".repeat(40)),
    review("renovate[bot]", "COMMENTED", null, "Bot"),
  ];
  api.state.teams["acme/ml"] = ["alice", "bob"];
  api.state.pulls[1] = { author: "dave", head: "b".repeat(40), base: "c".repeat(40) };
  api.state.associatedPulls["b".repeat(40)] = [{ number: 1, head: "b".repeat(40), merge_commit_sha: "d".repeat(40) }];
  api.state.releases.push(release({ id: 7, tag: "v1.0.0", body: "Notes" }));
  api.state.labels["capgate:write"] = label("capgate:write");
  api.state.issueLabels[1] = ["capgate:write"];
  api.state.contents["acme/policies/capgate.yml@v1"] = "version: 1\n";
}, 60_000);
afterAll(() => api.stop());

function schemaFor(path: string, method: string, status: number): unknown {
  const op = spec.paths[path]?.[method];
  const schema = op?.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`no schema for ${method} ${path} ${status}`);
  return schema;
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; data: unknown }> {
  const res = await fetch(`${api.url}${url}`, {
    method,
    ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
  });
  return { status: res.status, data: await res.json() };
}

describe("the GitHub API stand-in answers in GitHub's published shapes", () => {
  it.each([
    ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", "/repos/o/r/pulls/1/reviews", undefined, 200],
    ["GET", "/orgs/{org}/teams/{team_slug}/members", "/orgs/acme/teams/ml/members", undefined, 200],
    ["GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "/repos/o/r/pulls/1", undefined, 200],
    [
      "GET",
      "/repos/{owner}/{repo}/contents/{path}",
      "/repos/acme/policies/contents/capgate.yml?ref=v1",
      undefined,
      200,
    ],
    [
      "GET",
      "/repos/{owner}/{repo}/contents/{path}",
      "/repos/acme/policies/contents/nothing.yml?ref=v1",
      undefined,
      404,
    ],
    [
      "POST",
      "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      "/repos/o/r/issues/1/comments",
      { body: "x" },
      201,
    ],
    ["GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "/repos/o/r/issues/1/comments", undefined, 200],
    [
      "POST",
      "/repos/{owner}/{repo}/check-runs",
      "/repos/o/r/check-runs",
      {
        name: "capgate",
        head_sha: "b".repeat(40),
        status: "completed",
        conclusion: "success",
        output: { title: "t", summary: "s" },
      },
      201,
    ],
    [
      "GET",
      "/repos/{owner}/{repo}/commits/{ref}/check-runs",
      `/repos/o/r/commits/${"b".repeat(40)}/check-runs`,
      undefined,
      200,
    ],
    [
      "GET",
      "/repos/{owner}/{repo}/commits/{commit_sha}/pulls",
      `/repos/o/r/commits/${"b".repeat(40)}/pulls`,
      undefined,
      200,
    ],
    ["GET", "/repos/{owner}/{repo}/releases", "/repos/o/r/releases", undefined, 200],
    ["GET", "/repos/{owner}/{repo}/releases/tags/{tag}", "/repos/o/r/releases/tags/v1.0.0", undefined, 200],
    ["GET", "/repos/{owner}/{repo}/releases/{release_id}", "/repos/o/r/releases/7", undefined, 200],
    ["PATCH", "/repos/{owner}/{repo}/releases/{release_id}", "/repos/o/r/releases/7", { body: "New" }, 200],
    ["GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels", "/repos/o/r/issues/1/labels", undefined, 200],
    ["GET", "/repos/{owner}/{repo}/labels/{name}", "/repos/o/r/labels/capgate:write", undefined, 200],
    ["POST", "/repos/{owner}/{repo}/labels", "/repos/o/r/labels", { name: "capgate:tools", color: "bfdadc" }, 201],
    [
      "POST",
      "/repos/{owner}/{repo}/issues/{issue_number}/labels",
      "/repos/o/r/issues/1/labels",
      { labels: ["capgate:tools"] },
      200,
    ],
    [
      "DELETE",
      "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
      "/repos/o/r/issues/1/labels/capgate:write",
      undefined,
      200,
    ],
  ] as const)("%s %s", async (method, template, url, body, status) => {
    const res = await call(method, url, body);
    expect(res.status).toBe(status);
    const validate = ajv.compile(schemaFor(template, method.toLowerCase(), status) as object);
    const valid = validate(res.data);
    expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3))).toEqual([]);
    expect(valid).toBe(true);
  });

  it("rejects what GitHub would reject: a read-only token cannot write", async () => {
    api.state.readOnly = true;
    const res = await call("POST", "/repos/o/r/issues/1/comments", { body: "x" });
    api.state.readOnly = false;
    expect(res.status).toBe(403);
    const validate = ajv.compile(
      schemaFor("/repos/{owner}/{repo}/issues/{issue_number}/comments", "post", 403) as object,
    );
    expect(validate(res.data)).toBe(true);
  });
});
