import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestRepo } from "../helpers/repo.js";
import { tempDir } from "../helpers/temp.js";
import { pullRequestRepo } from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** A pull request checked out with results, its record written by `check --record`. */
function recorded(extra: string[] = []): { repo: TestRepo; record: string; check: { code: number; stdout: string } } {
  const repo = new TestRepo();
  repos.push(repo);
  const { base, head } = pullRequestRepo(repo);
  const record = join(tempDir("capgate-record-"), "r.json");
  writeFileSync(
    repo.approvalsFile,
    JSON.stringify({ author: "dave", reviews: [{ user: "alice", state: "APPROVED", commit_id: head }] }),
  );
  const check = repo.capgate([
    "check",
    "--base",
    base,
    "--head",
    head,
    "--approvals",
    repo.approvalsFile,
    "--record",
    record,
    ...extra,
  ]);
  return { repo, record, check };
}

describe("capgate replay", () => {
  it("prints the same text report as the check that wrote the record, from anywhere, with its exit code", () => {
    const { repo, record, check } = recorded();
    expect(check.code).toBe(1);
    // The repository is gone: the record alone decides.
    repo.dispose();
    const replayed = repo.capgate(["replay", record], tempDir("capgate-elsewhere-"));
    expect(replayed.stdout).toBe(check.stdout);
    expect(replayed.code).toBe(check.code);
  });

  it("holds the decision's input: the config, both revisions' files as read, and the evidence", () => {
    const { record } = recorded(["--json"]);
    const r = JSON.parse(readFileSync(record, "utf8"));
    expect(r.capgate).toBe("record/v3");
    expect(r.input.config.source).toBe("base");
    expect(Object.keys(r.input.head.files)).toContain("agents/support.yaml");
    expect(r.input.evidence.approvals.reviews).toEqual([expect.objectContaining({ user: "alice" })]);
    expect(r.report.decision).toBe("block");
  });

  it("decides again from the record, so an edited record gives a different decision, not the stored one", () => {
    const { repo, record } = recorded();
    const r = JSON.parse(readFileSync(record, "utf8"));
    r.input.evidence.approvals.reviews = [];
    r.report.decision = "pass";
    writeFileSync(record, JSON.stringify(r));
    const replayed = repo.capgate(["replay", record, "--json"], tempDir("capgate-elsewhere-"));
    expect(JSON.parse(replayed.stdout).decision).toBe("block");
    expect(
      JSON.parse(replayed.stdout).requirements.filter(
        (x: { kind: string; status: string }) => x.kind === "approval" && x.status === "met",
      ),
    ).toEqual([]);
  });

  it("refuses a file that is not a record, naming it and what is wrong (exit 2)", () => {
    const dir = tempDir("capgate-bad-record-");
    const bad = join(dir, "r.json");
    const repo = new TestRepo();
    repos.push(repo);
    for (const [text, why] of [
      ["{not json", /cannot be read as JSON/],
      [JSON.stringify({ capgate: "record/v1", decision: {} }), /record\/v3/],
      [JSON.stringify({ capgate: "record/v3", context: {}, report: { decision: "block", reason: "x" } }), /input/],
    ] as const) {
      writeFileSync(bad, text);
      const r = repo.capgate(["replay", bad], dir);
      expect(r.code, text).toBe(2);
      expect(r.stderr, text).toMatch(/r\.json/);
      expect(r.stderr, text).toMatch(why);
    }
    const blob = JSON.parse(readFileSync(recorded().record, "utf8"));
    blob.input.blobs = {};
    writeFileSync(bad, JSON.stringify(blob));
    // A blob missing from the record is an unreadable file to the decision: it blocks, naming it.
    const r = repo.capgate(["replay", bad, "--json"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/is not in the record/);
  });
});
