import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CLI_BUNDLE } from "../setup/build-cli.js";

/**
 * A file's new content; `null` deletes it; `{ symlink }` makes a symbolic link; `{ gitlink }` a
 * submodule at that commit; a Buffer is written as is.
 */
export type FileSpec = string | Buffer | null | { symlink: string } | { gitlink: string };
export type Files = Record<string, FileSpec>;

const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  // Commits are never signed, whatever the machine's git config says.
  GIT_CONFIG_COUNT: "1",
  GIT_CONFIG_KEY_0: "commit.gpgsign",
  GIT_CONFIG_VALUE_0: "false",
};

/** Runs git in any folder (a clone the test made), as the test repositories run it. */
export function gitIn(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 1 << 28 }).trim();
}

/** A real git repository in a temp folder, with real commits. */
export class TestRepo {
  readonly dir: string;
  /** Submodules to record at the next commit. */
  private gitlinks: [string, string][] = [];

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "capgate-test-"));
    this.git("init", "-q", "-b", "main");
  }

  /** Where `check` writes the approvals it is given: beside the repository, not in it. */
  get approvalsFile(): string {
    return `${this.dir}-approvals.json`;
  }

  git(...args: string[]): string {
    return execFileSync("git", args, { cwd: this.dir, env: ENV, encoding: "utf8", maxBuffer: 1 << 28 }).trim();
  }

  write(files: Files): void {
    for (const [path, spec] of Object.entries(files)) {
      const abs = join(this.dir, path);
      rmSync(abs, { force: true, recursive: true });
      if (spec === null) continue;
      mkdirSync(dirname(abs), { recursive: true });
      if (typeof spec === "object" && "gitlink" in spec) {
        // A submodule that is not checked out is an empty folder, which `git add -A` leaves alone.
        mkdirSync(abs, { recursive: true });
        this.gitlinks.push([path, spec.gitlink]);
      } else if (typeof spec === "object" && !Buffer.isBuffer(spec)) symlinkSync(spec.symlink, abs);
      else writeFileSync(abs, spec);
    }
  }

  /** Writes files, commits them all, and returns the new commit's SHA. */
  commit(files: Files, message = "change"): string {
    this.write(files);
    this.git("add", "-A");
    for (const [path, sha] of this.gitlinks.splice(0))
      this.git("update-index", "--add", "--cacheinfo", `160000,${sha},${path}`);
    this.git("commit", "-q", "--allow-empty", "-m", message);
    return this.git("rev-parse", "HEAD");
  }

  /**
   * Commits a history in one `git fast-import`: each commit is its branch's previous one (or, for a
   * branch's first, `from`'s tip) with `files` applied as `write` applies them. Returns the SHAs;
   * nothing is checked out.
   */
  importCommits(commits: readonly { branch: string; from?: string; files: Files; message: string }[]): string[] {
    const chunks: Buffer[] = [];
    const text = (t: string) => chunks.push(Buffer.from(t));
    const data = (b: Buffer) => {
      text(`data ${b.length}\n`);
      chunks.push(b, Buffer.from("\n"));
    };
    // A path in C quotes, as fast-import reads any path (one may hold a line break, or start with a
    // quote), every byte outside printable ASCII in octal.
    const escaped = (b: number) =>
      b === 0x5c
        ? "\\\\"
        : b === 0x22
          ? '\\"'
          : b >= 0x20 && b < 0x7f
            ? String.fromCharCode(b)
            : `\\${b.toString(8).padStart(3, "0")}`;
    const q = (path: string) => `"${[...Buffer.from(path)].map(escaped).join("")}"`;
    const started = new Set<string>();
    const when = `${Math.floor(Date.now() / 1000)} +0000`;
    commits.forEach((c, i) => {
      text(`commit refs/heads/${c.branch}\nmark :${i + 1}\n`);
      text(`author Test <test@example.com> ${when}\ncommitter Test <test@example.com> ${when}\n`);
      data(Buffer.from(c.message));
      if (!started.has(c.branch) && c.from) text(`from refs/heads/${c.from}\n`);
      started.add(c.branch);
      for (const [path, spec] of Object.entries(c.files)) {
        if (spec === null) text(`D ${q(path)}\n`);
        else if (typeof spec === "object" && "gitlink" in spec) text(`M 160000 ${spec.gitlink} ${q(path)}\n`);
        else if (typeof spec === "object" && !Buffer.isBuffer(spec)) {
          text(`M 120000 inline ${q(path)}\n`);
          data(Buffer.from(spec.symlink));
        } else {
          text(`M 100644 inline ${q(path)}\n`);
          data(Buffer.isBuffer(spec) ? spec : Buffer.from(spec));
        }
      }
      text("\n");
    });
    const marks = join(this.dir, ".git", "capgate-test-marks");
    execFileSync("git", ["fast-import", "--quiet", `--export-marks=${marks}`], {
      cwd: this.dir,
      env: ENV,
      input: Buffer.concat(chunks),
    });
    const shas = new Map(
      readFileSync(marks, "utf8")
        .trim()
        .split("\n")
        .map((l) => l.split(" ") as [string, string]),
    );
    rmSync(marks);
    return commits.map((_, i) => shas.get(`:${i + 1}`)!);
  }

  branch(name: string, from = "main"): void {
    this.git("checkout", "-q", "-B", name, from);
  }

  /** Merges `rev` into what is checked out, always with a merge commit (as GitHub's `refs/pull/N/merge`). */
  merge(rev: string): void {
    this.git("-c", "user.name=Test", "-c", "user.email=test@example.com", "merge", "-q", "--no-ff", "-m", "merge", rev);
  }

  checkout(rev: string): void {
    this.git("checkout", "-q", rev);
  }

  /** Runs the CLI built from the current sources as a process. */
  capgate(
    args: string[],
    cwd = this.dir,
    env: Record<string, string> = {},
  ): { code: number; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
      cwd,
      encoding: "utf8",
      env: { ...ENV, ...env },
      maxBuffer: 1 << 28,
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** `capgate check --json` with an approvals file written from `approvals`. */
  check(
    base: string,
    head: string,
    opts: CheckOpts = {},
  ): { code: number; report: Report; stderr: string; stdout: string } {
    return withReport(this.capgate(this.checkArgs(base, head, opts)));
  }

  /** The arguments of `check`, with the approvals file written. */
  checkArgs(base: string, head: string, opts: CheckOpts = {}): string[] {
    const args = ["check", "--base", base, "--head", head, "--json", ...(opts.extra ?? [])];
    if (opts.approvals !== undefined) {
      const file = this.approvalsFile;
      writeFileSync(file, JSON.stringify(opts.approvals));
      args.push("--approvals", file);
    }
    if (opts.results) args.push("--results", opts.results);
    return args;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.approvalsFile, { force: true });
  }
}

export interface CheckOpts {
  approvals?: unknown;
  results?: string;
  extra?: string[];
}

/** A run of `check --json` with its report read from standard output (undefined when it is not JSON). */
export function withReport(r: { code: number; stdout: string; stderr: string }): {
  code: number;
  report: Report;
  stderr: string;
  stdout: string;
} {
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    report = undefined as unknown as Report;
  }
  return { code: r.code, report, stderr: r.stderr, stdout: r.stdout };
}

export interface Report {
  decision: "pass" | "block";
  tier: string | null;
  escalations: { agent: string; from: string | null; to: string; reason: string }[];
  changes: {
    path: string;
    kind: string;
    status: string;
    agents: string[];
    tier: string | null;
    touches: string[];
    why: string;
  }[];
  requirements: { kind: string; id: string; status: string; detail: string }[];
  notes: string[];
}

export function unmetKinds(report: Report): string[] {
  return [...new Set(report.requirements.filter((r) => r.status !== "met").map((r) => r.kind))].sort();
}
