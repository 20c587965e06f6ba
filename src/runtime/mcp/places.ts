import { LOCK_PATH } from "../../artifact/lock.js";
import { globBases, placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type PlacesConfig, type RuntimePlaces } from "../places.js";

/**
 * Where MCP clients load servers from: the project files of Claude Code (`.mcp.json`), VS Code,
 * Cursor, Gemini CLI (and its extensions), Zed, Continue, Kiro and Amazon Q, without regard to case, and the
 * configs the config names.
 */
const CONFIGS = [
  ".mcp.json",
  ".vscode/mcp.json",
  ".cursor/mcp.json",
  ".gemini/settings.json",
  "gemini-extension.json",
  ".zed/settings.json",
  ".continue/mcpServers/*.{yaml,yml,json}",
  ".kiro/settings/mcp.json",
  ".amazonq/mcp.json",
];
const CONFIG_AT = placeMatcher(CONFIGS);

export const mcpPlaces: RuntimePlaces = {
  top: [
    LOCK_PATH,
    ".mcp.json",
    ".vscode",
    ".cursor",
    ".gemini",
    "gemini-extension.json",
    ".zed",
    ".continue",
    ".kiro",
    ".amazonq",
  ],
  folders: (config) => globBases(config.mcpGlobs).filter((b) => b !== ""),
  discover(listing: Listing, _read, config: PlacesConfig): Discovery {
    const configured = placeMatcher(config.mcpGlobs);
    const configs = [...listing.files.keys()].filter((p) => CONFIG_AT(p) || configured(p));
    // A config a checkout shows that capgate cannot see is read as the worst case by what reads it.
    const hidden = [...listing.unseen.keys()].filter((p) => CONFIG_AT(p));
    // The lock of what the servers gave is read with them, wherever the change is.
    const lock = listing.files.has(LOCK_PATH) || listing.unseen.has(LOCK_PATH) ? [LOCK_PATH] : [];
    return { found: { ...NOTHING_FOUND, mcpConfigs: [...configs, ...hidden], lock }, more: { roots: [], read: [] } };
  },
};
