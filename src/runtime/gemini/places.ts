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
  top: [".gemini", "gemini.md"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const files = [...listing.files.keys()];
    const settings = files.filter((p) => SETTINGS(p));
    const commands = files.filter((p) => COMMANDS(p));
    const skills = files.filter((p) => SKILLS(p));
    // The session runs wherever Gemini CLI is started: it is there when anything of it is, settings
    // or not; a `.gemini` folder capgate cannot see into may hold any settings (the worst case).
    const unseen = [...listing.unseen.keys()].some((p) => /^\.gemini(\/settings\.json)?$/i.test(p));
    const any = settings.length + commands.length + skills.length > 0 || files.some((p) => /^gemini\.md$/i.test(p));
    const agents =
      any || unseen
        ? [{ path: settings[0] ?? ".gemini/settings.json", source: "gemini" as const, files: settings, session: true }]
        : [];
    return { found: { ...NOTHING_FOUND, agents, commands, skills }, more: { roots: [], read: [] } };
  },
};
