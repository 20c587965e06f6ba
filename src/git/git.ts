import { spawn } from "node:child_process";
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isObjectId } from "../common/ids.js";

/**
 * A private folder for spooled git output, made when a spool starts and removed as soon as none
 * is open, so nothing is left behind whatever hosts the process.
 */
let scratch: { path: string; open: number } | undefined;
let spooled = 0;
function openScratch(): string {
  scratch ??= { path: mkdtempSync(join(tmpdir(), "capgate-")), open: 0 };
  scratch.open++;
  return scratch.path;
}
function closeScratch(): void {
  if (!scratch || --scratch.open > 0) return;
  rmSync(scratch.path, { recursive: true, force: true });
  scratch = undefined;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = "GitError";
  }
}

export interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree" | "commit";
  oid: string;
  /** Size in bytes of a blob. */
  size?: number;
}

/** What `git status` says of the workspace at some paths. */
export interface WorkspaceStatus {
  /** Tracked paths whose index or working tree differs from the checked-out commit. */
  changed: string[];
  /** Untracked files, not ignored. */
  untracked: string[];
  /** Ignored files, and ignored folders (ending in `/`). */
  ignored: string[];
}

export interface BlobInfo {
  oid: string;
  size: number;
}

/**
 * A gate reads the repository it is given and leaves it as it was: the fetches a check makes in a
 * blobless or shallow clone (its own, and those git makes to fill in what it reads) start no
 * `git maintenance run --auto`, which follows every fetch otherwise and may repack a large clone.
 */
const NO_MAINTENANCE: readonly (readonly [string, string])[] = [
  ["maintenance.auto", "false"],
  ["gc.auto", "0"],
];

/**
 * The environment with these config entries added to those it gives already (`GIT_CONFIG_COUNT`,
 * git 2.31 and later; older gits ignore them), so that every git process started from it, and
 * every git those start, reads them. An environment whose count git itself would reject is left
 * as it is.
 */
