import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/**
 * Where Cursor's CLI reads a project's permissions, `.cursor/cli.json`, and its rules
 * (`.cursor/rules/**\/*.mdc`: instructions, which pre-approve nothing), matched without regard to case.
 */
const CLI = placeMatcher([".cursor/cli.json"]);
const RULES = placeMatcher([".cursor/rules/**/*.{mdc,md}"]);

export const cursorPlaces: RuntimePlaces = {
  top: [".cursor"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const files = [...listing.files.keys()];
    const agents = files.filter((p) => CLI(p));
    return {
      found: {
        ...NOTHING_FOUND,
        agents: agents.map((path) => ({ path, source: "cursor" })),
        commands: files.filter((p) => RULES(p)),
      },
      more: { roots: [], read: [] },
    };
  },
};
