import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError, type Git } from "./git.js";

/** An object named to `cat-file`: its id, type and size. */
export interface ObjectInfo {
  oid: string;
  type: string;
  size: number;
}

/**
 * A `rev:path` that a checkout would show but that names no object in the repository: a symbolic
 * link (itself, or a folder above the path) that points outside the repository, at nothing, or
 * round in a loop, or a path through a file as if it were a folder. `detail` is what git says:
 * the link's target for `outside`.
 */
export interface Unresolved {
  unresolved: "outside" | "dangling" | "loop" | "notdir";
  detail: string;
}

/** What a name resolves to: an object, a path no object can be had for, or nothing (null). */
export type Resolved = ObjectInfo | Unresolved | null;

export const isUnresolved = (r: Resolved | undefined): r is Unresolved => r != null && "unresolved" in r;

/**
 * Reads git objects through a `git cat-file --batch-command` process kept for the whole run:
 * `info` answers for many names at once (object ids, `rev:path`), `contents` reads many blobs at
 * once, each a single round trip. A `rev:path` is resolved as a checkout's file system resolves
 * it: symbolic links inside the tree are followed, in the path's folders and at its end
 * (`--follow-symlinks`), and a link that leaves the tree, dangles or loops is said as such. Objects are asked for by name first, so nothing large is read
 * before its size is known. A git older than 2.36 has no `--batch-command`: then each round is a
 * `--batch-check` or `--batch` process of its own.
 */
export class ObjectReader {
  private readonly batch: CatFile;
  /** In a partial clone, each object asked for, with the fetch that brings it. */
  private readonly fetches = new Map<string, Promise<void>>();
  /** The fetch gathering what is asked for in this turn of the event loop, if one is. */
  private gathering: { batch: Set<string>; done: Promise<void> } | null = null;

  constructor(private readonly git: Git) {
    this.batch = new CatFile(git);
  }

  /**
   * In a partial clone, fetches the blobs among `oids` that are missing; elsewhere nothing. What
   * stages ask for in the same turn (the two revisions' readers) goes in one request, and an
   * object is asked for once per run.
   */
  async prefetch(oids: readonly string[]): Promise<void> {
    if (!this.git.partial || oids.length === 0) return;
    for (const o of oids) if (!this.fetches.has(o)) this.fetches.set(o, this.gather(o));
    await Promise.all(new Set(oids.map((o) => this.fetches.get(o))));
  }

  /** Adds an object to this turn's fetch, starting one if none is gathering; returns that fetch. */
  private gather(oid: string): Promise<void> {
    if (!this.gathering) {
      const batch = new Set<string>();
      const done = new Promise<void>((r) => setImmediate(r)).then(async () => {
        if (this.gathering?.batch === batch) this.gathering = null;
        await this.git.prefetch([...batch]);
      });
      this.gathering = { batch, done };
    }
    this.gathering.batch.add(oid);
    return this.gathering.done;
  }

  /** The id, type and size of each name (null: it names nothing), in one round trip. */
  info(names: readonly string[]): Promise<Map<string, Resolved>> {
    return this.batch.info(names);
  }

  /**
   * Of names git calls dangling (`rev:path` through a link to nothing, or to a folder that holds no
   * such path), the ones that are themselves a link to nothing: the rest name nothing at all.
   */
  async danglingLinks(names: readonly string[]): Promise<Set<string>> {
    // `rev:dir/name` → `rev:dir` (`rev:` is the root folder) and `name`.
    const split = (n: string) => {
      const colon = n.indexOf(":");
      const slash = n.lastIndexOf("/");
      return slash > colon
        ? { parent: n.slice(0, slash), name: n.slice(slash + 1) }
        : { parent: n.slice(0, colon + 1), name: n.slice(colon + 1) };
    };
    const parents = await this.info(names.map((n) => split(n).parent));
    const out = new Set<string>();
    for (const n of names) {
      const { parent, name } = split(n);
      const folder = parents.get(parent);
      // A folder above that cannot be resolved itself: what is at the path cannot be told, the worst case.
      if (isUnresolved(folder)) out.add(n);
      if (folder == null || isUnresolved(folder) || folder.type !== "tree") continue;
      const entry = (await this.git.lsTreeOf(folder.oid)).find((e) => e.path === name);
      if (entry?.mode === "120000") out.add(n);
    }
    return out;
  }

