import { readdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync, spawnSync } from "node:child_process";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { referenceFilter } from "../../src/reach/screen.js";
import { listAt, pathsAtBase } from "../../src/gather/listing.js";
import { resultFiles, resultLookups, type FoundResults } from "../../src/gather/evidence.js";
import { SnapshotBuilder } from "../../src/gather/snapshot.js";
import { ObjectReader, type ObjectInfo } from "../../src/git/objects.js";
import { Git, GitError, withConfig, type RawChange, type TreeEntry } from "../../src/git/git.js";
import { RevisionTree, TreeAcrossDiff, type TreeListing } from "../../src/git/trees.js";
import { PlacesLister } from "../../src/gather/places.js";
import { CLI_BUNDLE } from "../setup/build-cli.js";
import { TestRepo, type FileSpec } from "../helpers/repo.js";
import { startedCommands, trace2Events } from "../helpers/trace.js";
import {
  BASE,
  TEAMS,
  confirmedRefund,
  pullRequestRepo,
  results,
  tool,
  toolFile,
  writeResults,
} from "../scenarios/fixture.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

/** A new repository, removed when the tests end. */
function freshRepo(): TestRepo {
  const repo = new TestRepo();
  repos.push(repo);
  return repo;
}

function repoWithAgents(n: number): { repo: TestRepo; base: string; head: string } {
  const repo = freshRepo();
  const files: Record<string, string> = { ".github/capgate.yml": "version: 1\n" };
  for (let i = 0; i < n; i++) files[`agents/a-${i}.yaml`] = `name: a-${i}\nprompt: prompts/p-${i % 7}.md\n`;
  const base = repo.commit(files);
  const head = repo.commit({ "agents/a-0.yaml": "name: a-0\nprompt: prompts/p-1.md\n", "README.md": "x\n" });
  return { repo, base, head };
}

/** An object reader that counts the blobs it is asked to read. */
class CountingReader extends ObjectReader {
  read: string[] = [];
  override async contents(oids: readonly string[]) {
    this.read.push(...oids);
    return super.contents(oids);
  }
}

