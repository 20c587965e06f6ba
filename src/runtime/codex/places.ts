import { placeMatcher } from "../../config/glob.js";
import { NOTHING_FOUND, type Discovery, type Listing, type RuntimePlaces } from "../places.js";

/**
 * Where Codex loads from in a repository: the project's `.codex/config.toml` (its session's
 * sandbox, approval policy, profiles and MCP servers), its sub-agent roles (`.codex/agents/*.toml`)
 * and the skills in `.agents/skills/` and `.codex/skills/`, matched without regard to case.
 */
const CONFIG = placeMatcher([".codex/config.toml"]);
const ROLES = placeMatcher([".codex/agents/**/*.toml"]);
const SKILLS = placeMatcher([".agents/skills/*/SKILL.md", ".codex/skills/*/SKILL.md"]);

export const codexPlaces: RuntimePlaces = {
  top: [".codex", ".agents"],
  folders: () => [],
  discover(listing: Listing): Discovery {
    const files = [...listing.files.keys()];
    const configs = files.filter((p) => CONFIG(p));
    // A role runs over the project's config: both declare it.
    const roles = files
      .filter((p) => ROLES(p))
      .map((path) => ({ path, source: "codex" as const, files: [...configs, path] }));
    const agents = configs;
    // A `.codex` folder capgate cannot see into may hold any config: the worst case.
    for (const p of listing.unseen.keys()) if (/^\.codex(\/config\.toml)?$/i.test(p)) agents.push(".codex/config.toml");
    const skills = files.filter((p) => SKILLS(p));
    for (const p of listing.unseen.keys())
      if (/^\.(agents|codex)\/skills\/[^/]+$/i.test(p)) skills.push(`${p}/SKILL.md`);
    return {
      found: {
        ...NOTHING_FOUND,
        agents: [...[...new Set(agents)].map((path) => ({ path, source: "codex" as const })), ...roles],
        skills,
      },
      more: { roots: [], read: [] },
    };
  },
};
