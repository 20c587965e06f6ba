import { posix } from "node:path";
import { isMap } from "../../artifact/prompt.js";
import { normalizeRef } from "../../common/paths.js";
import { placeMatcher } from "../../config/glob.js";
import type { PluginLoad } from "../../input/types.js";
import { fail, ok, type Parsed } from "../../parse/result.js";
import type { Listing } from "../places.js";
import { claudeList } from "./agent.js";

/**
 * Claude Code's plugins and marketplaces, read as its published package (2.1.332) reads them
 * (decision 20):
 *
 * - a marketplace (`.claude-plugin/marketplace.json`) lists plugins; an entry's `source` is a
 *   folder of the repository (`./plugins/x`, resolved from the folder holding `.claude-plugin/`,
 *   or a bare name under `metadata.pluginRoot`) or somewhere else (a GitHub repository, a git or
 *   archive URL, an npm package, a command): then what it holds cannot be seen;
 * - a plugin's manifest (`.claude-plugin/plugin.json`) may name its `agents` and `commands`, which
 *   then replace its `agents/` and `commands/` folders, and `skills`, `hooks` and `mcpServers`,
 *   which add to `skills/`, `hooks/hooks.json` and `.mcp.json`; each path starts with `./` and stays
 *   in the plugin's folder, else Claude Code refuses it;
 * - with no manifest, the marketplace entry is the manifest; with one, the entry's components are
 *   added to the manifest's, and `strict: false` with components in both is a conflict that stops
 *   the plugin loading.
 */

/** What a manifest (or a marketplace entry standing for one) declares of a plugin's components. */
export interface PluginDecl {
  name: string | null;
  /** Agent files or folders; null when the key is not there (its `agents/` folder is read). */
  agents: string[] | null;
  /** Command files or folders; null when the key is not there (its `commands/` folder is read). */
  commands: string[] | null;
  /** Commands written in the manifest itself, with what they pre-approve. */
  inlineCommands: { name: string; allowedTools: string[] }[];
  /** Further folders of skills. */
  skills: string[];
  /** Hooks files, and hooks written in the manifest itself. */
  hookFiles: string[];
  inlineHooks: unknown[];
  /** MCP configs, and servers written in the manifest itself (a map of servers each). */
  mcpFiles: string[];
  inlineServers: Record<string, unknown>[];
  /** Paths Claude Code refuses: not starting with `./`, or leaving the plugin's folder. */
  refused: string[];
  /** Whether it names any component at all. */
  hasComponents: boolean;
}

/** A plugin of the repository, and what a runtime must read or list to know its files. */
export interface PluginFiles extends Omit<PluginLoad, "agents" | "commands" | "skills" | "hooks" | "mcp"> {
  /** Its files, once known; null when its content cannot be seen. */
  files: { agents: string[]; commands: string[]; skills: string[]; hooks: string[]; mcp: string[] } | null;
  /** Files to read before its files are known (its manifest). */
  wants: string[];
  /** Folders to list to know its files. */
  folders: string[];
}

/** Reads a plugin manifest (or a marketplace entry as one). */
export function readDecl(v: Record<string, unknown>): PluginDecl {
  const refused: string[] = [];
  const paths = (x: unknown): string[] => {
    const list =
      typeof x === "string" ? [x] : Array.isArray(x) ? x.filter((p): p is string => typeof p === "string") : [];
    const out: string[] = [];
    for (const p of list) {
      if (!p.startsWith("./") && p !== ".") refused.push(p);
      else {
        const n = p === "." || p === "./" ? "" : normalizeRef(p);
        if (n === null) refused.push(p);
        else out.push(n);
      }
    }
    return out;
  };
  const inlineCommands: PluginDecl["inlineCommands"] = [];
  if (isMap(v.commands))
    for (const [name, c] of Object.entries(v.commands))
      inlineCommands.push({ name, allowedTools: isMap(c) ? claudeList(c.allowedTools ?? c["allowed-tools"]) : [] });
  const objects = (x: unknown) => (Array.isArray(x) ? x : x === undefined ? [] : [x]).filter(isMap);
  const fileEntries = (x: unknown) => (Array.isArray(x) ? x : [x]).filter((e): e is string => typeof e === "string");
  const components = ["agents", "commands", "skills", "hooks", "mcpServers"].some((k) => v[k] !== undefined);
  return {
    name: typeof v.name === "string" && v.name.trim() ? v.name.trim() : null,
    agents: v.agents === undefined ? null : paths(v.agents),
    commands: v.commands === undefined ? null : isMap(v.commands) ? [] : paths(v.commands),
    inlineCommands,
    skills: paths(v.skills),
    hookFiles: paths(fileEntries(v.hooks)),
    inlineHooks: objects(v.hooks),
    mcpFiles: paths(fileEntries(v.mcpServers).filter((p) => !p.includes("://"))),
    inlineServers: objects(v.mcpServers),
    refused,
    hasComponents: components,
  };
}

