import { globBases, placeMatcher } from "../../config/glob.js";
import type { PluginLoad } from "../../input/types.js";
import type { Discovery, Found, Listing, PlacesConfig, RuntimePlaces } from "../places.js";
import { marketplaceFolders, PLUGIN_COMPONENTS, pluginsOf, type PluginFiles } from "./plugins.js";

/**
 * Where Claude Code loads from (its settings, subagents, skills, commands and plugins reference):
 * a `.claude` folder — the repository's, and any the config names — holds the project settings
 * (`settings.json`, and `settings.local.json` when it is committed: everyone who clones loads it),
 * the subagents (`agents/**`), the skills its agents may load (`skills/<name>/SKILL.md`) and the
 * slash commands (`commands/**`); a plugin holds its own, found through a marketplace
 * (`.claude-plugin/marketplace.json`), its manifest (`.claude-plugin/plugin.json`), or the
 * conventional `plugins/<name>/` folder. Every name is matched without regard to case.
 */

/** Where a plugin may be without a marketplace naming it. */
const PLUGIN_MANIFESTS = placeMatcher([".claude-plugin/plugin.json", "plugins/*/.claude-plugin/plugin.json"]);
const MARKETPLACE_PATH = ".claude-plugin/marketplace.json";
const MARKETPLACE = placeMatcher([MARKETPLACE_PATH]);

export const claudePlaces: RuntimePlaces = {
  top: [".claude", ".claude-plugin", "plugins"],
  folders: (config) => globBases(config.agentGlobs["claude-code"]).filter((b) => b !== ""),
  // A `.claude-plugin` folder at the top is most often a plugin there, whose components it will
  // name, or a marketplace, whose plugins' folders it names.
  ahead: {
    read: (top) => (top.has(".claude-plugin") ? [MARKETPLACE_PATH] : []),
    folders(top, read) {
      if (!top.has(".claude-plugin")) return [];
      const marketplace = read(MARKETPLACE_PATH);
      return [...PLUGIN_COMPONENTS, ...(marketplace === null ? [] : marketplaceFolders(MARKETPLACE_PATH, marketplace))];
    },
  },
  discover(listing, read, config): Discovery {
    const found: Found = { agents: [], mcpConfigs: [], skills: [], commands: [], plugins: [] };
    for (const root of claudeRoots(listing, config)) loadRoot(root, listing, found);
    const files = [...listing.files.keys()];
    const marketplaces = files.filter((p) => MARKETPLACE(p));
    const manifests = files.filter((p) => PLUGIN_MANIFESTS(p));
    const unread = [...marketplaces, ...manifests].filter((p) => read(p) === null);
    if (unread.length) return { found, more: { roots: [], read: unread } };
    const plugins = pluginsOf(listing, read, marketplaces, manifests);
    const roots = [...new Set(plugins.flatMap((p) => p.folders))].filter((r) => !listing.covers(r));
    const toRead = [...new Set(plugins.flatMap((p) => p.wants))].filter((p) => read(p) === null);
    if (roots.length || toRead.length) return { found, more: { roots, read: toRead } };
    for (const p of plugins) loadPlugin(p, found);
    return { found, more: { roots: [], read: [] } };
  },
};

/**
 * The `.claude` folders agents are loaded from: the repository's (however it is spelled), and
 * each one holding an `agents/` folder the config names (`packages/web/.claude`).
 */
function claudeRoots(listing: Listing, config: PlacesConfig): string[] {
  const roots = new Set<string>();
  const top = (p: string) => p.split("/", 1)[0]!;
  for (const p of [...listing.files.keys(), ...listing.unseen.keys()])
    if (top(p).toLowerCase() === ".claude") roots.add(top(p));
  for (const n of config.nested ?? []) if (/(^|\/)\.claude$/i.test(n)) roots.add(n);
  const configured = placeMatcher(config.agentGlobs["claude-code"]);
  for (const p of listing.files.keys()) {
    if (!configured(p)) continue;
    const at = p.toLowerCase().lastIndexOf("/agents/");
    if (at > 0) roots.add(p.slice(0, at));
  }
  return [...roots].sort();
}

