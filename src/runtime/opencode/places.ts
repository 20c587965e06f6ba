import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/**
 * Where OpenCode loads from in a repository: `opencode.json`/`opencode.jsonc` at the top and in
 * `.opencode/`, its markdown agents (`.opencode/agent(s)/**\/*.md`) and commands
 * (`.opencode/command(s)/**\/*.md`), matched without regard to case.
 */
const CONFIG = placeMatcher(["opencode.{json,jsonc}", ".opencode/opencode.{json,jsonc}"]);
const AGENTS = placeMatcher([".opencode/{agent,agents}/**/*.md"]);
const COMMANDS = placeMatcher([".opencode/{command,commands}/**/*.md"]);

export const opencodePlaces: RuntimePlaces = {
  top: ["opencode.json", "opencode.jsonc", ".opencode"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const files = [...listing.files.keys()];
    const agents = files.filter((p) => CONFIG(p) || AGENTS(p));
    for (const p of listing.unseen.keys()) if (/^\.opencode$/i.test(p)) agents.push(".opencode/opencode.json");
    return {
      found: {
        ...NOTHING_FOUND,
        agents: [...new Set(agents)].map((path) => ({ path, source: "opencode" })),
        commands: files.filter((p) => COMMANDS(p)),
      },
      more: { roots: [], read: [] },
    };
  },
};
