import type { AgentSource } from "../artifact/types.js";
import type { ConfiguredSource } from "../config/schema.js";
import type { PluginLoad } from "../input/types.js";

/**
 * Where runtimes load from, and what each finds there. A revision is listed as a checkout shows
 * it at the places the runtimes name — symbolic links inside the tree followed, what cannot be
 * seen (a link out of the tree, a submodule) said as such — and each runtime's module says what it
 * loads from that listing. The listing is made by the shell; what is found is pure, and recorded
 * in the decision's input.
 */

/** A file as a checkout shows it where a runtime loads from. */
export interface LoadedEntry {
  /** The path a checkout shows it at. */
  path: string;
  mode: string;
  oid: string;
  size?: number;
  /** The symbolic link crossed to reach it, when one was. */
  via?: string;
}

/** A revision's places as a checkout shows them. */
export interface Listing {
  /** Every file under the places, by the path a checkout shows it at. */
  files: ReadonlyMap<string, LoadedEntry>;
  /** Paths a checkout shows that capgate cannot see into, and why. */
  unseen: ReadonlyMap<string, string>;
  /** The symbolic links crossed, and the path each leads to. */
  links: ReadonlyMap<string, string>;
  /** Whether a folder (or file) was listed: what is not under it in `files` is not there. */
  covers(path: string): boolean;
}

/** An agent a runtime module found, and what declares it. */
export interface FoundAgent {
  path: string;
  source: AgentSource;
  /** The files that declare it, when they are not its own path alone (a session's settings layers). */
  files?: string[];
  /** The plugin it comes with, when it does: it runs under the settings of whoever installs it. */
  plugin?: string;
  /**
   * The runtime's own session in the repository: it runs wherever the runtime is started, and its
   * files only configure it, so it is there at both revisions when either has it.
   */
  session?: boolean;
}

/** What a runtime loads at a revision. */
export interface Found {
  agents: FoundAgent[];
  mcpConfigs: string[];
  /** `SKILL.md` of the skills its agents may load by themselves. */
  skills: string[];
  /** Commands its agents may run. */
  commands: string[];
  plugins: PluginLoad[];
  /** What runs unasked as CI does (local actions, the scripts a workflow runs): governance. A folder ends with `/`. */
  governance?: string[];
  /** The lock of what the MCP servers gave (`capgate.lock`), when there is one. */
  lock?: string[];
}

/** What a runtime module needs from the config to know where it loads from. */
export interface PlacesConfig {
  /** Further places the config names for a source (`artifacts.agent.claude-code`). */
  agentGlobs: Readonly<Record<ConfiguredSource, readonly string[]>>;
  /** The MCP configs the config names. */
  mcpGlobs: readonly string[];
  /**
   * Runtimes' folders below the top of the repository that a change touches (`packages/web/.claude`:
   * Claude Code started in `packages/web` loads it), listed with the rest.
   */
  nested?: readonly string[];
}

/** What a runtime found, and what it must still be shown: folders to list and manifests to read. */
export interface Discovery {
  found: Found;
  more: { roots: string[]; read: string[] };
}

export interface RuntimePlaces {
  /** The names at the top of a checkout it loads from, in lower case: matched without regard to case. */
  readonly top: readonly string[];
  /** Folders below the top it loads from, for the config it is given (the static part of its globs). */
  folders(config: PlacesConfig): string[];
  /**
   * Folders it will most likely ask for once its manifests are read: listed with its places, so
   * that asking later costs no listing of its own. Given the names at the top (in lower case),
   * `read` names the manifests at fixed paths it would read first, and `folders` is given their
   * text (null: not there, or no text). Only what `discover` then asks for is part of what it loads.
   */
  ahead?: {
    read(top: ReadonlySet<string>): string[];
    folders(top: ReadonlySet<string>, read: (path: string) => string | null): string[];
  };
  /** What it loads, from the listing and the manifests it asked to read (`read` gives a file's text). */
  discover(listing: Listing, read: (path: string) => string | null, config: PlacesConfig): Discovery;
}

export const NOTHING_FOUND: Found = { agents: [], mcpConfigs: [], skills: [], commands: [], plugins: [] };