  /**
   * The contents of each blob, by id, from the one process however many are asked for: reading
   * 10,000 manifests through two one-shot processes, on two cores, was no faster (1.47 s both).
   */
  contents(oids: readonly string[]): Promise<Map<string, Buffer>> {
    return this.batch.contents(oids);
  }

  /** Ends the process. */
  close(): void {
    this.batch.close();
  }
}

/** One `cat-file --batch-command` process, started on first use. */
class CatFile {
  private child: ChildProcessWithoutNullStreams | null = null;
  private readonly input = new ByteQueue();
  private failure: Error | null = null;
  private stderr = "";
  private legacy = false;
  /** Rounds run one after another: a reply is read only by the round that asked for it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly git: Git) {}

  /** The id, type and size of each name (null: it names nothing), in one round trip. */
  info(names: readonly string[]): Promise<Map<string, Resolved>> {
    const unique = [...new Set(names)];
    return this.round(async () => {
      const out = new Map<string, Resolved>();
      if (unique.length === 0) return out;
      const replies = await this.exchange("info", unique);
      let i = 0;
      // Replies are parsed as they arrive, as many as each arrival holds.
      await replies.consume((b) => {
        let at = 0;
        for (; i < unique.length; i++) {
          const r = parseInfo(b, at);
          if (!r) break;
          out.set(unique[i]!, r.value);
          at = r.next;
        }
        return { used: at, done: i === unique.length };
      });
      return out;
    });
  }

  /** The contents of each blob, by id, in one round trip. */
  contents(oids: readonly string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(oids)];
    return this.round(async () => {
      const out = new Map<string, Buffer>();
      if (unique.length === 0) return out;
      const replies = await this.exchange("contents", unique);
      let i = 0;
      await replies.consume((b) => {
        const r = parseContents(b, unique, i, out);
        i = r.next;
        return r;
      });
      return out;
    });
  }

  close(): void {
    this.child?.stdin.end();
    this.child = null;
  }

  private round<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Sends one batch of commands; returns the reader of the replies. */
  private async exchange(command: "info" | "contents", names: readonly string[]): Promise<ByteQueue> {
    if (!this.legacy) {
      try {
        this.send(names.map((n) => `${command} ${n}\n`).join("") + "flush\n");
        await this.input.waitFor(1, () => this.failure);
        return this.input;
      } catch (e) {
        // Only a git that does not know --batch-command (before 2.36) gets the older protocol.
        if (!/unknown option|usage: git cat-file|batch-command/i.test(this.stderr)) throw e;
        this.legacy = true;
      }
    }
    const out = await this.git.run(
      ["cat-file", command === "info" ? "--batch-check" : "--batch", "--follow-symlinks"],
      names.join("\n") + "\n",
      { spool: command === "contents" },
    );
    const q = new ByteQueue();
    q.push(out);
    q.end();
    return q;
  }

  private send(text: string): void {
    if (this.failure) throw this.failure;
    if (!this.child) this.child = this.spawn();
    this.child.stdin.write(text);
  }

  private spawn(): ChildProcessWithoutNullStreams {
    const child = spawn("git", ["cat-file", "--batch-command", "--buffer", "--follow-symlinks"], {
      cwd: this.git.cwd,
      env: this.git.environment,
      stdio: ["pipe", "pipe", "pipe"],
    });
    child.stdout.on("data", (d: Buffer) => this.input.push(d));
    child.stderr.on("data", (d: Buffer) => (this.stderr += d.toString("utf8")));
    const fail = (e: Error) => {
      this.failure ??= e;
      this.input.end();
    };
    child.on("error", (e) => fail(new GitError(`git cat-file could not start: ${e.message}`, "", null)));
    child.on("close", (code) =>
      fail(
        new GitError(`git cat-file stopped (exit ${code}): ${this.stderr.trim() || "no message"}`, this.stderr, code),
      ),
    );
    child.stdin.on("error", () => {
      /* the close event reports it */
    });
    return child;
  }
}

