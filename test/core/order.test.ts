import { spawnSync } from "node:child_process";
import { TestRepo, type Report } from "../helpers/repo.js";
import { CLI_BUNDLE } from "../setup/build-cli.js";
import { describe, expect, it } from "vitest";
import { compareText } from "../../src/common/order.js";
import { sortRequirements } from "../../src/decision/decision.js";
import type { Requirement } from "../../src/requirement/types.js";

// Ids whose order a collation (localeCompare) and code units disagree on: case, punctuation, accents.
const IDS = [
  "artifact:tools/b.json",
  "artifact:tools/B.json",
  "artifact:tools/a_x.json",
  "artifact:tools/a-x.json",
  "artifact:tools/ä.json",
];
const CODE_UNIT_ORDER = [...IDS].sort();

const requirement = (id: string): Requirement => ({
  kind: "artifact",
  id,
  status: "failed",
  tiers: [],
  summary: id,
  detail: "",
});

describe("the order of text in reports", () => {
  it("is by code units, not by a collation", () => {
    expect(CODE_UNIT_ORDER).not.toEqual([...IDS].sort((a, b) => a.localeCompare(b)));
    expect([...IDS].sort(compareText)).toEqual(CODE_UNIT_ORDER);
    expect(sortRequirements(IDS.map(requirement)).map((r) => r.id)).toEqual(CODE_UNIT_ORDER);
  });

  it("is the same whatever the machine's locale", () => {
    // Two unreadable tool files: each an artifact requirement, ordered by id. A collation follows
    // the locale Node starts in (Swedish puts ä after z, English before); code units do not.
    const repo = new TestRepo();
    try {
      const base = repo.commit({ ".github/capgate.yml": "version: 1\n", "tools/a.json": '{"tools": []}\n' });
      const head = repo.commit({ "tools/z.json": "{not json\n", "tools/ä.json": "{not json\n" });
      const reports = ["en_US.UTF-8", "sv_SE.UTF-8"].map((locale) => {
        const r = spawnSync(process.execPath, [CLI_BUNDLE, "check", "--base", base, "--head", head, "--json"], {
          cwd: repo.dir,
          encoding: "utf8",
          env: { ...process.env, LC_ALL: locale, LANG: locale },
        });
        return r.stdout;
      });
      const ids = (JSON.parse(reports[0]!) as Report).requirements
        .map((r) => r.id)
        .filter((id) => id.startsWith("artifact:"));
      expect(ids).toEqual(["artifact:tools/z.json", "artifact:tools/ä.json"]);
      expect(reports[1]).toBe(reports[0]);
    } finally {
      repo.dispose();
    }
  });
});
