import type { Loads } from "../input/types.js";
import type { Discovery, Found, Listing, PlacesConfig } from "./places.js";
import { RUNTIME_PLACES } from "./registry.js";

/**
 * What every runtime finds in a listing, given the manifests read so far: what each loads, and
 * the folders still to list and the manifests still to read before it knows all of it.
 */
export function discoverIn(
  listing: Listing,
  read: (path: string) => string | null,
  config: PlacesConfig,
): { found: Found; more: Discovery["more"] } {
  const discoveries = RUNTIME_PLACES.map((p) => p.discover(listing, read, config));
  return {
    found: merged(discoveries.map((d) => d.found)),
    more: {
      roots: [...new Set(discoveries.flatMap((d) => d.more.roots))],
      read: [...new Set(discoveries.flatMap((d) => d.more.read))],
    },
  };
}

/** A name at the top of a tree: what `placesAhead` is given. */
type TopEntry = { path: string; type: string };

const namesOf = (top: readonly TopEntry[]) => new Set(top.map((e) => e.path.toLowerCase()));

/** The manifests the runtimes would read first, given the entries at the top: read before `placesAhead`. */
export function manifestsAhead(top: readonly TopEntry[]): string[] {
  const names = namesOf(top);
  return [...new Set(RUNTIME_PLACES.flatMap((p) => p.ahead?.read(names) ?? []))];
}

/**
 * The folders worth listing with the places, given the entries at the top and the text of the
 * manifests `manifestsAhead` named: those the runtimes will most likely ask for once their
 * manifests are read, and a top-level `skills/` folder, where the Agent Skills convention keeps
 * the skills that agents of any runtime (capgate's manifests too) name by folder and that a
 * change to a skill's files is read from. Listing them costs the first listing a few entries;
 * asking for them later, a listing of its own. What is listed ahead is loaded only when a runtime
 * asks for it.
 */
export function placesAhead(top: readonly TopEntry[], read: (path: string) => string | null = () => null): string[] {
  const names = namesOf(top);
  const skills = top.filter((e) => e.type === "tree" && e.path.toLowerCase() === "skills").map((e) => e.path);
  return [...new Set([...RUNTIME_PLACES.flatMap((p) => p.ahead?.folders(names, read) ?? []), ...skills])];
}

/** The top-level names and the folders every runtime loads from, for the config given. */
export function placesToList(config: PlacesConfig): { top: string[]; folders: string[] } {
  return {
    top: [...new Set(RUNTIME_PLACES.flatMap((p) => p.top))],
    folders: [...new Set([...RUNTIME_PLACES.flatMap((p) => p.folders(config)), ...(config.nested ?? [])])],
  };
}

function merged(found: readonly Found[]): Found {
  const unique = (list: string[]) => [...new Set(list)].sort(byText);
  const agents = new Map(found.flatMap((f) => f.agents).map((a) => [a.path, a]));
  return {
    agents: [...agents.values()].sort((a, b) => byText(a.path, b.path)),
    mcpConfigs: unique(found.flatMap((f) => f.mcpConfigs)),
    skills: unique(found.flatMap((f) => f.skills)),
    commands: unique(found.flatMap((f) => f.commands)),
    plugins: found.flatMap((f) => f.plugins),
    governance: unique(found.flatMap((f) => f.governance ?? [])),
    lock: unique(found.flatMap((f) => f.lock ?? [])),
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** What a revision's snapshot records of what its runtimes load. */
export function loadsRecord(listing: Listing, found: Found): Loads {
  const agents: Loads["agents"] = Object.create(null) as Loads["agents"];
  for (const a of found.agents)
    agents[a.path] = {
      source: a.source,
      ...(a.files ? { files: a.files } : {}),
      ...(a.plugin !== undefined ? { plugin: a.plugin } : {}),
    };
  return {
    agents,
    unseen: Object.fromEntries(listing.unseen),
    links: Object.fromEntries(listing.links),
    mcpConfigs: found.mcpConfigs,
    plugins: found.plugins,
    governance: found.governance ?? [],
  };
}

/** Every path a revision's runtimes load, for the read stages: agents and the files that declare them, configs, skills, commands. */
export function loadedPaths(found: Found): string[] {
  return [
    ...new Set([
      ...found.agents.flatMap((a) => [a.path, ...(a.files ?? [])]),
      ...found.mcpConfigs,
      ...(found.lock ?? []),
      ...found.skills,
      ...found.commands,
      ...found.plugins.flatMap((p) => [
        ...p.hooks,
        ...p.mcp,
        ...(p.manifest ? [p.manifest] : []),
        ...(p.marketplace ? [p.marketplace.path] : []),
      ]),
    ]),
  ];
}

/** The names of the folders a runtime loads from wherever they are (matched without regard to case). */
const NESTED = new Set([".claude"]);

/** The runtimes' folders below the top that the paths are in: `packages/web/.claude` for `packages/web/.claude/skills/x/SKILL.md`. */
export function nestedPlaces(paths: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const parts = p.split("/");
    for (let i = 1; i < parts.length - 1; i++)
      if (NESTED.has(parts[i]!.toLowerCase())) out.add(parts.slice(0, i + 1).join("/"));
  }
  return [...out].sort(byText);
}
