import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TestRepo } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { BASE, CONFIG, pullRequestRepo } from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** An organisation's policy: erin, of security, approves every change that gives an agent tools. */
const CENTRAL = `version: 1
groups:
  security: ["erin"]
suites:
  regression:
    files: ["evals/regression/**"]
    results: "eval-results/regression*.json"
tiers:
  tools: { approvals: [{ count: 1, from: [security] }] }
  write: { evals: [regression], approvals: [{ count: 1, from: [security] }] }
  autonomous: { evals: [regression], approvals: [{ count: 1, from: [security] }] }
`;

/** A pull request (a writing tool confirmed: tier write) whose repository's config extends `ref`. */
function extending(ref: string, config = CONFIG): { repo: TestRepo; base: string; head: string } {
  const repo = new TestRepo();
  repos.push(repo);
  const extended = config.replace("version: 1\n", `version: 1\nextends: ${JSON.stringify(ref)}\n`);
  return { repo, ...pullRequestRepo(repo, undefined, { ...BASE, ".github/capgate.yml": extended }) };
}

/** The reviews: each of `users` approved head (the teams as the policies name them). */
function approvals(head: string, users: string[]) {
  return {
    author: "dave",
    reviews: users.map((user) => ({ user, state: "APPROVED", commit_id: head })),
    teams: { "@acme/trust-safety": ["carol"], "@acme/ml": ["alice"] },
  };
}

describe("a central policy the config extends", () => {
  it("applies as well as the config: its approvals are needed, and the config's are too", () => {
    const policies = tempDir("capgate-policies-");
    writeFileSync(join(policies, "central.yml"), CENTRAL);
    const { repo, base, head } = extending(join(policies, "central.yml"));
    const run = (users: string[]) => repo.check(base, head, { approvals: approvals(head, users) });
    const without = run(["alice", "carol"]);
    expect(without.code, without.stderr).toBe(1);
    const report = JSON.parse(without.stdout) as {
      requirements: { id: string; status: string; summary: string }[];
      notes: string[];
    };
    const central = report.requirements.find((r) => r.id.startsWith("policy:approval:"))!;
    expect(central.status).toBe("missing");
    expect(central.summary).toMatch(/the central policy .*central\.yml/);
    expect(report.notes.join(" ")).toMatch(/central policy .* applies as well/);
    // With the policy's approver too, both are met.
    expect(run(["alice", "carol", "erin"]).code).toBe(0);
    // The config's own approvers are still needed: the policy adds, it does not replace.
    expect(run(["erin"]).code).toBe(1);
  });

  it("cannot be weakened by the config: a requirement only the policy sets still applies", () => {
    const policies = tempDir("capgate-policies-");
    writeFileSync(
      join(policies, "central.yml"),
      CENTRAL.replace("evals: [regression]", "evals: [regression], files: [SECURITY.md]"),
    );
    // The repository's config asks for nothing at write.
    const lax = CONFIG.replace(/^ {2}write: .*$/m, "  write: { approvals: 1 }");
    const { repo, base, head } = extending(join(policies, "central.yml"), lax);
    const r = repo.check(base, head, { approvals: approvals(head, ["alice", "carol", "erin"]) });
    expect(r.code, r.stderr).toBe(1);
    expect(r.report.requirements).toContainEqual(
      expect.objectContaining({ id: "file:SECURITY.md", status: "missing" }),
    );
  });

  it("that cannot be read or is invalid is an unusable config, named", () => {
    const { repo, base, head } = extending("../no-such-policy.yml");
    const missing = repo.capgate(["check", "--base", base, "--head", head]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/the central policy \.\.\/no-such-policy\.yml cannot be read/);
    const policies = tempDir("capgate-policies-");
    writeFileSync(join(policies, "bad.yml"), "version: 1\ntiers:\n  tools: { approvals: many }\n");
    const bad = extending(join(policies, "bad.yml"));
    const invalid = bad.repo.capgate(["check", "--base", bad.base, "--head", bad.head]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/the central policy .*bad\.yml/);
  });

  it("in another repository is the action's to read; offline the CLI takes it from --policy, and the record holds it", () => {
    const { repo, base, head } = extending("acme/policies/capgate.yml@v1");
    const offline = repo.capgate(["check", "--base", base, "--head", head]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/acme\/policies\/capgate\.yml@v1 cannot be read: .*--policy FILE/);
    const file = join(tempDir("capgate-policies-"), "capgate.yml");
    writeFileSync(file, CENTRAL);
    const record = join(tempDir("capgate-record-"), "record.json");
    const r = repo.check(base, head, {
      approvals: approvals(head, ["alice", "carol"]),
      extra: ["--policy", file, "--record", record],
    });
    expect(r.code).toBe(1);
    const input = JSON.parse(readFileSync(record, "utf8")).input as {
      config: { policy: { ref: string; raw: unknown } };
    };
    expect(input.config.policy.ref).toBe("acme/policies/capgate.yml@v1");
    expect(input.config.policy.raw).toMatchObject({ groups: { security: ["erin"] } });
    expect(repo.capgate(["replay", record, "--json"]).code).toBe(1);
  });
});
