import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/**
 * Where Gemini CLI loads from in a repository (the folder it is started in): `.gemini/settings.json`,
 * its custom commands (`.gemini/commands/**\/*.toml`) and skills (`.gemini/skills/`), matched
 * without regard to case. Workspace extensions are no longer loaded (since 0.11).
 */
const SETTINGS = placeMatcher([".gemini/settings.json"]);
const COMMANDS = placeMatcher([".gemini/commands/**/*.toml"]);
const SKILLS = placeMatcher([".gemini/skills/*/SKILL.md"]);

export const geminiPlaces: RuntimePlaces = {
  top: [".gemini"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const files = [...listing.files.keys()];
    const agents = files.filter((p) => SETTINGS(p));
    // A `.gemini` folder capgate cannot see into may hold any settings: the worst case.
    for (const p of listing.unseen.keys())
      if (/^\.gemini(\/settings\.json)?$/i.test(p)) agents.push(".gemini/settings.json");
    return {
      found: {
        ...NOTHING_FOUND,
        agents: [...new Set(agents)].map((path) => ({ path, source: "gemini" })),
        commands: files.filter((p) => COMMANDS(p)),
        skills: files.filter((p) => SKILLS(p)),
      },
      more: { roots: [], read: [] },
    };
  },
};