describe("reading git objects", () => {
  it("spooled output is byte for byte what the pipe gives", async () => {
    const { repo, head } = repoWithAgents(400);
    const git = new Git(repo.dir);
    const args = ["ls-tree", "-z", "-r", "-l", "--full-tree", head];
    const piped = await git.run(args);
    const spooled = await git.run(args, undefined, { spool: true });
    expect(spooled.length).toBeGreaterThan(20_000);
    expect(spooled.equals(piped)).toBe(true);
  });

  it("lists entries whose paths hold spaces, tabs and newlines, with sizes only for blobs", async () => {
    const repo = freshRepo();
    const sha = repo.commit({
      "odd/a b.yaml": "12345\n",
      "odd/tab\there.yaml": "x\n",
      "odd/new\nline.yaml": "",
      "odd/sub dir/c.yaml": "abc\n",
      "odd/link.yaml": { symlink: "a b.yaml" },
    });
    const git = new Git(repo.dir);
    const flat = await git.lsTree(sha, ["odd"]);
    expect(flat).toEqual([expect.objectContaining({ path: "odd", type: "tree", mode: "040000" })]);
    expect(flat[0]!.size).toBeUndefined();
    const deep = await git.lsPaths(sha, ["odd"]);
    expect(deep.filter((e) => e.type === "tree").map((e) => e.path)).toEqual(["odd", "odd/sub dir"]);
    const byPath = Object.fromEntries(deep.filter((e) => e.type !== "tree").map((e) => [e.path, e]));
    expect(Object.keys(byPath).sort()).toEqual(
      ["odd/a b.yaml", "odd/link.yaml", "odd/new\nline.yaml", "odd/sub dir/c.yaml", "odd/tab\there.yaml"].sort(),
    );
    expect(byPath["odd/a b.yaml"]).toMatchObject({ mode: "100644", type: "blob", size: 6 });
    expect(byPath["odd/new\nline.yaml"]).toMatchObject({ size: 0 });
    expect(byPath["odd/link.yaml"]).toMatchObject({ mode: "120000", size: 8 });
    expect(byPath["odd/tab\there.yaml"]!.oid).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a failing git call with spooled output is a GitError with git's message", async () => {
    const { repo } = repoWithAgents(1);
    const git = new Git(repo.dir);
    const err = await git.run(["ls-tree", "-r", "no-such-rev"], undefined, { spool: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toMatch(/no-such-rev|Not a valid object name/);
  });

  it("git that cannot start is a GitError, spooled or not", async () => {
    const git = new Git(join(tmpdir(), "capgate-no-such-folder", String(process.pid)));
    for (const spool of [false, true]) {
      const err = await git.run(["rev-parse", "HEAD"], undefined, { spool }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GitError);
      expect((err as GitError).message).toMatch(/could not start/);
    }
  });

  it("reads blobs whose replies span many arrivals, and names that do not exist, in one round", async () => {
    const repo = freshRepo();
    const big = "x".repeat(300_000) + "\n";
    const sha = repo.commit({ "a.txt": big, "b.txt": "b\n", "c.txt": big.replace(/^x/, "y") });
    const git = new Git(repo.dir);
    const objects = new ObjectReader(git);
    const names = [`${sha}:a.txt`, `${sha}:b.txt`, `${sha}:c.txt`, `${sha}:missing.txt`];
    const infos = await objects.info(names);
    expect(infos.get(`${sha}:missing.txt`)).toBeNull();
    const oids = names.slice(0, 3).map((n) => (infos.get(n) as ObjectInfo).oid);
    const contents = await objects.contents([...oids, "0".repeat(40)]);
    objects.close();
    expect(contents.get(oids[0]!)!.toString()).toBe(big);
    expect(contents.get(oids[1]!)!.toString()).toBe("b\n");
    expect(contents.get(oids[2]!)!.toString()).toBe(big.replace(/^x/, "y"));
    expect(contents.has("0".repeat(40))).toBe(false);
  });

  it("a round of thousands of blobs, read by two processes at once, gives each blob its own bytes", async () => {
    const repo = freshRepo();
    const files: Record<string, string> = {};
    for (let i = 0; i < 2500; i++) files[`m/f-${i}.txt`] = `file ${i}\n${"y".repeat(i % 97)}\n`;
    // One git fast-import writes the commit: no working tree of 2,500 files to write and add.
    const stream = [
      "commit refs/heads/main",
      "committer Test <test@example.com> 1700000000 +0000",
      "data 5",
      "many",
      ...Object.entries(files).flatMap(([p, text]) => [
        `M 100644 inline ${p}`,
        `data ${Buffer.byteLength(text)}`,
        text,
      ]),
      "",
    ].join("\n");
    execFileSync("git", ["fast-import", "--quiet"], { cwd: repo.dir, input: stream });
    const sha = repo.git("rev-parse", "main");
    const git = new Git(repo.dir);
    const { all } = await listAt(new RevisionTree(git, sha), { all: ["m/**"] });
    const objects = new ObjectReader(git);
    const contents = await objects.contents([...all.map((e) => e.oid), "0".repeat(40)]);
    objects.close();
    expect(contents.size).toBe(2500);
    for (const e of all) expect(contents.get(e.oid)!.toString()).toBe(files[e.path]);
  });

  it("the CLI leaves no spooled files behind", () => {
    const { repo, base, head } = repoWithAgents(300);
    const tmp = mkdtempSync(join(tmpdir(), "capgate-spool-"));
    const r = spawnSync(process.execPath, [CLI_BUNDLE, "check", "--base", base, "--head", head, "--json"], {
      cwd: repo.dir,
      env: { ...process.env, TMPDIR: tmp },
      encoding: "utf8",
    });
    // A decision was made, so the manifests were listed and read, and that output was spooled; the
    // spool folder goes when its last file does, with no exit hook to rely on.
    expect([0, 1], r.stderr).toContain(r.status);
    expect(JSON.parse(r.stdout)).toMatchObject({ capgate: "report/v1" });
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("a blob both revisions hold is read once", async () => {
    const { repo, base, head } = repoWithAgents(50);
    const git = new Git(repo.dir);
    const objects = new CountingReader(git);
    const snap = new SnapshotBuilder(objects, { base, head });
    const globs = ["agents/**", ".github/capgate.yml"];
    await snap.read(
      (await listAt(new RevisionTree(git, head), { all: globs })).all.map((entry) => ({
        side: "head" as const,
        entry,
      })),
    );
    const afterHead = objects.read.length;
    expect(afterHead).toBe(51);
    await snap.read(
      (await listAt(new RevisionTree(git, base), { all: globs })).all.map((entry) => ({
        side: "base" as const,
        entry,
      })),
    );
    objects.close();
    // Only agents/a-0.yaml differs at base.
    expect(objects.read.length - afterHead).toBe(1);
    expect(snap.base.get("agents/a-1.yaml")).toEqual(snap.head.get("agents/a-1.yaml"));
    expect(snap.base.get("agents/a-0.yaml")).toMatchObject({
      state: "file",
      text: "name: a-0\nprompt: prompts/p-0.md\n",
    });
  });

  it("one cat-file process answers many rounds: names, ids, large and missing objects", async () => {
    const repo = freshRepo();
    const big = "x".repeat(300_000) + "\n";
    const head = repo.commit({ "a.txt": "alpha\n", "big.txt": big, "dir/b.txt": "beta\n" });
    const objects = new ObjectReader(new Git(repo.dir));
    const infos = await objects.info([`${head}:a.txt`, `${head}:big.txt`, `${head}:nope.txt`, `${head}:dir`]);
    expect(infos.get(`${head}:nope.txt`)).toBeNull();
    const info = (name: string) => infos.get(`${head}:${name}`) as ObjectInfo;
    expect(info("dir").type).toBe("tree");
    expect(info("big.txt").size).toBe(big.length);
    const oids = [info("a.txt").oid, info("big.txt").oid];
    const [first, again] = await Promise.all([objects.contents(oids), objects.contents([oids[0]!])]);
    expect(first.get(oids[0]!)?.toString()).toBe("alpha\n");
    expect(first.get(oids[1]!)?.toString()).toBe(big);
    expect(again.get(oids[0]!)?.toString()).toBe("alpha\n");
    objects.close();
  });
});

describe("config given to every git process", () => {
  it("adds to what the environment gives, and git reads both", () => {
    const { repo } = repoWithAgents(1);
    const env = withConfig(
      { ...process.env, GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "user.name", GIT_CONFIG_VALUE_0: "Ada" },
      [["maintenance.auto", "false"]],
    );
    expect(env).toMatchObject({
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_1: "maintenance.auto",
      GIT_CONFIG_VALUE_1: "false",
    });
    const read = (key: string) => execFileSync("git", ["config", key], { cwd: repo.dir, env, encoding: "utf8" }).trim();
    expect(read("user.name")).toBe("Ada");
    expect(read("maintenance.auto")).toBe("false");
    // A count git itself would refuse is not made worse.
    const bogus = { GIT_CONFIG_COUNT: "two" };
    expect(withConfig(bogus, [["maintenance.auto", "false"]])).toBe(bogus);
  });
});

describe("the git processes of a check", () => {
  /** The git commands a CLI run started, from git's own trace. */
  function gitCommands(repo: TestRepo, args: string[]): string[][] {
    const trace = join(mkdtempSync(join(tmpdir(), "capgate-trace-")), "trace.json");
    const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
      cwd: repo.dir,
      encoding: "utf8",
      env: { ...process.env, GIT_TRACE2_EVENT: trace },
    });
    expect(r.status, r.stderr).not.toBe(2);
    return startedCommands(trace2Events(trace));
  }

  /** The commands, one a line, for a failing expectation to show. */
  const said = (commands: string[][]) => commands.map((c) => c.slice(0, 3).join(" ")).join("\n");

  /**
   * The git commands of a check of `edits` made on `files`, with result files in the workspace: a
   * config gating `tiers` on a regression suite, whose case is committed with the files.
   */
  function checkWithResults(
    tiers: readonly string[],
    files: Record<string, FileSpec>,
    edits: Record<string, FileSpec>,
  ) {
    const repo = freshRepo();
    const config = [
      "version: 1",
      "suites:",
      "  regression:",
      '    files: ["evals/regression/**"]',
      '    results: "eval-results/regression*.json"',
      "tiers:",
      ...tiers.map((t) => `  ${t}: { evals: [regression], approvals: 1 }`),
    ].join("\n");
    const base = repo.commit({
      ".github/capgate.yml": `${config}\n`,
      "evals/regression/cases.yaml": "- id: r1\n",
      ...files,
    });
    const head = repo.commit(edits);
    writeResults(repo, { "eval-results/regression.json": results("regression", {}, head) });
    return gitCommands(repo, ["check", "--base", base, "--head", head, "--json"]);
  }

  /** Head's top and one walk with the places: whatever the check then asks has no listing of its own. */
  function expectTwoListings(commands: string[][]) {
    expect(
      commands.filter((c) => c[0] === "ls-tree"),
      said(commands),
    ).toHaveLength(2);
    expect(commands.length, said(commands)).toBeLessThanOrEqual(6);
  }

  it("one survey opens the repository, and the stages read through one cat-file", () => {
    const { repo, base, head } = repoWithAgents(200);
    const commands = gitCommands(repo, ["check", "--base", base, "--head", head, "--json"]);
    expect(commands.map((c) => c[0])).toEqual(
      expect.arrayContaining(["rev-parse", "cat-file", "diff-tree", "ls-tree"]),
    );
    expect(commands.filter((c) => c[0] === "rev-parse")).toHaveLength(1);
    // The survey found the merge base too.
    expect(commands.filter((c) => c[0] === "merge-base")).toHaveLength(0);
    expect(commands.filter((c) => c[0] === "cat-file")).toHaveLength(1);
    // The merge base is listed from head's listing and the diff: git lists head alone.
    expect(commands.filter((c) => c[0] === "ls-tree" && c.includes(base))).toEqual([]);
    expect(commands.length, said(commands)).toBeLessThanOrEqual(6);
  });

  it("however many manifests a check reads, it reads them through the one cat-file", () => {
    // 2,500 manifests: rounds of thousands of blobs once went to cat-file processes of their own.
    const { repo, base, head } = repoWithAgents(2_500);
    const commands = gitCommands(repo, ["check", "--base", base, "--head", head, "--json"]);
    expect(commands.filter((c) => c[0] === "cat-file")).toEqual([
      ["cat-file", "--batch-command", "--buffer", "--follow-symlinks"],
    ]);
    expect(commands.length, said(commands)).toBeLessThanOrEqual(6);
  });

  it("results in the workspace are compared within the listings the check makes anyway: one hash-object", () => {
    const repo = freshRepo();
    const agent = JSON.parse(confirmedRefund()["agents/support.yaml"] as string) as Record<string, unknown>;
    const head = { ...confirmedRefund(), "agents/support.yaml": JSON.stringify({ ...agent, skills: ["skills/faq"] }) };
    const { base, head: sha } = pullRequestRepo(repo, { ...head, "skills/faq/notes.md": "Edited notes.\n" });
    const commands = gitCommands(repo, ["check", "--base", base, "--head", sha, "--json"]);
    expect(
      commands.filter((c) => c[0] === "hash-object"),
      said(commands),
    ).toHaveLength(1);
    // Head's top, and its places with the artifacts' folders, the top-level skills/ and the file the tier requires.
    expectTwoListings(commands);
  });

  it("a plugin at the top is listed with the places: what its manifest names then needs no listing of its own", () => {
    const skill = (line: string) => `---\nname: faq\ndescription: FAQ\nallowed-tools: Read\n---\n${line}\n`;
    const commands = checkWithResults(
      ["chat", "tools", "write"],
      {
        ".claude-plugin/plugin.json": JSON.stringify({ name: "helper", version: "1.0.0" }),
        "commands/summarise.md": "---\ndescription: Summarise\nallowed-tools: Read\n---\nSummarise the file.\n",
        "skills/faq/SKILL.md": skill("Answer."),
      },
      { "skills/faq/SKILL.md": skill("Answer briefly.") },
    );
    expectTwoListings(commands);
  });

  it("a marketplace at the top is read before the places are listed: its plugins' folders come in the first walk", () => {
    const command = (line: string) => `---\ndescription: Summarise\nallowed-tools: Read\n---\n${line}\n`;
    const commands = checkWithResults(
      ["chat", "tools", "write"],
      {
        ".claude-plugin/marketplace.json": JSON.stringify({
          name: "acme",
          plugins: [{ name: "helper", source: "./external/helper" }],
        }),
        "external/helper/.claude-plugin/plugin.json": JSON.stringify({ name: "helper", version: "1.0.0" }),
        "external/helper/commands/summarise.md": command("Summarise the file."),
      },
      { "external/helper/commands/summarise.md": command("Summarise the file briefly.") },
    );
    expectTwoListings(commands);
  });

  it("what the changes reach below the places already listed, and results the top does not hold, need no listing of their own", () => {
    const agent = (line: string) =>
      `---\nname: helper\ndescription: Helps\ntools: Read, Grep\nskills: faq\n---\n${line}\n`;
    const commands = checkWithResults(
      ["tools"],
      {
        ".claude/agents/helper.md": agent("You help."),
        ".claude/skills/faq/SKILL.md": "---\nname: faq\ndescription: FAQ\nallowed-tools: Read\n---\nAnswer.\n",
      },
      { ".claude/agents/helper.md": agent("You help more.") },
    );
    // The agent's skill is below .claude, walked with the places; eval-results is not at head's top.
    expect(commands.filter((c) => c[0] === "hash-object")).toHaveLength(1);
    expectTwoListings(commands);
  });

  it("a merge commit checked out is compared as its own tree: head's listing with the diff to it undone", () => {
    const repo = freshRepo();
    repo.commit(BASE, "base");
    repo.branch("pr");
    const head = repo.commit({ "prompts/standalone.md": "Summarise briefly.\n" }, "pull request");
    repo.branch("main");
    const moved = { "tools/lookup.json": toolFile(tool("lookup_sku", { readOnlyHint: true }), tool("list_skus")) };
    const base = repo.commit(
      { ...moved, "tools/new.json": toolFile(tool("new_one", { readOnlyHint: true })) },
      "main moves on",
    );
    repo.merge(head);
    writeResults(repo, { "eval-results/regression.json": results("regression", {}, head) });
    const approvals = { author: "dave", reviews: [{ user: "bob", state: "APPROVED", commit_id: head }], teams: TEAMS };
    const evalOf = () => {
      const r = repo.check(base, head, { approvals });
      return r.report.requirements.find((x) => x.id === "eval:regression");
    };
    // Clean: main's files are the merge commit's own, neither untracked nor edited.
    expect(evalOf()).toMatchObject({ status: "met" });
    // The head's version of a file main changed is not the merge commit's.
    repo.write({ "tools/lookup.json": BASE["tools/lookup.json"]! });
    expect(evalOf()?.detail).toMatch(/tools\/lookup\.json differ from the checked-out commit/);
  });

  it("no git process of a check reads the index, not even the diff of two trees", () => {
    const repo = freshRepo();
    const { base, head } = pullRequestRepo(repo);
    const trace = join(mkdtempSync(join(tmpdir(), "capgate-trace-")), "trace.json");
    const r = spawnSync(process.execPath, [CLI_BUNDLE, "check", "--base", base, "--head", head, "--json"], {
      cwd: repo.dir,
      encoding: "utf8",
      env: { ...process.env, GIT_TRACE2_EVENT: trace },
    });
    expect(r.status, r.stderr).toBe(1);
    const events = trace2Events(trace);
    const argv = new Map(events.filter((e) => e.event === "start").map((e) => [e.sid, e.argv!.slice(1, 3).join(" ")]));
    expect([...argv.values()].some((c) => c.startsWith("diff-tree"))).toBe(true);
    // git says how many entries it read from an index file (none is read where there is none).
    const readers = events.filter((e) => e.event === "data" && e.category === "index" && e.key === "read/cache_nr");
    expect(readers.map((e) => argv.get(e.sid))).toEqual([]);
  });

  it("the survey's merge base is git merge-base's: one, none for unrelated histories, several asked of git", async () => {
    const repo = freshRepo();
    const root = repo.commit({ "a.txt": "a\n" });
    repo.branch("left", "main");
    const left = repo.commit({ "l.txt": "l\n" });
    repo.branch("right", root);
    const right = repo.commit({ "r.txt": "r\n" });
    // A criss-cross: each side merges the other's first commit, then moves on.
    repo.branch("x", left);
    repo.git("merge", "-q", "--no-edit", right);
    const x = repo.commit({ "x.txt": "x\n" });
    repo.branch("y", right);
    repo.git("merge", "-q", "--no-edit", left);
    const y = repo.commit({ "y.txt": "y\n" });
    repo.git("checkout", "-q", "--orphan", "lone");
    const lone = repo.commit({ "z.txt": "z\n" });
    const git = new Git(repo.dir);
    const survey = (a: string, b: string) => git.survey([a, b]);
    expect((await survey(left, right))?.mergeBase).toBe(repo.git("merge-base", left, right));
    expect((await survey(left, right))?.mergeBase).toBe(root);
    expect((await survey(root, lone))?.mergeBase).toBeNull();
    expect(repo.git("merge-base", "--all", x, y).split("\n")).toHaveLength(2);
    const crissCross = await survey(x, y);
    expect(crissCross?.commits).toEqual([x, y]);
    expect(crissCross?.mergeBase).toBeUndefined();
    expect("mergeBase" in (crissCross ?? {})).toBe(true);
  });

  it("a revision that names nothing is still named in the error, after the survey fails", () => {
    const { repo, base } = repoWithAgents(1);
    const r = repo.capgate(["check", "--base", base, "--head", "no-such-rev"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--head no-such-rev: no such commit/);
  });
});

describe("pathsAtBase", () => {
  const change = (status: RawChange["status"], oldPath: string, path = oldPath): RawChange => ({
    status,
    oldPath,
    path,
    oldMode: "100644",
    newMode: "100644",
    oldOid: "a".repeat(40),
    newOid: "b".repeat(40),
  });
  const agents = (p: string) => p.startsWith("agents/");

  it("undoes additions, renames and deletions and keeps the rest", () => {
    const head = ["agents/kept.yaml", "agents/new.yaml", "agents/moved-to.yaml", "agents/edited.yaml"];
    const diff = [
      change("A", "agents/new.yaml"),
      change("R", "agents/moved-from.yaml", "agents/moved-to.yaml"),
      change("D", "agents/gone.yaml"),
      change("M", "agents/edited.yaml"),
      change("D", "docs/other.md"),
      change("R", "docs/was-doc.yaml", "agents/was-doc.yaml"),
    ];
    expect(pathsAtBase([...head, "agents/was-doc.yaml"], diff, agents).sort()).toEqual(
      ["agents/edited.yaml", "agents/gone.yaml", "agents/kept.yaml", "agents/moved-from.yaml"].sort(),
    );
  });

  it("agrees with listing the base in a real repository", async () => {
    const repo = freshRepo();
    const base = repo.commit({
      "agents/a.yaml": "a\n",
      "agents/b.yaml": "b\n",
      "agents/c.yaml": "c\n",
      "x/d.yaml": "d\n",
    });
    repo.git("mv", "agents/b.yaml", "agents/b2.yaml");
    repo.git("mv", "x/d.yaml", "agents/d.yaml");
    const head = repo.commit({ "agents/c.yaml": null, "agents/e.yaml": "e\n", "agents/a.yaml": "a2\n" });
    const git = new Git(repo.dir);
    const diff = await git.diffRaw(base, head);
    const listed = async (rev: string) =>
      (await listAt(new RevisionTree(git, rev), { agent: ["agents/**"] })).agent.map((e) => e.path).sort();
    expect(pathsAtBase(await listed(head), diff, agents).sort()).toEqual(await listed(base));
  });
});

/** The screen as first written: split into tokens, then look each up. The scanner must agree. */
function splitScreen(paths: string[], names: string[]): (text: string) => boolean {
  const plain = (s: string) => /^[A-Za-z0-9._-]+$/.test(s);
  const base = (p: string) => p.slice(p.lastIndexOf("/") + 1);
  const byBase = new Map<string, string[]>();
  const odd = paths.filter((p) => base(p) && !plain(base(p)));
  for (const p of paths) if (base(p) && plain(base(p))) byBase.set(base(p), [...(byBase.get(base(p)) ?? []), p]);
  const nameSet = new Set(names.filter((n) => n && plain(n)));
  const oddNames = names.filter((n) => n && !plain(n));
  return (text) => {
    if (text.includes("\\")) return true;
    const un = text.includes("//") || text.includes("./");
    for (const p of odd) if (text.includes(un ? base(p) : p)) return true;
    for (const n of oddNames)
      if (text.includes(n) || (n.includes("'") && text.includes(n.replace(/'/g, "''")))) return true;
    for (const t of text.split(/[^A-Za-z0-9._-]+/)) {
      if (nameSet.has(t)) return true;
      const full = byBase.get(t);
      if (full && (un || full.some((p) => text.includes(p)))) return true;
    }
    return false;
  };
}

describe("a tree across a diff", () => {
  type Spec = string | null | { symlink: string } | { gitlink: string };
  /** Slots of a tree, each one of several shapes (a file, a folder, a link, a submodule, nothing). */
  const SLOTS: Record<string, Spec>[] = [
    { x: "x1\n" },
    { "x/inner.md": "inner\n" },
    { x: { symlink: "agents" } },
    { ".claude/agents/a.md": "a1\n", ".claude/settings.json": "{}\n" },
    { ".claude/agents/a.md": "a2\n" },
    { ".Claude/agents/b.md": "b\n" },
    { "agents/p.yaml": "p1\n", "agents/q/r.yaml": "r\n" },
    { "agents/p.yaml": "p2\n" },
    { sub: { gitlink: "1".repeat(40) } },
    { sub: "not a submodule\n" },
    { "a.md": "a\n", ".mcp.json": "{}\n" },
    { "a.md": { symlink: ".claude/agents/a.md" } },
    { "docs/z.md": "z\n", "docs/y.md": "y\n" },
    // A file moved, moved with another put in its place, or left: renames, and a path a rename frees and refills.
    { "r/old.md": "moved content\n" },
    { "r/new.md": "moved content\n", "r/old.md": "another\n" },
    { "r/new.md": "moved content\n" },
  ];
  const GROUPS = [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9], [10, 11], [12], [13, 14, 15]];
  const ROOTS = [[""], ["x"], [".claude", ".Claude"], ["agents"], ["sub", "a.md"], ["docs/z.md", "agents/q"], ["r"]];
  const side = fc.tuple(...GROUPS.map((g) => fc.option(fc.constantFrom(...g), { nil: undefined })));
  const treeOf = (picks: (number | undefined)[]) =>
    Object.assign({}, ...picks.map((i) => (i === undefined ? {} : SLOTS[i]))) as Record<string, Spec>;
  const key = (e: { path: string; mode: string; type: string; oid: string }) =>
    `${e.path} ${e.mode} ${e.type} ${e.oid}`;

  it("lists the base as git lists it, from head's listing and the diff", async () => {
    await fc.assert(
      fc.asyncProperty(side, side, async (before, after) => {
        const repo = freshRepo();
        const baseFiles = treeOf(before);
        const headFiles = treeOf(after);
        const base = repo.commit(baseFiles);
        repo.write(Object.fromEntries(Object.keys(baseFiles).map((p) => [p, null])));
        repo.git("rm", "-rq", "--cached", "--ignore-unmatch", ".");
        const head = repo.commit(headFiles);
        const git = new Git(repo.dir);
        const near = new RevisionTree(git, head);
        const across = new TreeAcrossDiff(near, base, git.diffRaw(base, head));
        const listed = new RevisionTree(git, base);
        const topAcross = await across.top();
        const byName = new Map(topAcross.map((e) => [e.path, e]));
        for (const e of await listed.top()) {
          const got = byName.get(e.path);
          expect(got?.type, e.path).toBe(e.type);
          if (e.type !== "tree") expect(key(got!)).toBe(key(e));
          byName.delete(e.path);
        }
        // What only head has at the top is a folder, and holds nothing at base.
        for (const extra of byName.values()) {
          expect(extra.type, extra.path).toBe("tree");
          expect(await across.walk([extra.path])).toEqual([]);
        }
        for (const roots of ROOTS) {
          const want = (await listed.walk(roots)).map(key).sort();
          expect((await across.walk(roots)).map(key).sort(), roots.join(",")).toEqual(want);
        }
        repo.dispose();
      }),
      { numRuns: 30 },
    );
  });

  it("answers from what it learnt as git answers: walks, lookups and single entries", async () => {
    const POOL = [
      "x",
      "x/inner.md",
      "x/nope",
      ".claude",
      ".claude/agents/a.md",
      "agents",
      "agents/q",
      "agents/q/r.yaml",
    ];
    POOL.push("sub", "sub/r.json", "a.md", "docs/z.md", "docs", "nope/deeper.md", "r/old.md", "r/new.md", "r");
    const some = fc.subarray(POOL, { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(
        side,
        side,
        some,
        some,
        some,
        some,
        some,
        async (before, after, primed, looked, walked, leaves, later) => {
          const repo = freshRepo();
          const baseFiles = treeOf(before);
          const base = repo.commit(baseFiles);
          repo.write(Object.fromEntries(Object.keys(baseFiles).map((p) => [p, null])));
          repo.git("rm", "-rq", "--cached", "--ignore-unmatch", ".");
          const head = repo.commit(treeOf(after));
          const git = new Git(repo.dir);
          const tree = new RevisionTree(git, head);
          // What a check teaches it: the diff's entries at head, then a lookup with folders named beforehand.
          const diff = await git.diffRaw(base, head);
          tree.rememberDiff(diff);
          await tree.top();
          const waited = tree.whenWalked(primed);
          const lookedUp = await tree.lookup(looked);
          const fresh = new RevisionTree(new Git(repo.dir), head);
          expect((await waited).map(key).sort()).toEqual((await fresh.walk(primed)).map(key).sort());
          for (const p of looked) {
            const one = (await git.lsTree(head, [p])).filter((e) => e.path === p);
            expect(lookedUp.filter((e) => e.path === p).map(key), p).toEqual(one.map(key));
          }
          const want = (await new RevisionTree(new Git(repo.dir), head).walk(walked)).map(key).sort();
          expect((await tree.walk(walked)).map(key).sort(), walked.join(",")).toEqual(want);
          // A folder a walk listed whole is what ls-tree of its tree's id lists.
          for (const p of walked) {
            const folder = (await git.lsTree(head, [p])).find((e) => e.path === p && e.type === "tree");
            const answered = folder ? await tree.listedTree(folder.oid) : null;
            if (folder && answered)
              expect(answered.map(key).sort(), p).toEqual(
                (await new Git(repo.dir).lsTreeOf(folder.oid)).map(key).sort(),
              );
          }
          const single = (await Promise.all(leaves.map((p) => git.lsTree(head, [p])))).flat();
          const notFolders = single.filter((e) => leaves.includes(e.path) && e.type !== "tree");
          expect((await tree.leaves(leaves)).map(key).sort(), leaves.join(",")).toEqual(notFolders.map(key).sort());
          // A lookup after walks answers below them, and from the top, as one ls-tree -r -t of those paths would.
          if (later.length > 0) {
            const want = (await git.lsPaths(head, later)).map(key).sort();
            expect((await tree.lookup(later)).map(key).sort(), later.join(",")).toEqual(want);
          }
          repo.dispose();
        },
      ),
      { numRuns: 25 },
    );
  });

  it("a folder links lead to is listed once by its id, or not at all when a walk listed it whole", async () => {
    const repo = freshRepo();
    const skill = (n: string) => `---\nname: ${n}\ndescription: ${n}\nallowed-tools: Read\n---\nDo ${n}.\n`;
    const head = repo.commit({
      ".agents/skills/faq/SKILL.md": skill("faq"),
      ".agents/skills/faq/scripts/run.sh": "echo faq\n",
      ".agents/skills/triage/SKILL.md": skill("triage"),
      ".claude/skills": { symlink: "../.agents/skills" },
      ".cursor/skills": { symlink: "../.agents/skills" },
      "common/rules/a.md": "Rule a.\n",
      ".cursor/rules": { symlink: "../common/rules" },
    });
    const git = new Git(repo.dir);
    // The ls-tree processes started for a tree by its id.
    const byId: string[] = [];
    const spied = git as unknown as { run: (args: string[], ...more: unknown[]) => Promise<Buffer> };
    const run = spied.run.bind(git);
    spied.run = (args, ...more) => {
      if (args[0] === "ls-tree" && !args.includes("--full-tree")) byId.push(args[args.length - 1]!);
      return run(args, ...more);
    };
    // Listed as the places are: `.agents` walked whole, so only common/rules is listed by its id.
    const tree = new RevisionTree(git, head);
    const lister = new PlacesLister(tree, git, new ObjectReader(git));
    await lister.list([".agents", ".claude", ".cursor"], []);
    const listing = lister.listing();
    const rulesId = repo.git("rev-parse", `${head}:common/rules`);
    expect(new Set(byId)).toEqual(new Set([rulesId]));
    // The same as listing every folder a link leads to by its id.
    const unwalked: TreeListing = {
      rev: tree.rev,
      top: () => tree.top(),
      walk: (r) => tree.walk(r),
      listedTree: async () => null,
    };
    const plain = new PlacesLister(unwalked, new Git(repo.dir), new ObjectReader(new Git(repo.dir)));
    await plain.list([".agents", ".claude", ".cursor"], []);
    expect([...listing.files.values()]).toEqual([...plain.listing().files.values()]);
    expect(listing.files.get(".cursor/skills/faq/scripts/run.sh")?.via).toBe(".cursor/skills");
    // A tree asked for again by its id is not listed again.
    expect(await git.lsTreeOf(rulesId)).toHaveLength(1);
    expect(byId).toEqual([rulesId]);
  });

  it("asks git once for a place, with the folders named beforehand in the first walk", async () => {
    const { repo, head } = repoWithAgents(20);
    const git = new Git(repo.dir);
    const calls: string[][] = [];
    for (const name of ["lsTree", "lsPaths", "lsTop"] as const) {
      const real = git[name].bind(git) as (...args: unknown[]) => Promise<TreeEntry[]>;
      (git as unknown as Record<string, unknown>)[name] = (rev: string, paths: string[] = [], ...more: unknown[]) => {
        calls.push([name, ...paths]);
        return real(rev, paths, ...more);
      };
    }
    const tree = new RevisionTree(git, head).alsoWalk(["agents"]);
    expect((await tree.walk([".github"])).map((e) => e.path)).toEqual([".github/capgate.yml"]);
    expect(await tree.walk(["agents"])).toHaveLength(20);
    expect(await tree.walk(["agents/a-3.yaml"])).toHaveLength(1);
    expect(calls).toEqual([["lsPaths", ".github", "agents"]]);
    // Looked up below what was walked, or where the top holds nothing: no git either.
    await tree.top();
    const found = await tree.lookup(["agents/a-3.yaml", "agents/nope.yaml", "results/x.json", "README.md"]);
    expect(found.map((e) => `${e.path} ${e.type}`).sort()).toEqual([
      "README.md blob",
      "agents tree",
      "agents/a-3.yaml blob",
    ]);
    expect(calls).toEqual([["lsPaths", ".github", "agents"], ["lsTop"]]);
    // A walk of names the top lacks, or of a path below a file at the top, lists nothing, as git would.
    expect(await tree.walk(["GEMINI.md", ".gemini", "README.md/x"])).toEqual([]);
    expect(calls).toEqual([["lsPaths", ".github", "agents"], ["lsTop"]]);
    expect(await tree.walk([".claude"])).toEqual(await new RevisionTree(new Git(repo.dir), head).walk([".claude"]));
  });
});

describe("referenceFilter", () => {
  const seg = fc.constantFrom("tools", "a", "tool-1.json", "x.yaml", "é", "b c", "srv", "-", ".");
  const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join("/"));
  const name = fc.constantFrom("srv", "db", "my server", "it's", "tool-1.json", "");
  const piece = fc.oneof(
    path,
    name,
    fc.constantFrom(" ", "\n", ": ", "[", "]", "./", "//", "\\", "'", "ü", "\u{1F600}"),
  );
  const text = fc.oneof(
    fc.array(piece, { maxLength: 30 }).map((p) => p.join("")),
    fc.string({ maxLength: 80 }),
  );

  /** Texts of the pieces and of the paths `pathOf(0..max)`, whole or by their base names. */
  const naming = (max: number, pathOf: (n: number) => string) =>
    fc
      .array(
        fc.oneof(
          piece,
          fc.nat(max).map((n) => pathOf(n).slice(pathOf(n).lastIndexOf("/") + 1)),
          fc.nat(max).map(pathOf),
        ),
        { maxLength: 30 },
      )
      .map((p) => p.join(""));

  it("decides as the token split does, for any text and needles", () => {
    fc.assert(
      fc.property(fc.array(path, { maxLength: 6 }), fc.array(name, { maxLength: 3 }), text, (paths, names, t) => {
        expect(referenceFilter(paths, names)(t)).toBe(splitScreen(paths, names)(t));
      }),
      { numRuns: 3000 },
    );
  });

  it("decides as the token split does with many needles too (one scan of the tokens, not a search per name)", () => {
    const many = fc
      .uniqueArray(fc.nat(60), { minLength: 17, maxLength: 40 })
      .map((ns) => ns.map((n) => `tools/t${n}.json`));
    const manyText = fc.oneof(
      text,
      naming(60, (n) => `tools/t${n}.json`),
    );
    fc.assert(
      fc.property(
        many,
        fc.array(path, { maxLength: 4 }),
        fc.array(name, { maxLength: 3 }),
        manyText,
        (ps, more, names, t) => {
          const paths = [...ps, ...more];
          expect(referenceFilter(paths, names)(t)).toBe(splitScreen(paths, names)(t));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("decides as the token split does with more needles than one expression is given (every token looked up)", () => {
    const pathOf = (n: number) => `tools/d${n % 9}/t${n}.json`;
    const thousands = Array.from({ length: 1200 }, (_, i) => pathOf(i));
    const manyText = naming(1300, pathOf);
    fc.assert(
      fc.property(fc.array(path, { maxLength: 4 }), fc.array(name, { maxLength: 3 }), manyText, (more, names, t) => {
        const paths = [...thousands, ...more];
        expect(referenceFilter(paths, names)(t)).toBe(splitScreen(paths, names)(t));
      }),
      { numRuns: 300 },
    );
  });

  it("finds a needle at the very start and end of a text", () => {
    const screen = referenceFilter(["tools/refund.json"], ["billing"]);
    expect(screen("tools/refund.json")).toBe(true);
    expect(screen("servers: [billing]")).toBe(true);
    expect(screen("billing")).toBe(true);
    expect(screen("tools: [tools/refunds.json]")).toBe(false);
    expect(screen("")).toBe(false);
  });
});

describe("which result files are committed rather than produced", () => {
  it("committed in the checked-out commit, in the head, or inside a submodule", async () => {
    const upstream = freshRepo();
    upstream.commit({ "regression.json": "{}\n" });
    const repo = freshRepo();
    repo.commit({ "eval-results/tracked.json": "{}\n", "README.md": "x\n" });
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", upstream.dir, "vendored");
    const head = repo.commit({}, "add a submodule");
    repo.write({ "eval-results/fresh.json": "{}\n" });
    const paths = ["eval-results/tracked.json", "eval-results/fresh.json", "vendored/regression.json"];
    const found: FoundResults = {
      realTop: repo.dir,
      realResults: repo.dir,
      found: paths.map((p) => ({
        suite: "s",
        baseline: false,
        file: { path: p, absolute: `${repo.dir}/${p}`, content: { ok: true as const, text: "{}" } },
        repoPath: p,
      })),
    };
    const git = new Git(repo.dir);
    const lookups = resultLookups(found);
    const files = resultFiles(found, await git.lsTree(head, lookups), await git.lsTree(head, lookups), []);
    expect(
      files.results
        .s!.filter((f) => f.tracked)
        .map((f) => f.path)
        .sort(),
    ).toEqual(["eval-results/tracked.json", "vendored/regression.json"]);
    expect(files.untracked).toEqual(["eval-results/fresh.json"]);
  });
});