/** What one `.claude` folder gives: the session its settings configure, its subagents, skills and commands. */
function loadRoot(root: string, listing: Listing, found: Found): void {
  const under = (glob: string) => placeMatcher([`${escapeGlob(root)}/${glob}`]);
  const hidden = unseenAt(listing, root);
  const layers = [...listing.files.keys()].filter(under("settings{,.local}.json")).sort(settingsFirst);
  for (const p of listing.unseen.keys()) if (under("settings{,.local}.json")(p)) layers.push(p);
  const agents = under("agents/**/*.md");
  for (const p of listing.files.keys()) if (agents(p)) found.agents.push({ path: p, source: "claude-code" });
  if (hidden("") || hidden("agents")) found.agents.push({ path: `${root}/agents`, source: "claude-code" });
  const before = { skills: found.skills.length, commands: found.commands.length };
  const skills = under("skills/*/SKILL.md");
  for (const p of listing.files.keys()) if (skills(p)) found.skills.push(p);
  for (const p of listing.unseen.keys()) if (under("skills/*")(p)) found.skills.push(`${p}/SKILL.md`);
  if (hidden("") || hidden("skills")) found.skills.push(`${root}/skills/*/SKILL.md`);
  const commands = under("commands/**/*.md");
  for (const p of listing.files.keys()) if (commands(p)) found.commands.push(p);
  if (hidden("") || hidden("commands")) found.commands.push(`${root}/commands/*.md`);
  // A `.claude` folder's session is configured by its settings, and given what its commands and
  // skills pre-approve and the workflows it runs; a folder the config names for its agents alone (a
  // plugin's) has none.
  const workflows = [...listing.files.keys()].some(under("workflows/**"));
  const given = found.skills.length > before.skills || found.commands.length > before.commands || workflows;
  if (!/(^|\/)\.claude$/i.test(root)) return;
  if (layers.length || given || hidden(""))
    found.agents.push({ path: `${root}/settings.json`, source: "claude-settings", files: layers, session: true });
}

/** `settings.json` before `settings.local.json`: the local settings are read over the shared ones. */
const settingsFirst = (a: string, b: string) => Number(/\.local\.json$/i.test(a)) - Number(/\.local\.json$/i.test(b));

/** Whether a place below a root (its name given without regard to case; "" for the root) cannot be seen into. */
function unseenAt(listing: Listing, root: string): (sub: string) => boolean {
  const hidden = new Set([...listing.unseen.keys()].map((p) => p.toLowerCase()));
  return (sub) => hidden.has((sub ? `${root}/${sub}` : root).toLowerCase());
}

/** What a plugin gives: its agents (run under whoever installs it), and its own session. */
function loadPlugin(p: PluginFiles, found: Found): void {
  const files = p.files ?? { agents: [], commands: [], skills: [], hooks: [], mcp: [] };
  const load: PluginLoad = {
    name: p.name,
    root: p.root,
    manifest: p.manifest,
    marketplace: p.marketplace,
    session: p.session,
    ...(p.unseen !== undefined ? { unseen: p.unseen } : {}),
    ...(p.refused !== undefined ? { refused: p.refused } : {}),
    ...files,
  };
  found.plugins.push(load);
  for (const a of files.agents) found.agents.push({ path: a, source: "claude-code", plugin: p.name });
  found.skills.push(...files.skills);
  found.commands.push(...files.commands);
  const declaring = [
    ...(p.manifest ? [p.manifest] : []),
    ...(p.marketplace ? [p.marketplace.path] : []),
    ...files.hooks,
    ...files.mcp,
    ...files.commands,
    ...files.skills,
  ];
  found.agents.push({ path: p.session, source: "claude-plugin", files: [...new Set(declaring)], plugin: p.name });
}

/** A path as a glob that matches only itself. */
function escapeGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, "\\$&");
}