export function withConfig(env: NodeJS.ProcessEnv, entries: readonly (readonly [string, string])[]): NodeJS.ProcessEnv {
  const given = env.GIT_CONFIG_COUNT ?? "0";
  if (!/^\d+$/.test(given)) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  let n = Number(given);
  for (const [key, value] of entries) {
    out[`GIT_CONFIG_KEY_${n}`] = key;
    out[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  out.GIT_CONFIG_COUNT = String(n);
  return out;
}

/**
 * Every git call capgate makes goes through here: no shell, no prompts, literal pathspecs,
 * NUL-separated paths, C locale.
 */
export class Git {
  private readonly env: NodeJS.ProcessEnv;
  private readonly treesById = new Map<string, Promise<readonly TreeEntry[]>>();

  /** The environment every git process of this repository runs with. */
  get environment(): NodeJS.ProcessEnv {
    return this.env;
  }

  /**
   * A partial clone (a blobless `actions/checkout`): listings leave sizes out, which git would
   * fetch blob by blob, and the readers fetch the blobs they need in one request first.
   */
  partial = false;

  constructor(readonly cwd: string) {
    this.env = withConfig(
      {
        ...process.env,
        GIT_TERMINAL_PROMPT: "0",
        GIT_LITERAL_PATHSPECS: "1",
        GIT_OPTIONAL_LOCKS: "0",
        LC_ALL: "C",
      },
      NO_MAINTENANCE,
    );
  }

  /**
   * Runs git and returns its standard output. With `spool`, the output goes to a private temporary
   * file and is read back at the end: for outputs of megabytes this is much faster than a pipe,
   * which git would fill and wait on thousands of times.
   */
  run(
    args: string[],
    input?: string | Buffer,
    opts: { spool?: boolean; env?: Record<string, string> } = {},
  ): Promise<Buffer> {
    return this.start(args, opts).finish(input);
  }

  /**
   * Starts git, to be given its standard input piece by piece as the caller learns it (`write`);
   * `finish` ends the input and returns the standard output once git exits.
   */
  start(
    args: string[],
    opts: { spool?: boolean; env?: Record<string, string> } = {},
  ): { write(input: string | Buffer): void; finish(input?: string | Buffer): Promise<Buffer> } {
    const spool = opts.spool ? this.spoolFile() : null;
    let child: ReturnType<typeof spawn>;
    const done = new Promise<Buffer>((resolve, reject) => {
      try {
        child = spawn("git", args, {
          cwd: this.cwd,
          env: opts.env ? { ...this.env, ...opts.env } : this.env,
          stdio: ["pipe", spool ? spool.fd : "pipe", "pipe"],
        });
      } catch (e) {
        spool?.discard();
        reject(new GitError(`git ${args[0]} could not start: ${e instanceof Error ? e.message : String(e)}`, "", null));
        return;
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout?.on("data", (d: Buffer) => out.push(d));
      child.stderr!.on("data", (d: Buffer) => err.push(d));
      child.on("error", (e) => {
        spool?.discard();
        reject(new GitError(`git ${args[0]} could not start: ${e.message}`, "", null));
      });
      child.on("close", (code) => {
        const stderr = Buffer.concat(err).toString("utf8").trim();
        let stdout: Buffer;
        try {
          stdout = spool ? spool.take() : Buffer.concat(out);
        } catch (e) {
          reject(new GitError(`git ${args[0]}: its output could not be read back: ${String(e)}`, stderr, code));
          return;
        }
        if (code === 0) resolve(stdout);
        else reject(new GitError(`git ${args[0]} failed: ${stderr || `exit ${code}`}`, stderr, code));
      });
      child.stdin!.on("error", () => {
        /* the exit code reports the failure */
      });
    });
    // A failure is the caller's to see at `finish`, never an unhandled rejection before it.
    done.catch(() => undefined);
    return {
      write: (input) => {
        if (child?.stdin?.writable) child.stdin.write(input);
      },
      finish: (input) => {
        if (child?.stdin?.writable) child.stdin.end(input ?? "");
        return done;
      },
    };
  }

  private spoolFile(): { fd: number; take(): Buffer; discard(): void } {
    const path = join(openScratch(), `out-${++spooled}`);
    let fd: number;
    try {
      fd = openSync(path, "wx+", 0o600);
    } catch (e) {
      closeScratch();
      throw e;
    }
    let open = true;
    // Once only: a descriptor closed twice could be another file's by then.
    const discard = () => {
      if (!open) return;
      open = false;
      try {
        closeSync(fd);
        rmSync(path, { force: true });
      } finally {
        closeScratch();
      }
    };
    return {
      fd,
      take: () => {
        try {
          return readFileSync(path);
        } finally {
          discard();
        }
      },
      discard,
    };
  }

  async text(args: string[], env?: Record<string, string>): Promise<string> {
    return (await this.run(args, undefined, env ? { env } : {})).toString("utf8").trim();
  }

  async topLevel(): Promise<string> {
    return this.text(["rev-parse", "--show-toplevel"]);
  }

  /** The full SHA of a commit, or null when the revision does not name one here. */
  async resolveCommit(rev: string): Promise<string | null> {
    try {
      return await this.text(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`]);
    } catch {
      return null;
    }
  }

  /**
   * In one call: the top level of the repository, the commits `revs` name, and the checkout (HEAD
   * and its parents); for two revisions, also their merge base (`A...B` prints each merge base as
   * `^<id>`): null when they have none, undefined when they have several (`git merge-base` picks
   * one). Null when any of it cannot be had (a revision that names no commit, no HEAD yet): then
   * each is asked for on its own, to say which.
   */
  async survey(revs: readonly string[]): Promise<{
    top: string;
    /** Whether objects may be missing here, to be fetched from a promisor remote (a blobless clone). */
    partial: boolean;
    commits: string[];
    checkout: { sha: string; parents: string[] };
    mergeBase?: string | null;
  } | null> {
    if (revs.some((r) => r.startsWith("-"))) return null;
    const commitOf = (r: string) => `${r}^{commit}`;
    const range = revs.length === 2 ? [`${commitOf(revs[0]!)}...${commitOf(revs[1]!)}`] : [];
    let lines: string[];
    try {
      const args = [
        "rev-parse",
        "--show-toplevel",
        "--git-common-dir",
        "--end-of-options",
        ...revs.map(commitOf),
        ...range,
      ];
      lines = (await this.text([...args, "HEAD^{commit}", "HEAD^@"])).split("\n");
    } catch {
      return null;
    }
    // Before git 2.41, rev-parse echoes --end-of-options back.
    const [top, common, ...ids] = lines.filter((l) => l !== "--end-of-options");
    const commits = ids.splice(0, revs.length);
    let mergeBase: string | null | undefined;
    if (range.length) {
      // The range: its two ends, then a `^` line for each merge base.
      ids.splice(0, 2);
      const bases: string[] = [];
      while (ids[0]?.startsWith("^")) bases.push(ids.shift()!.slice(1));
      mergeBase = bases.length === 0 ? null : bases.length === 1 ? bases[0] : undefined;
    }
    const isId = (s: string | null | undefined) => typeof s === "string" && isObjectId(s);
    if (!top || ids.length < 1 || ![...commits, ...ids].every(isId) || commits.length < revs.length) return null;
    if (mergeBase && !isId(mergeBase)) return null;
    const [sha, ...parents] = ids;
    const partial = hasPromisorPacks(resolve(this.cwd, common ?? ".git"));
    return { top, partial, commits, checkout: { sha: sha!, parents }, ...(range.length ? { mergeBase } : {}) };
  }

  /** A commit's parents, in order, by its full id (none for a root commit or an unknown id). */
  async parents(commit: string): Promise<string[]> {
    if (!isObjectId(commit)) return [];
    try {
      return (await this.text(["rev-parse", `${commit}^@`])).split("\n").filter(Boolean);
    } catch {
      return [];
    }
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    try {
      return await this.text(["merge-base", a, b]);
    } catch {
      return null;
    }
  }

  /** `-l` for a listing's sizes, but not in a partial clone, where each would be a fetch. */
  private sizes(): string[] {
    return this.partial ? [] : ["-l"];
  }

  /** Whether objects may be missing here, to be fetched from a promisor remote (a blobless clone). */
  async isPartialClone(): Promise<boolean> {
    return hasPromisorPacks(resolve(this.cwd, await this.text(["rev-parse", "--git-common-dir"])));
  }

  /**
   * Fetches missing objects of a partial clone in one request, as git's own batch prefetch does
   * (the promisor remote's `fetch --stdin`, no negotiation): never one lazy fetch per object.
   * Objects already here are not fetched again. Best effort: what it cannot fetch is fetched by
   * git as it is read.
   */
  async prefetch(oids: readonly string[], remote = "origin"): Promise<boolean> {
    if (oids.length === 0) return true;
    try {
      await this.run(
        [
          "-c",
          "fetch.negotiationAlgorithm=noop",
          "fetch",
          remote,
          "--no-tags",
          "--no-write-fetch-head",
          "--recurse-submodules=no",
          "--filter=blob:none",
          "--stdin",
        ],
        `${[...new Set(oids)].join("\n")}\n`,
      );
      return true;
    } catch {
      return false;
    }
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(["rev-parse", "--is-shallow-repository"])) === "true";
  }

  /**
   * A tree of the working tree as it is, untracked files included and ignored ones left out,
   * built in a private index so the repository's own index is untouched.
   */
  async worktreeTree(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), "capgate-index-"));
    try {
      const index = join(dir, "index");
      // From a copy of the repository's index: only what changed is hashed again, and what a
      // sparse checkout leaves out of the working tree stays as the index has it.
      const own = resolve(this.cwd, await this.text(["rev-parse", "--git-path", "index"]));
      if (existsSync(own)) copyFileSync(own, index);
      const env = { GIT_INDEX_FILE: index };
      await this.run(["add", "-A", "--sparse", "--", "."], undefined, { env });
      return await this.text(["write-tree"], env);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** The changed entries between two trees, renames detected, as raw records. */
  async diffRaw(from: string, to: string): Promise<RawChange[]> {
    const out = await this.treeDiff(["-r", "-z", "--raw", "--no-commit-id", "-M", from, to]);
    return parseRawDiff(out.toString("utf8"));
  }

  /** Paths changed between two commits (no rename pairing needed). */
  async changedPaths(from: string, to: string): Promise<string[]> {
    const out = await this.treeDiff(["-r", "-z", "--name-only", "--no-commit-id", "--no-renames", from, to]);
    return out.toString("utf8").split("\0").filter(Boolean);
  }

  /**
   * `git diff-tree`, which reads the index whole before it starts (seconds in a monorepo) although
   * a diff of two trees is theirs alone: it is given an index that does not exist, an empty one,
   * in a private folder.
   */
  private async treeDiff(args: string[]): Promise<Buffer> {
    const none = join(openScratch(), "no-index");
    try {
      return await this.run(["diff-tree", ...args], undefined, { env: { GIT_INDEX_FILE: none } });
    } finally {
      closeScratch();
    }
  }

  /** The whole tree of a revision, recursively. */
  async lsTreeAll(rev: string): Promise<TreeEntry[]> {
    const out = await this.run(["ls-tree", "-z", "-r", ...this.sizes(), "--full-tree", rev], undefined, {
      spool: true,
    });
    return parseLsTree(out.toString("utf8"));
  }

  /** The entries at the top of a revision's tree (folders as trees, not walked). */
  async lsTop(rev: string): Promise<TreeEntry[]> {
    const out = await this.run(["ls-tree", "-z", ...this.sizes(), "--full-tree", rev]);
    return parseLsTree(out.toString("utf8"));
  }

  /**
   * Every file under a tree, by the tree's id: paths relative to it. A tree is what its id says,
   * so each is listed once however many links, or revisions, lead to it (the list is shared: not
   * to be changed).
   */
  lsTreeOf(tree: string): Promise<readonly TreeEntry[]> {
    if (!isObjectId(tree)) return Promise.reject(new GitError(`not a tree id: ${tree}`, "", null));
    let listed = this.treesById.get(tree);
    if (!listed) {
      listed = this.run(["ls-tree", "-z", "-r", ...this.sizes(), tree], undefined, { spool: true }).then((out) =>
        parseLsTree(out.toString("utf8")),
      );
      this.treesById.set(tree, listed);
    }
    return listed;
  }

  /** Tree entries at a revision for exact paths (directories give their tree entry). */
  async lsTree(rev: string, paths: string[]): Promise<TreeEntry[]> {
    const entries: TreeEntry[] = [];
    for (const part of argumentChunks(paths)) {
      const args = ["ls-tree", "-z", ...this.sizes(), "--full-tree", rev, "--", ...part];
      const out = await this.run(args);
      entries.push(...parseLsTree(out.toString("utf8")));
    }
    return entries;
  }

  /**
   * The entries at these paths, the folders (and submodules) on the way to them, and everything
   * below those that are folders (`ls-tree -r -t`): what a revision holds there, with nothing
   * left to ask.
   */
  async lsPaths(rev: string, paths: string[]): Promise<TreeEntry[]> {
    const entries: TreeEntry[] = [];
    for (const part of argumentChunks(paths)) {
      const args = ["ls-tree", "-z", ...this.sizes(), "--full-tree", "-r", "-t", rev, "--", ...part];
      entries.push(...parseLsTree((await this.run(args, undefined, { spool: true })).toString("utf8")));
    }
    return entries;
  }

  /**
   * The workspace at the pathspecs given (files or folders), in one `git status` that reads the
   * index once and refreshes only those paths: tracked paths whose index or working tree differs
   * from the checked-out commit, untracked files, and ignored files and folders (a folder ending
   * in `/`, not walked).
   */
  async workspaceStatus(pathspecs: readonly string[]): Promise<WorkspaceStatus> {
    const out: WorkspaceStatus = { changed: [], untracked: [], ignored: [] };
    for (const part of argumentChunks(pathspecs)) {
      const args = ["status", "--porcelain=v2", "-z", "--untracked-files=all", "--ignored=matching", "--no-renames"];
      const r = await this.run([...args, "--", ...part]);
      for (const rec of r.toString("utf8").split("\0")) {
        const kind = rec[0];
        // Ordinary and unmerged entries: the path follows a fixed number of fields.
        const fields = kind === "1" ? 8 : kind === "u" ? 10 : kind === "?" || kind === "!" ? 1 : 0;
        if (fields === 0) continue;
        let at = 0;
        for (let i = 0; i < fields && at >= 0; i++) at = rec.indexOf(" ", at + 1);
        if (at < 0) continue;
        const path = rec.slice(at + 1);
        (kind === "?" ? out.untracked : kind === "!" ? out.ignored : out.changed).push(path);
      }
    }
    return out;
  }

  /**
   * The ids the working-tree files at these paths (from the top) would have as blobs, as `git add` would hash
   * them (filters and line endings by each path's attributes), in one process and in order.
   */
  async hashFiles(paths: readonly string[]): Promise<string[]> {
    const hasher = this.hasher();
    hasher.add(paths);
    const ids = await hasher.ids();
    return paths.map((p) => ids.get(p)!);
  }

  /**
   * Hashing as `hashFiles` does, in one process started at the first path added, so that git
   * hashes while the caller goes on learning which other paths to add; `ids` ends the input and
   * answers for every path added.
   */
  hasher(): { add(paths: readonly string[]): void; ids(): Promise<Map<string, string>> } {
    let proc: ReturnType<Git["start"]> | null = null;
    let answer: Promise<Map<string, string>> | null = null;
    const plain: string[] = [];
    // A name holding a line break cannot be read from standard input: it goes as an argument.
    const odd: string[] = [];
    const read = async (): Promise<Map<string, string>> => {
      const ids = new Map<string, string>();
      const take = (names: readonly string[], out: Buffer) => {
        const got = out.toString("utf8").split("\n").filter(Boolean);
        if (got.length !== names.length)
          throw new GitError("git hash-object answered for fewer paths than asked", "", null);
        got.forEach((id, i) => ids.set(names[i]!, id));
      };
      if (proc) take(plain, await proc.finish());
      for (const part of argumentChunks(odd)) take(part, await this.run(["hash-object", "--", ...part]));
      return ids;
    };
    return {
      add: (paths) => {
        if (answer) throw new Error("paths added to a hasher that has answered");
        const fresh = paths.filter((p) => !p.includes("\n"));
        odd.push(...paths.filter((p) => p.includes("\n")));
        if (fresh.length === 0) return;
        // The answers go to a file: git never waits on a reader busy with other work.
        proc ??= this.start(["hash-object", "--stdin-paths"], { spool: true });
        proc.write(`${fresh.join("\n")}\n`);
        plain.push(...fresh);
      },
      ids: () => (answer ??= read()),
    };
  }

  /** Which of these working-tree paths the ignore rules ignore (a folder ends in `/`), without the index. */
  async ignoredAmong(paths: readonly string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    try {
      // check-ignore refuses literal pathspecs; its paths are matched as given, and one that
      // starts with `:` is written `./:` so that it is not read as pathspec magic.
      const asked = paths.map((p) => (p.startsWith(":") ? `./${p}` : p));
      const out = await this.run(["check-ignore", "--no-index", "--stdin", "-z"], `${asked.join("\0")}\0`, {
        env: { GIT_LITERAL_PATHSPECS: "0" },
      });
      const ignored = new Set(out.toString("utf8").split("\0").filter(Boolean));
      return new Set(paths.filter((p, i) => ignored.has(asked[i]!) || ignored.has(p)));
    } catch (e) {
      // Exit 1: none of them is ignored.
      if (e instanceof GitError && e.exitCode === 1) return new Set();
      throw e;
    }
  }

  /** The checked-out commit and its parents, or null when nothing is checked out. */
  async checkout(): Promise<{ sha: string; parents: string[] } | null> {
    try {
      const [sha, ...parents] = (await this.text(["rev-parse", "HEAD^{commit}", "HEAD^@"])).split("\n");
      return sha && isObjectId(sha) ? { sha, parents: parents.filter(Boolean) } : null;
    } catch {
      return null;
    }
  }
}

/** A partial clone keeps `.promisor` files beside the packs its promisor remote sent. */
function hasPromisorPacks(commonDir: string): boolean {
  try {
    return readdirSync(join(commonDir, "objects", "pack")).some((f) => f.endsWith(".promisor"));
  } catch {
    return false;
  }
}

/** Bytes of paths per git invocation: far below any system's argument limit, few processes. */
const ARGUMENT_BYTES = 128 * 1024;

/** Splits paths into runs that each fit one command line. */
export function argumentChunks(paths: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const p of paths) {
    const n = Buffer.byteLength(p) + 1;
    if (current.length > 0 && bytes + n > ARGUMENT_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(p);
    bytes += n;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export interface RawChange {
  status: "A" | "M" | "D" | "R" | "T";
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  oldPath: string;
  path: string;
}

export function parseRawDiff(raw: string): RawChange[] {
  const parts = raw.split("\0");
  const changes: RawChange[] = [];
  let i = 0;
  while (i < parts.length) {
    const meta = parts[i];
    if (!meta || !meta.startsWith(":")) {
      i++;
      continue;
    }
    const [oldMode, newMode, oldOid, newOid, statusField] = meta.slice(1).split(" ");
    const status = (statusField ?? "M")[0] as string;
    if (status === "R" || status === "C") {
      const oldPath = parts[i + 1] ?? "";
      const path = parts[i + 2] ?? "";
      changes.push({
        status: status === "C" ? "A" : "R",
        oldMode: oldMode!,
        newMode: newMode!,
        oldOid: oldOid!,
        newOid: newOid!,
        oldPath,
        path,
      });
      i += 3;
    } else {
      const path = parts[i + 1] ?? "";
      const s = (["A", "M", "D", "T"].includes(status) ? status : "M") as RawChange["status"];
      changes.push({
        status: s,
        oldMode: oldMode!,
        newMode: newMode!,
        oldOid: oldOid!,
        newOid: newOid!,
        oldPath: path,
        path,
      });
      i += 2;
    }
  }
  return changes;
}

function parseLsTree(raw: string): TreeEntry[] {
  // `<mode> <type> <oid> <size, right-aligned>\t<path>\0`, with `-` as the size of a tree.
  const entries: TreeEntry[] = [];
  for (let pos = 0; pos < raw.length;) {
    let end = raw.indexOf("\0", pos);
    if (end < 0) end = raw.length;
    const tab = raw.indexOf("\t", pos);
    if (tab < 0 || tab > end) {
      pos = end + 1;
      continue;
    }
    const s1 = raw.indexOf(" ", pos);
    const s2 = raw.indexOf(" ", s1 + 1);
    let s3 = raw.indexOf(" ", s2 + 1);
    if (s3 < 0 || s3 > tab) s3 = tab;
    const entry: TreeEntry = {
      path: raw.slice(tab + 1, end),
      mode: raw.slice(pos, s1),
      type: raw.slice(s1 + 1, s2) as TreeEntry["type"],
      oid: raw.slice(s2 + 1, s3),
    };
    const size = Number(raw.slice(s3, tab));
    if (s3 < tab && Number.isFinite(size) && raw.slice(s3, tab).trim() !== "") entry.size = size;
    entries.push(entry);
    pos = end + 1;
  }
  return entries;
}