/** A marketplace's entries: each plugin's name, where it is, and what the entry declares. */
export interface MarketplaceEntry {
  name: string;
  /** Its folder in the repository, or why it is elsewhere. */
  source: { root: string } | { outside: string };
  strict: boolean;
  decl: PluginDecl;
}

export function readMarketplace(path: string, text: string): Parsed<{ name: string; entries: MarketplaceEntry[] }> {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return fail(path, `not valid JSON (${(e as Error).message}): Claude Code cannot read this marketplace`);
  }
  if (!isMap(v) || !Array.isArray(v.plugins)) return fail(path, "a marketplace needs a `plugins` list");
  const home = posix.dirname(posix.dirname(path));
  const base = home === "." ? "" : home;
  const meta = isMap(v.metadata) ? v.metadata : {};
  const pluginRoot = typeof meta.pluginRoot === "string" ? normalizeRef(meta.pluginRoot) : null;
  const entries: MarketplaceEntry[] = [];
  for (const e of v.plugins) {
    if (!isMap(e) || typeof e.name !== "string" || !e.name.trim()) continue;
    entries.push({
      name: e.name.trim(),
      source: sourceOf(e.source, base, pluginRoot),
      strict: e.strict !== false,
      decl: readDecl(e),
    });
  }
  return ok({ name: typeof v.name === "string" ? v.name : posix.basename(base || "."), entries });
}

/** Each entry of a marketplace as its canonical JSON, by name: two revisions' entries compare by what they say, not how they are written. */
export function readMarketplaceEntries(path: string, text: string): Parsed<Map<string, string>> {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return fail(path, `not valid JSON (${(e as Error).message})`);
  }
  if (!isMap(v) || !Array.isArray(v.plugins)) return fail(path, "a marketplace needs a `plugins` list");
  const out = new Map<string, string>();
  for (const e of v.plugins) if (isMap(e) && typeof e.name === "string") out.set(e.name.trim(), canonical(e));
  return ok(out);
}

/** A JSON value written one way: keys sorted, no spaces. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (isMap(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** Where an entry's plugin is: a folder of the repository, or somewhere capgate cannot see. */
function sourceOf(s: unknown, base: string, pluginRoot: string | null): MarketplaceEntry["source"] {
  const join = (p: string) => normalizeRef(posix.join(base || ".", p)) ?? (p === "." || p === "./" ? base : null);
  if (typeof s === "string") {
    if (s === "." || s === "./") return { root: base };
    if (s.startsWith("./")) {
      const root = join(s);
      return root === null ? { outside: `${s} leaves the repository` } : { root };
    }
    if (/^[A-Za-z0-9][-A-Za-z0-9._]*$/.test(s) && !s.includes("..") && pluginRoot !== null) {
      const root = join(posix.join(pluginRoot, s));
      return root === null ? { outside: `${s} leaves the repository` } : { root };
    }
    return { outside: `source ${JSON.stringify(s).slice(0, 120)}` };
  }
  if (isMap(s)) {
    const where = [s.source, s.repo, s.url, s.path, s.package, s.command].filter((x) => typeof x === "string");
    return { outside: `source ${where.join(" ").slice(0, 160) || "of an unknown kind"}` };
  }
  return { outside: "no readable source" };
}