/** Bytes as they arrive, handed to a parser as one buffer, copied only when a reply spans arrivals. */
class ByteQueue {
  private chunks: Buffer[] = [];
  private length = 0;
  private ended = false;
  private waiting: (() => void) | null = null;
  private failed: (() => Error | null) | null = null;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.length += b.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /** Waits until `n` bytes are there; throws what `failure` reports once nothing more can come. */
  async waitFor(n: number, failure: () => Error | null = () => null): Promise<void> {
    this.failed = failure;
    while (this.length < n) {
      if (this.ended) throw this.failed() ?? new GitError("git cat-file ended before answering", "", null);
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  /**
   * Hands what has arrived to `parse` until it is done. `parse` returns how many bytes it used and,
   * when it stopped inside a reply, how many it needs from there to go on (default: one more than
   * it was given).
   */
  async consume(parse: (b: Buffer) => { used: number; done: boolean; need?: number }): Promise<void> {
    let need = 1;
    for (;;) {
      await this.waitFor(need, this.failed ?? undefined);
      if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
      const all = this.chunks[0]!;
      const r = parse(all);
      this.chunks = r.used >= all.length ? [] : [all.subarray(r.used)];
      this.length -= r.used;
      if (r.done) return;
      need = Math.max(r.need ?? 0, this.length + 1);
    }
  }
}

/**
 * Parses `cat-file --batch` replies for `names` from `names[first]` on, into `out`: how many bytes
 * it used, the next name to parse, and, when it stopped inside an object, how many bytes it needs.
 */
function parseContents(
  b: Buffer,
  names: readonly string[],
  first: number,
  out: Map<string, Buffer>,
): { used: number; next: number; done: boolean; need?: number } {
  let at = 0;
  let i = first;
  for (; i < names.length; i++) {
    const nl = b.indexOf(10, at);
    if (nl < 0) break;
    const info = parseHeader(b.toString("utf8", at, nl));
    if (!info) {
      at = nl + 1;
      continue;
    }
    // The object, then the newline after every object.
    const end = nl + 1 + info.size;
    if (end + 1 > b.length) return { used: at, next: i, done: false, need: end + 1 - at };
    out.set(names[i]!, b.subarray(nl + 1, end));
    at = end + 1;
  }
  return { used: at, next: i, done: i === names.length };
}

/** The unresolved kinds as `--follow-symlinks` names them (`symlink`: a link that leaves the tree). */
const UNRESOLVED: Record<string, Unresolved["unresolved"]> = {
  symlink: "outside",
  dangling: "dangling",
  loop: "loop",
  notdir: "notdir",
};

/**
 * One `--batch-check` reply at `at`: `<oid> <type> <size>`, `<name> missing`, or (following
 * links) `<kind> <size>` and a line of that many bytes naming the link's target or the name.
 * Null when the reply has not fully arrived.
 */
function parseInfo(b: Buffer, at: number): { value: Resolved; next: number } | null {
  const nl = b.indexOf(10, at);
  if (nl < 0) return null;
  const header = b.toString("utf8", at, nl);
  const m = /^(symlink|dangling|loop|notdir) (\d+)$/.exec(header);
  if (!m) return { value: parseHeader(header), next: nl + 1 };
  const end = nl + 1 + Number(m[2]);
  if (end + 1 > b.length) return null;
  return { value: { unresolved: UNRESOLVED[m[1]!]!, detail: b.toString("utf8", nl + 1, end) }, next: end + 1 };
}

/** `<oid> <type> <size>`, or `<name> missing` / `<name> ambiguous`, which name nothing. */
function parseHeader(header: string): ObjectInfo | null {
  if (header.endsWith(" missing") || header.endsWith(" ambiguous")) return null;
  const [oid, type, size] = header.split(" ");
  if (!oid || !type || size === undefined || !/^\d+$/.test(size))
    throw new GitError(`git cat-file answered "${header}"`, "", null);
  return { oid, type, size: Number(size) };
}
