import type { FileState, Side, Snapshot } from "../input/types.js";
import type { ObjectReader } from "../git/objects.js";
import type { ChangeEntry, Entry } from "../plan/reads.js";
import { decodeText, MAX_ARTIFACT_BYTES, stateByMode } from "./blob.js";

/**
 * The two revisions' files as the stages read them: entries whose ids are known (from the diff or
 * a listing) by their blobs, a blob both revisions hold read once, and each blob's size known
 * before its content is read.
 */
export class SnapshotBuilder {
  readonly base = new Map<string, FileState>();
  readonly head = new Map<string, FileState>();
  /** Decoded blobs by id, shared by both revisions. */
  private readonly blobs = new Map<string, FileState>();

  constructor(private readonly objects: ObjectReader) {}

  /** What the diff says without reading: a path added is absent at base, one deleted or moved away absent at head. */
  recordAbsences(changes: readonly ChangeEntry[]): void {
    for (const { change } of changes) {
      if (change.status === "added" || change.path !== change.oldPath) this.base.set(change.path, { state: "absent" });
      if (change.status === "deleted" || change.path !== change.oldPath)
        this.head.set(change.oldPath, { state: "absent" });
    }
  }

  /** Reads entries into the given revision (an entry already read there is left alone). */
  async read(items: readonly { side: Side; entry: Entry }[]): Promise<void> {
    const todo = items.filter(({ side, entry }) => {
      const f = this.files(side).get(entry.path);
      return f === undefined || f.state === "absent";
    });
    const byMode = todo.filter(({ side, entry }) => {
      const s = stateByMode(entry.mode, entry.mode === "040000" ? "tree" : "blob");
      if (s) this.files(side).set(entry.path, s);
      return !s;
    });
    const unsized = [
      ...new Set(
        byMode.filter((i) => i.entry.size === undefined && !this.blobs.has(i.entry.oid)).map((i) => i.entry.oid),
      ),
    ];
    const infos = await this.objects.info(unsized);
    const size = (e: Entry) => e.size ?? infos.get(e.oid)?.size;
    const wanted = byMode.filter(
      (i) => !this.blobs.has(i.entry.oid) && (size(i.entry) ?? Infinity) <= MAX_ARTIFACT_BYTES,
    );
    const contents = await this.objects.contents(wanted.map((i) => i.entry.oid));
    for (const { side, entry } of byMode) this.files(side).set(entry.path, this.stateOf(entry, size(entry), contents));
  }

  /**
   * Looks up paths at head by name (paths the diff does not name, so the same at base); a path git
   * lacks is absent. A path holding a newline cannot be named to `cat-file`: it is listed instead.
   */
  async readAtHead(
    headSha: string,
    paths: readonly string[],
    list: (paths: string[]) => Promise<Entry[]>,
  ): Promise<void> {
    const todo = paths.filter((p) => !this.head.has(p));
    const odd = todo.filter((p) => p.includes("\n"));
    if (odd.length > 0) await this.readListed(odd, await list(odd));
    const names = todo.filter((p) => !p.includes("\n"));
    const infos = await this.objects.info(names.map((p) => `${headSha}:${p}`));
    const entries: Entry[] = [];
    for (const p of names) {
      const info = infos.get(`${headSha}:${p}`);
      if (!info) this.head.set(p, { state: "absent" });
      else if (info.type !== "blob") this.head.set(p, stateByMode("100644", info.type) ?? { state: "absent" });
      else entries.push({ path: p, mode: "100644", oid: info.oid, size: info.size });
    }
    await this.read(entries.map((entry) => ({ side: "head", entry })));
  }

  /** Reads the paths a listing of them at head gave (each path's entry, or none: absent). */
  async readListed(paths: readonly string[], listed: readonly Entry[]): Promise<void> {
    const byPath = new Map(listed.map((e) => [e.path, e]));
    for (const p of paths) {
      const e = byPath.get(p);
      if (!e) this.head.set(p, { state: "absent" });
      else if (this.head.get(p)?.state === "file") this.recordMode("head", e);
    }
    await this.read(
      paths.flatMap((p) => {
        const e = byPath.get(p);
        return e && !this.head.has(p) ? [{ side: "head" as const, entry: e }] : [];
      }),
    );
  }

  /** Replaces what was read at a path by what its mode says (a symbolic link found by a listing). */
  recordMode(side: Side, entry: Entry): void {
    const s = stateByMode(entry.mode, "blob");
    if (s) this.files(side).set(entry.path, s);
  }

  snapshot(
    side: Side,
    sha: string,
    agents: readonly string[],
    mcpConfigs: readonly string[],
    loadable: { skills: readonly string[]; commands: readonly string[] } = { skills: [], commands: [] },
  ): Snapshot {
    return { sha, files: this.files(side), agents, mcpConfigs, ...loadable };
  }

  private files(side: Side): Map<string, FileState> {
    return side === "base" ? this.base : this.head;
  }

  private stateOf(entry: Entry, size: number | undefined, contents: ReadonlyMap<string, Buffer>): FileState {
    const known = this.blobs.get(entry.oid);
    if (known) return known;
    if (size === undefined) return { state: "error", reason: `object ${entry.oid} is missing from the repository` };
    if (size > MAX_ARTIFACT_BYTES)
      return { state: "opaque", oid: entry.oid, reason: `is ${size} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit` };
    const bytes = contents.get(entry.oid);
    if (!bytes) return { state: "error", reason: `object ${entry.oid} could not be read` };
    const text = decodeText(bytes);
    const state: FileState = text.ok
      ? { state: "file", text: text.text, oid: entry.oid }
      : { state: "opaque", oid: entry.oid, reason: text.reason };
    this.blobs.set(entry.oid, state);
    return state;
  }
}