/** A plugin manifest's text, read. */
export function readManifest(path: string, text: string): Parsed<PluginDecl> {
  let v: unknown;
  try {
    v = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    return fail(path, `not valid JSON (${(e as Error).message}): Claude Code cannot load this plugin`);
  }
  if (!isMap(v)) return fail(path, "a plugin manifest must be a JSON object");
  return ok(readDecl(v));
}

const MANIFEST = ".claude-plugin/plugin.json";

/**
 * The plugins of a revision: each marketplace's entries, and each manifest no marketplace names
 * (a plugin at the top of the repository, or under `plugins/`), with what a runtime must still
 * read and list to know their files.
 */
export function pluginsOf(
  listing: Listing,
  read: (path: string) => string | null,
  marketplaces: readonly string[],
  manifests: readonly string[],
): PluginFiles[] {
  const out = new Map<string, PluginFiles>();
  const manifestAt = (root: string) => findFile(listing, root === "" ? MANIFEST : `${root}/${MANIFEST}`);
  const roots = new Set<string>();
  for (const m of marketplaces) {
    const r = readMarketplace(m, read(m) ?? "");
    if (!r.ok) continue;
    // Entries may share a folder (`"source": "./"`), each naming its own components: each is a plugin.
    const sharing = new Map<string, number>();
    for (const e of r.value.entries)
      if ("root" in e.source) sharing.set(e.source.root, (sharing.get(e.source.root) ?? 0) + 1);
    for (const e of r.value.entries) {
      const key = `${m}#${e.name}`;
      if (out.has(key)) continue;
      const shared = "root" in e.source && sharing.get(e.source.root)! > 1;
      const files = pluginFiles(e.name, e.source, { path: m, entry: e.name }, e, manifestAt, listing, read);
      out.set(key, shared ? { ...files, session: key } : files);
      if ("root" in e.source) roots.add(e.source.root);
    }
  }
  for (const path of manifests) {
    if (!path.toLowerCase().endsWith(MANIFEST)) continue;
    const root = path.length === MANIFEST.length ? "" : path.slice(0, -MANIFEST.length - 1);
    if (roots.has(root) || out.has(`root:${root}`)) continue;
    const decl = read(path) === null ? null : readManifest(path, read(path) ?? "");
    const name = (decl?.ok && decl.value.name) || posix.basename(root || ".");
    out.set(`root:${root}`, pluginFiles(name, { root }, null, null, manifestAt, listing, read));
  }
  return [...out.values()].sort((a, b) => (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
}

function pluginFiles(
  name: string,
  source: MarketplaceEntry["source"],
  marketplace: PluginLoad["marketplace"],
  entry: MarketplaceEntry | null,
  manifestAt: (root: string) => string | null,
  listing: Listing,
  read: (path: string) => string | null,
): PluginFiles {
  if ("outside" in source) {
    const session = `${marketplace!.path}#${name}`;
    return {
      name,
      root: "",
      manifest: null,
      marketplace,
      session,
      unseen: source.outside,
      files: null,
      wants: [],
      folders: [],
    };
  }
  const root = source.root;
  const manifest = manifestAt(root);
  const session = manifest ?? `${root === "" ? "" : `${root}/`}${MANIFEST}`;
  const base = { name, root, manifest, marketplace, session };
  const text = manifest ? read(manifest) : "";
  if (text === null) return { ...base, files: null, wants: [manifest!], folders: [] };
  const own = manifest ? readManifest(manifest, text) : null;
  if (own && !own.ok) return { ...base, refused: own.error.reason, files: EMPTY_FILES, wants: [], folders: [] };
  const decls = [own?.ok ? own.value : null, entry?.decl ?? null].filter((d): d is PluginDecl => d !== null);
  if (own?.ok && entry && !entry.strict && entry.decl.hasComponents && own.value.hasComponents)
    return {
      ...base,
      refused: "its marketplace entry (strict: false) and its manifest both name components",
      files: EMPTY_FILES,
      wants: [],
      folders: [],
    };
  const folders = foldersOf(root, decls);
  if (folders.some((f) => !listing.covers(f))) return { ...base, files: null, wants: [], folders };
  return { ...base, files: filesOf(root, decls, listing), wants: [], folders };
}

const EMPTY_FILES = { agents: [], commands: [], skills: [], hooks: [], mcp: [] };

/** Where a plugin's components are unless its manifest names more: folders (and files) below its root. */
export const PLUGIN_COMPONENTS: readonly string[] = [
  "agents",
  "commands",
  "skills",
  "hooks",
  ".mcp.json",
  ".claude-plugin",
];

/**
 * The folders a marketplace's plugins in the repository keep their components in, as far as the
 * marketplace itself says (a plugin's own manifest may name more); none when it cannot be read.
 */
export function marketplaceFolders(path: string, text: string): string[] {
  const m = readMarketplace(path, text);
  if (!m.ok) return [];
  return m.value.entries.flatMap((e) => ("root" in e.source ? foldersOf(e.source.root, [e.decl]) : []));
}

/** The folders (and files) a plugin's components are in, to be listed. */
function foldersOf(root: string, decls: readonly PluginDecl[]): string[] {
  const at = (p: string) => (root === "" ? p : p === "" ? root : `${root}/${p}`);
  const named = decls.flatMap((d) => [
    ...(d.agents ?? []),
    ...(d.commands ?? []),
    ...d.skills,
    ...d.hookFiles,
    ...d.mcpFiles,
  ]);
  return [...new Set([...PLUGIN_COMPONENTS, ...named].map(at))].filter((p) => p !== "");
}

/** What a plugin loads, once its folders are listed. */
function filesOf(root: string, decls: readonly PluginDecl[], listing: Listing): NonNullable<PluginFiles["files"]> {
  const at = (p: string) => (root === "" ? p : p === "" ? root : `${root}/${p}`);
  const files = [...listing.files.keys()];
  const under = (dir: string, test: (p: string) => boolean) =>
    files.filter((p) => (dir === "" ? true : p === dir || p.startsWith(`${dir}/`)) && test(p));
  const md = (p: string) => p.endsWith(".md");
  const named = (key: "agents" | "commands") => {
    const lists = decls.map((d) => d[key]).filter((l): l is string[] => l !== null);
    return lists.length ? lists.flat() : null;
  };
  const agentPaths = named("agents") ?? ["agents"];
  const commandPaths = named("commands") ?? ["commands"];
  const skillDirs = ["skills", ...decls.flatMap((d) => d.skills)];
  const skillAt = placeMatcher([`*/SKILL.md`]);
  return {
    agents: [...new Set(agentPaths.flatMap((p) => under(at(p), md)))].sort(),
    commands: [...new Set(commandPaths.flatMap((p) => under(at(p), md)))].sort(),
    skills: [
      ...new Set(
        skillDirs.flatMap((d) => {
          const dir = at(d);
          return files.filter((p) =>
            dir === "" ? skillAt(p) : p.startsWith(`${dir}/`) && skillAt(p.slice(dir.length + 1)),
          );
        }),
      ),
    ].sort(),
    hooks: [...new Set([at("hooks/hooks.json"), ...decls.flatMap((d) => d.hookFiles.map(at))])].filter((p) =>
      listing.files.has(p),
    ),
    mcp: [...new Set([at(".mcp.json"), ...decls.flatMap((d) => d.mcpFiles.map(at))])].filter((p) =>
      listing.files.has(p),
    ),
  };
}

/** A file of the listing at a path, found without regard to case. */
function findFile(listing: Listing, path: string): string | null {
  if (listing.files.has(path)) return path;
  const lower = path.toLowerCase();
  for (const p of listing.files.keys()) if (p.toLowerCase() === lower) return p;
  return null;
}
