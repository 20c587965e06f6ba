import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/** Where Cursor's CLI reads a project's permissions: `.cursor/cli.json`, matched without regard to case. */
const CLI = placeMatcher([".cursor/cli.json"]);

export const cursorPlaces: RuntimePlaces = {
  top: [".cursor"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const agents = [...listing.files.keys()].filter((p) => CLI(p));
    return {
      found: { ...NOTHING_FOUND, agents: agents.map((path) => ({ path, source: "cursor" })) },
      more: { roots: [], read: [] },
    };
  },
};
