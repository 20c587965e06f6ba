import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type PlacesConfig, type RuntimePlaces } from "../places.js";
import { globBases } from "../../config/glob.js";

/**
 * Where Copilot loads agents from: custom agents (`.github/agents/`), chat modes (the legacy
 * `.github/chatmodes/`) and prompt files (`.github/prompts/`), without regard to case, and any
 * folder the config names.
 */
const AGENTS = [".github/agents/**/*.md", ".github/chatmodes/**/*.chatmode.md", ".github/prompts/**/*.prompt.md"];
const AGENTS_AT = placeMatcher(AGENTS);

export const copilotPlaces: RuntimePlaces = {
  top: [".github"],
  folders: (config) => globBases(config.agentGlobs.copilot).filter((b) => b !== ""),
  discover(listing: Listing, _read, config: PlacesConfig): Discovery {
    const configured = placeMatcher(config.agentGlobs.copilot);
    const agents = [...listing.files.keys()].filter((p) => AGENTS_AT(p) || configured(p));
    // What Copilot would load from a folder capgate cannot see into is the worst case.
    const hidden = [...listing.unseen.keys()].filter((p) => /^\.github(\/agents)?$/i.test(p));
    return {
      found: {
        ...NOTHING_FOUND,
        agents: [...agents, ...hidden.map((p) => (/agents$/i.test(p) ? p : `${p}/agents`))].map((path) => ({
          path,
          source: "copilot",
        })),
      },
      more: { roots: [], read: [] },
    };
  },
};
