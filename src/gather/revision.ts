import { globBases, globMatcher } from "../config/glob.js";
import type { FileState } from "../decision/input.js";
import { decodeText, MAX_ARTIFACT_BYTES, stateByMode } from "../git/blob.js";
import type { Git, RawChange, TreeEntry } from "../git/git.js";

/** Reads paths of one revision from git objects into file states, caching by path. */
export class RevisionReader {
  readonly files = new Map<string, FileState>();

  /** `blobs` may be shared between revisions: a blob unchanged between them is read once. */
  constructor(
    private readonly git: Git,
    readonly sha: string,
    private readonly blobs: Map<string, FileState> = new Map(),
  ) {}

  /** Records entries whose mode and object id are already known (from a diff or a listing). */
  async readEntries(
    entries: readonly { path: string; mode: string; oid: string; type?: string; size?: number }[],
  ): Promise<void> {
    const wanted: { path: string; oid: string }[] = [];
    const listed = new Map<string, number>();
    for (const e of entries) {
      if (this.files.has(e.path)) continue;
      const byMode = stateByMode(e.mode, e.type ?? "blob");
      const known = this.blobs.get(e.oid);
      if (byMode) this.files.set(e.path, byMode);
      else if (known) this.files.set(e.path, known);
      else {
        wanted.push({ path: e.path, oid: e.oid });
        if (e.size !== undefined) listed.set(e.oid, e.size);
      }
    }
    if (wanted.length === 0) return;
    const oids = [...new Set(wanted.map((w) => w.oid))];
    // Sizes come with tree listings; only the rest are asked of git.
    const sizes = new Map(listed);
    for (const [oid, size] of await this.git.blobSizes(oids.filter((o) => !listed.has(o)))) sizes.set(oid, size);
    const small = oids.filter((o) => (sizes.get(o) ?? Infinity) <= MAX_ARTIFACT_BYTES);
    const blobs = await this.git.readBlobs(small);
    for (const w of wanted) {
      const size = sizes.get(w.oid);
      if (size === undefined) {
        this.files.set(w.path, { state: "error", reason: `object ${w.oid} is missing from the repository` });
        continue;
      }
      if (size > MAX_ARTIFACT_BYTES) {
        this.files.set(w.path, {
          state: "error",
          reason: `is ${size} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit`,
        });
        continue;
      }
      const bytes = blobs.get(w.oid);
      if (!bytes) {
        this.files.set(w.path, { state: "error", reason: `object ${w.oid} could not be read` });
        continue;
      }
      let state = this.blobs.get(w.oid);
      if (!state) {
        const text = decodeText(bytes);
        state = text.ok ? { state: "file", text: text.text, oid: w.oid } : { state: "error", reason: text.reason };
        this.blobs.set(w.oid, state);
      }
      this.files.set(w.path, state);
    }
  }

  /** Reads paths by name: absent when the revision has no such path. */
  async readPaths(paths: readonly string[]): Promise<void> {
    const todo = [...new Set(paths)].filter((p) => !this.files.has(p));
    if (todo.length === 0) return;
    const bad = todo.filter((p) => !isPlainPath(p));
    for (const p of bad) this.files.set(p, { state: "error", reason: "is not a plain relative path" });
    const plain = todo.filter(isPlainPath);
    const entries = await this.git.lsTree(this.sha, plain);
    const byPath = new Map(entries.map((e) => [e.path, e]));
    await this.readEntries(entries.filter((e) => plain.includes(e.path)));
    for (const p of plain) if (!byPath.has(p)) this.files.set(p, { state: "absent" });
  }

  /** Lists the paths at this revision that the globs match, walking only their static prefixes. */
  async list(globs: readonly string[]): Promise<TreeEntry[]> {
    if (globs.length === 0) return [];
    const match = globMatcher(globs);
    const bases = globBases(globs);
    const whole = bases.includes("");
    const prefixes = bases;
    const entries = whole ? await this.git.lsTreeAll(this.sha) : await this.git.lsTree(this.sha, prefixes, true);
    return entries.filter((e) => e.type !== "tree" && match(e.path));
  }
}

/**
 * The paths a listing at head held at the diff's base: the diff names every path that differs, so
 * the rest are the same at both revisions. `match` selects the paths the listing is of.
 */
export function pathsAtBase(
  headPaths: readonly string[],
  diff: readonly RawChange[],
  match: (path: string) => boolean,
): string[] {
  const paths = new Set(headPaths);
  for (const c of diff) if (c.status !== "D") paths.delete(c.path);
  for (const c of diff) if (c.status !== "A" && match(c.oldPath)) paths.add(c.oldPath);
  return [...paths];
}

/** A repository-relative path with no empty, `.` or `..` segments. */
export function isPlainPath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\0")) return false;
  return p.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}
