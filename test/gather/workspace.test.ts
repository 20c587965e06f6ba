import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { workspaceModified } from "../../src/gather/workspace.js";
import { Git } from "../../src/git/git.js";
import { ObjectReader } from "../../src/git/objects.js";
import { RevisionTree } from "../../src/git/trees.js";
import { TestRepo } from "../helpers/repo.js";
import { startedCommands, trace2Events } from "../helpers/trace.js";

const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.dispose()));

const COMMITTED = {
  ".gitignore": "*.log\ncache/\n",
  "prompts/a.md": "A\n",
  "prompts/b.md": "B\n",
  "prompts/deep/c.md": "C\n",
  "tools/t.json": "{}\n",
  "evals/cases.yaml": "- x\n",
  "README.md": "readme\n",
  "prompts/link.md": { symlink: "a.md" },
};
/** The paths that matter, as `workspacePaths` gives them: folders and files. */
const PATHSPECS = ["evals", "prompts", "tools/t.json"];
const RESULT = "evals/results.json";

type Edit = (dir: string) => void;
const write = (path: string, text: string) => (dir: string) => {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
};
/** What a job's steps may do to a workspace before capgate looks at it. */
const EDITS: Record<string, Edit> = {
  "edit a prompt": write("prompts/a.md", "A, edited\n"),
  "same content rewritten": write("prompts/b.md", "B\n"),
  "delete a prompt": (dir) => rmSync(join(dir, "prompts/deep/c.md")),
  "edit the tool file": write("tools/t.json", '{"x":1}\n'),
  "untracked prompt": write("prompts/new.md", "new\n"),
  "ignored log": write("prompts/run.log", "log\n"),
  "ignored folder": write("evals/cache/x.bin", "x\n"),
  "untracked folder, visible": write("evals/more/cases.yaml", "- y\n"),
  "untracked folder, all ignored": write("evals/logs/a.log", "l\n"),
  "the result file": write(RESULT, "{}\n"),
  "outside the paths": write("README.md", "changed\n"),
  "untracked outside": write("notes.txt", "n\n"),
  relink: (dir) => {
    rmSync(join(dir, "prompts/link.md"));
    symlinkSync("b.md", join(dir, "prompts/link.md"));
  },
  "link becomes a file": (dir) => {
    rmSync(join(dir, "prompts/link.md"));
    writeFileSync(join(dir, "prompts/link.md"), "A\n");
  },
  "exec bit": (dir) => chmodSync(join(dir, "prompts/b.md"), 0o755),
  "an edit staged": (dir) => {
    write("prompts/deep/c.md", "C, staged\n")(dir);
    execFileSync("git", ["add", "prompts/deep/c.md"], { cwd: dir });
  },
};

/** What `git status` (which reads the index) says differs at the pathspecs, results left out. */
function statusSays(repo: TestRepo): string[] {
  const out = repo.git("status", "--porcelain=v2", "-z", "--untracked-files=all", "--no-renames", "--", ...PATHSPECS);
  const paths: string[] = [];
  for (const rec of out.split("\0").filter(Boolean)) {
    if (rec.startsWith("? ")) paths.push(rec.slice(2));
    else if (rec.startsWith("1 ")) paths.push(rec.split(" ").slice(8).join(" "));
  }
  return paths.filter((p) => p !== RESULT).sort();
}

describe("whether the workspace holds the checkout's content where it matters", () => {
  it("says what git status says, without reading the index", async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(Object.keys(EDITS)), async (edits) => {
        const repo = new TestRepo();
        repos.push(repo);
        repo.git("config", "core.fileMode", "false");
        const head = repo.commit(COMMITTED);
        for (const e of edits) EDITS[e]!(repo.dir);
        const git = new Git(repo.dir);
        const objects = new ObjectReader(git);
        const got = await workspaceModified(git, objects, new RevisionTree(git, head), PATHSPECS, [RESULT]);
        objects.close();
        expect(got, edits.join(", ")).toEqual(statusSays(repo));
        repo.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it("runs no git command that reads the index when every file of the checkout is there", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const head = repo.commit(COMMITTED);
    EDITS["edit a prompt"]!(repo.dir);
    EDITS["untracked folder, visible"]!(repo.dir);
    const trace = join(repo.dir, "..", `trace-${process.pid}.json`);
    const git = new Git(repo.dir);
    Object.assign(git.environment, { GIT_TRACE2_EVENT: trace });
    const objects = new ObjectReader(git);
    const got = await workspaceModified(git, objects, new RevisionTree(git, head), PATHSPECS, []);
    objects.close();
    expect(got).toEqual(["evals/more/cases.yaml", "prompts/a.md"]);
    const commands = startedCommands(trace2Events(trace)).map((c) => c[0]);
    rmSync(trace, { force: true });
    // The tree, the links' targets, the hashes and the ignore rules (the untracked folder's, then
    // its file's): none of them reads the index.
    expect(commands.sort()).toEqual(["cat-file", "check-ignore", "check-ignore", "hash-object", "ls-tree"]);
  });

  it("asks git status only about files a sparse checkout leaves out", async () => {
    const repo = new TestRepo();
    repos.push(repo);
    const head = repo.commit(COMMITTED);
    repo.git("sparse-checkout", "set", "--no-cone", "/*", "!/prompts/deep/");
    const git = new Git(repo.dir);
    const objects = new ObjectReader(git);
    const got = await workspaceModified(git, objects, new RevisionTree(git, head), PATHSPECS, []);
    objects.close();
    expect(got).toEqual([]);
  });
});
