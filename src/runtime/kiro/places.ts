import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/**
 * Where Kiro and Amazon Q Developer CLI load agents from in a repository: `.kiro/agents/**\/*.json`
 * and `.amazonq/cli-agents/*.json`, matched without regard to case. Their MCP configs
 * (`.kiro/settings/mcp.json`, `.amazonq/mcp.json`) are read with the other clients' (`mcp/`).
 */
const AGENTS = placeMatcher([".kiro/agents/**/*.json", ".amazonq/cli-agents/*.json"]);

export const kiroPlaces: RuntimePlaces = {
  top: [".kiro", ".amazonq"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const agents = [...listing.files.keys()].filter((p) => AGENTS(p));
    // A folder of agents capgate cannot see into may hold any agent: the worst case.
    for (const p of listing.unseen.keys())
      if (/^\.(kiro\/agents|amazonq\/cli-agents)$/i.test(p)) agents.push(`${p}/*.json`);
    return {
      found: { ...NOTHING_FOUND, agents: agents.map((path) => ({ path, source: "kiro" })) },
      more: { roots: [], read: [] },
    };
  },
};
