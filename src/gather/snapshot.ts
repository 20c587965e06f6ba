import type { FileState, Loads, Side, Snapshot } from "../input/types.js";
import { isUnresolved, type ObjectReader, type Resolved } from "../git/objects.js";
import type { ChangeEntry, Entry } from "../plan/reads.js";
import { decodeText, isLfsPointer, LINK_MODE, MAX_ARTIFACT_BYTES, stateByMode, unresolvedReason } from "./blob.js";

/**
 * The two revisions' files as the stages read them: entries whose ids are known (from the diff or
 * a listing) by their blobs, a blob both revisions hold read once, and each blob's size known
 * before its content is read. A path is read as a checkout shows it: a symbolic link inside the
 * tree at its target, one that leaves it, dangles or loops as content that cannot be seen.
 */
export class SnapshotBuilder {
  readonly base = new Map<string, FileState>();
  readonly head = new Map<string, FileState>();
  /** Decoded blobs by id, shared by both revisions. */
  private readonly blobs = new Map<string, FileState>();

  constructor(
    private readonly objects: ObjectReader,
    /** The commit each revision is read at (links are followed there). */
    private readonly commits: Record<Side, string>,
  ) {}

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
    const links = todo.filter((i) => i.entry.mode === LINK_MODE);
    const followed = await this.follow(links.map((i) => ({ side: i.side, path: i.entry.path })));
    const blobs: { side: Side; entry: Entry }[] = [];
    for (const item of todo) {
      const entry = item.entry.mode === LINK_MODE ? followed.get(`${item.side}\0${item.entry.path}`) : item.entry;
      if (entry === undefined) continue;
      const s = stateByMode(entry.mode, "blob");
      if (s) this.files(item.side).set(entry.path, s);
      else blobs.push({ side: item.side, entry });
    }
    // A blobless clone lacks some of them: fetched together, before git would fetch each on its own.
    await this.objects.prefetch([
      ...new Set(blobs.filter((i) => !this.blobs.has(i.entry.oid)).map((i) => i.entry.oid)),
    ]);
    const unsized = [
      ...new Set(
        blobs.filter((i) => i.entry.size === undefined && !this.blobs.has(i.entry.oid)).map((i) => i.entry.oid),
      ),
    ];
    const infos = await this.objects.info(unsized);
    const size = (e: Entry) => e.size ?? sizeOf(infos.get(e.oid));
    const wanted = blobs.filter(
      (i) => !this.blobs.has(i.entry.oid) && (size(i.entry) ?? Infinity) <= MAX_ARTIFACT_BYTES,
    );
    const contents = await this.objects.contents(wanted.map((i) => i.entry.oid));
    for (const { side, entry } of blobs) this.files(side).set(entry.path, this.stateOf(entry, size(entry), contents));
  }

  /**
   * Follows symbolic links as a checkout does: each path's entry at its target (the path kept),
   * or, where no file can be read there, its state recorded (a folder, or content not seen).
   */
  private async follow(items: readonly { side: Side; path: string }[]): Promise<Map<string, Entry>> {
    const names = items.map((i) => `${this.commits[i.side]}:${i.path}`);
    const infos = await this.objects.info(names);
    const out = new Map<string, Entry>();
    items.forEach((item, i) => {
      const state = this.resolvedState(infos.get(names[i]!) ?? null, out, item);
      if (state) this.files(item.side).set(item.path, state);
    });
    return out;
  }

  private resolvedState(info: Resolved, out: Map<string, Entry>, item: { side: Side; path: string }): FileState | null {
    if (info === null) return { state: "unseen", reason: "is a symbolic link that cannot be followed" };
    if (isUnresolved(info)) return { state: "unseen", reason: unresolvedReason(info) };
    if (info.type === "tree") return { state: "folder", oid: info.oid };
    if (info.type !== "blob") return { state: "unseen", reason: `is a symbolic link to a ${info.type}` };
    out.set(`${item.side}\0${item.path}`, { path: item.path, mode: "100644", oid: info.oid, size: info.size });
    return null;
  }

  /**
   * Looks up paths at head by name (paths the diff does not name, so the same at base), following
   * links as a checkout does; a path git lacks is absent. A path holding a newline cannot be named
   * to `cat-file`: it is listed instead.
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
    // Git says "dangling" of a path below a link to a folder that does not hold it, too: nothing is there.
    const dangling = names
      .map((p) => `${headSha}:${p}`)
      .filter((n) => {
        const info = infos.get(n);
        return isUnresolved(info) && info.unresolved === "dangling";
      });
    const links = dangling.length ? await this.objects.danglingLinks(dangling) : new Set<string>();
    const entries: Entry[] = [];
    for (const p of names) {
      const info = infos.get(`${headSha}:${p}`) ?? null;
      const nothing =
        isUnresolved(info) &&
        (info.unresolved === "notdir" || (info.unresolved === "dangling" && !links.has(`${headSha}:${p}`)));
      if (!info || nothing) this.head.set(p, { state: "absent" });
      else if (isUnresolved(info)) this.head.set(p, { state: "unseen", reason: unresolvedReason(info) });
      else if (info.type !== "blob") this.head.set(p, stateByMode("100644", info.type) ?? { state: "absent" });
      else entries.push({ path: p, mode: "100644", oid: info.oid, size: info.size });
    }
    await this.read(entries.map((entry) => ({ side: "head", entry })));
  }

  /**
   * Reads the paths a listing of them at head gave; a path the listing did not give may still be
   * in a checkout, under a symbolic link to a folder, and is looked up by name.
   */
  async readListed(paths: readonly string[], listed: readonly Entry[]): Promise<void> {
    const byPath = new Map(listed.map((e) => [e.path, e]));
    const unlisted = paths.filter((p) => !byPath.has(p) && !p.includes("\n"));
    for (const p of paths) if (!byPath.has(p) && p.includes("\n")) this.head.set(p, { state: "absent" });
    await this.read(
      paths.flatMap((p) => {
        const e = byPath.get(p);
        return e && !this.head.has(p) ? [{ side: "head" as const, entry: e }] : [];
      }),
    );
    if (unlisted.length) await this.readAtHead(this.commits.head, unlisted, async () => []);
  }

  /** Records what a checkout shows at paths capgate cannot see into (a link out of the tree, a submodule). */
  recordUnseen(side: Side, unseen: ReadonlyMap<string, string>): void {
    for (const [path, reason] of unseen) this.files(side).set(path, { state: "unseen", reason });
  }

  snapshot(
    side: Side,
    sha: string,
    agents: readonly string[],
    mcpConfigs: readonly string[],
    loadable: { skills: readonly string[]; commands: readonly string[] } = { skills: [], commands: [] },
    loads?: Loads,
  ): Snapshot {
    return { sha, files: this.files(side), agents, mcpConfigs, ...loadable, ...(loads ? { loads } : {}) };
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
    const state: FileState = !text.ok
      ? { state: "opaque", oid: entry.oid, reason: text.reason }
      : isLfsPointer(text.text)
        ? { state: "unseen", reason: "is a Git LFS pointer: its content is kept outside the repository" }
        : { state: "file", text: text.text, oid: entry.oid };
    this.blobs.set(entry.oid, state);
    return state;
  }
}

const sizeOf = (r: Resolved | undefined) => (r && !isUnresolved(r) ? r.size : undefined);
