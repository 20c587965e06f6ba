import type { Git, RawChange } from "../git/git.js";
import type { ObjectReader } from "../git/objects.js";
import type { TreeListing } from "../git/trees.js";
import type { Side } from "../input/types.js";
import type { ChangeEntry, Entry } from "../plan/reads.js";
import { discoverIn, placesToList } from "../runtime/discover.js";
import type { Found, Listing, LoadedEntry, PlacesConfig } from "../runtime/places.js";
import { decodeText } from "./blob.js";
import { PlacesLister } from "./places.js";

/**
 * What the runtimes load at a revision: its places listed as a checkout shows them, and what each
 * runtime's module found there. Manifests that name further places (a marketplace naming its
 * plugins, a plugin naming its agents) are read and their places listed, a few rounds at most.
 */
export interface RevisionLoads {
  listing: Listing;
  found: Found;
}

/** Rounds of manifests naming places: marketplace → plugins → their manifests → what they name. */
const MAX_ROUNDS = 6;

export async function loadsAt(
  git: Git,
  objects: ObjectReader,
  trees: Record<Side, TreeListing>,
  config: PlacesConfig,
): Promise<Record<Side, RevisionLoads>> {
  const [base, head] = await Promise.all([
    loadsOf(git, objects, trees.base, config),
    trees.head.rev === trees.base.rev ? null : loadsOf(git, objects, trees.head, config),
  ]);
  if (head) bothWays(base.found, head.found);
  return { base, head: head ?? base };
}

/** A runtime's session either revision has is there at both: what the other lacks is only its configuration. */
function bothWays(base: Found, head: Found): void {
  for (const [from, to] of [
    [base, head],
    [head, base],
  ] as const) {
    const there = new Set(to.agents.map((a) => a.path));
    for (const a of from.agents)
      if (a.session && !there.has(a.path)) to.agents.push({ path: a.path, source: a.source, files: [], session: true });
    to.agents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

async function loadsOf(
  git: Git,
  objects: ObjectReader,
  tree: TreeListing,
  config: PlacesConfig,
): Promise<RevisionLoads> {
  const lister = new PlacesLister(tree, git, objects);
  const places = placesToList(config);
  await lister.list(places.top, places.folders);
  const texts = new Map<string, string>();
  const read = (path: string) => texts.get(path) ?? null;
  let found = discoverIn(lister.listing(), read, config);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const wanted = found.more.read.filter((p) => !texts.has(p));
    if (found.more.roots.length === 0 && wanted.length === 0) break;
    await Promise.all([lister.list([], found.more.roots), readTexts(objects, lister.listing(), wanted, texts)]);
    found = discoverIn(lister.listing(), read, config);
  }
  return { listing: lister.listing(), found: found.found };
}

/**
 * Reads the manifests a runtime asked for. One that cannot be read as text is read as empty: the
 * module that asked says what it makes of a manifest it cannot parse.
 */
async function readTexts(
  objects: ObjectReader,
  listing: Listing,
  paths: readonly string[],
  texts: Map<string, string>,
): Promise<void> {
  const entries = paths.map((p) => listing.files.get(p)).filter((e): e is LoadedEntry => e !== undefined);
  await objects.prefetch(entries.map((e) => e.oid));
  const blobs = await objects.contents(entries.map((e) => e.oid));
  for (const p of paths) {
    const e = listing.files.get(p);
    const bytes = e ? blobs.get(e.oid) : undefined;
    const text = bytes ? decodeText(bytes) : null;
    texts.set(p, text?.ok ? text.text : "");
  }
}

/**
 * The changes to what the runtimes load that the diff does not name: a file a checkout shows
 * through a symbolic link whose target changed (or whose link did), and a place that became, or
 * stopped being, one capgate cannot see into. Only what both revisions' listings cover is
 * compared — a place only one of them lists is a change in what is loaded, not in its content —
 * except below a link the diff adds, removes or retargets: all a checkout shows there changed.
 */
export function loadedChanges(base: Listing, head: Listing, diff: readonly RawChange[]): ChangeEntry[] {
  const named = new Set(diff.flatMap((c) => [c.path, c.oldPath]));
  const paths = new Set([...base.files.keys(), ...head.files.keys(), ...base.unseen.keys(), ...head.unseen.keys()]);
  const out: ChangeEntry[] = [];
  const throughChangedLink = (e: LoadedEntry | undefined) => e?.via !== undefined && named.has(e.via);
  for (const path of [...paths].sort()) {
    if (named.has(path)) continue;
    const b = base.files.get(path);
    const h = head.files.get(path);
    const compared = base.covers(path) && head.covers(path);
    if (!compared && !throughChangedLink(b) && !throughChangedLink(h)) continue;
    const bu = base.unseen.get(path);
    const hu = head.unseen.get(path);
    if (b && h && b.oid === h.oid) continue;
    if (!b && !h && bu === hu) continue;
    const before = b !== undefined || bu !== undefined;
    const after = h !== undefined || hu !== undefined;
    const status = !before ? "added" : !after ? "deleted" : "modified";
    const via = h?.via ?? b?.via;
    out.push({
      change: {
        path,
        oldPath: path,
        status,
        contentChanged: true,
        headMode: after ? (h?.mode ?? "160000") : null,
        ...(via ? { via } : {}),
      },
      ...(b ? { base: entryOf(b) } : {}),
      ...(h ? { head: entryOf(h) } : {}),
    });
  }
  return out;
}

const entryOf = (e: LoadedEntry): Entry => ({
  path: e.path,
  mode: e.mode,
  oid: e.oid,
  ...(e.size !== undefined ? { size: e.size } : {}),
});

/**
 * The paths a checkout shows through symbolic links, also at the paths the links lead to in the
 * tree (`team/agents/x.md` for `.claude/agents/x.md` when `.claude/agents` links to `team/agents`):
 * a change the diff names there is what the runtime loads.
 */
export function throughLinks(paths: Iterable<string>, listings: readonly Listing[]): Set<string> {
  const out = new Set(paths);
  let round = [...out];
  for (let depth = 0; round.length > 0 && depth < 8; depth++) {
    const next: string[] = [];
    for (const { links } of listings)
      for (const [link, target] of links) {
        if (!target || target.startsWith("/") || target.startsWith("..") || target === link) continue;
        for (const p of round) {
          const at = p === link ? target : p.startsWith(`${link}/`) ? target + p.slice(link.length) : null;
          if (at !== null && !out.has(at)) {
            out.add(at);
            next.push(at);
          }
        }
      }
    round = next;
  }
  return out;
}

/** The entries of what a revision's runtimes load that the decision reads from the start: their agents' declarations, MCP configs and commands. */
export function loadedEntries(r: RevisionLoads, side: "base" | "head"): { side: "base" | "head"; entry: Entry }[] {
  const paths = new Set([
    ...r.found.agents.flatMap((a) => [a.path, ...(a.files ?? [])]),
    ...r.found.mcpConfigs,
    ...(r.found.lock ?? []),
    ...r.found.plugins.flatMap((p) => [...p.hooks, ...p.mcp]),
    // Commands name the scripts they pre-approve: what reaches an agent through one is known only once read.
    ...r.found.commands,
  ]);
  const out: { side: "base" | "head"; entry: Entry }[] = [];
  for (const p of paths) {
    const e = r.listing.files.get(p);
    if (e)
      out.push({
        side,
        entry: { path: e.path, mode: e.mode, oid: e.oid, ...(e.size !== undefined ? { size: e.size } : {}) },
      });
  }
  return out;
}
