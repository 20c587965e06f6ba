import { describe, expect, it } from "vitest";
import { discoverIn, manifestsAhead, placesAhead } from "../../src/runtime/discover.js";
import type { Listing, LoadedEntry, PlacesConfig } from "../../src/runtime/places.js";

const CONFIG: PlacesConfig = {
  agentGlobs: { capgate: ["agents/**/*.yaml"], "claude-code": [], "claude-settings": [], copilot: [] },
  mcpGlobs: [".mcp.json"],
};

/** A listing of these files, covering the folders given. */
function listing(files: Record<string, string>, covered: readonly string[]): Listing {
  const entries = new Map<string, LoadedEntry>(
    Object.keys(files).map((path) => [path, { path, mode: "100644", oid: "0".repeat(40) }]),
  );
  const covers = (p: string) => covered.some((c) => p === c || p.startsWith(`${c}/`));
  return { files: entries, unseen: new Map(), links: new Map(), covers };
}

const tree = (path: string) => ({ path, type: "tree" });
const blob = (path: string) => ({ path, type: "blob" });

describe("the folders listed ahead with the places", () => {
  it("a plugin at the top: the folders its manifest then asks for are among them", () => {
    const files = { ".claude-plugin/plugin.json": JSON.stringify({ name: "helper", version: "1.0.0" }) };
    const first = discoverIn(listing(files, [".claude-plugin"]), (p) => files[p as keyof typeof files] ?? null, CONFIG);
    expect(first.more.roots.length).toBeGreaterThan(0);
    const ahead = placesAhead([tree(".claude-plugin"), tree("commands"), blob("README.md")]);
    expect(ahead).toEqual(expect.arrayContaining(first.more.roots));
  });

  it("a marketplace at the top: read first, the folders of the plugins it names are among them", () => {
    const marketplace = JSON.stringify({
      name: "tools",
      plugins: [
        { name: "asana", source: "./external/asana" },
        { name: "lint", source: "./plugins/lint", commands: ["./extra/commands"] },
        { name: "far", source: { source: "github", repo: "acme/far" } },
      ],
    });
    const files: Record<string, string> = { ".claude-plugin/marketplace.json": marketplace };
    const read = (p: string) => files[p] ?? null;
    const top = [tree(".claude-plugin"), tree("external"), tree("plugins")];
    expect(manifestsAhead(top)).toEqual([".claude-plugin/marketplace.json"]);
    const first = discoverIn(listing(files, [".claude-plugin"]), read, CONFIG);
    expect(first.more.roots).toContain("external/asana/commands");
    expect(first.more.roots).toContain("plugins/lint/extra/commands");
    expect(placesAhead(top, read)).toEqual(expect.arrayContaining(first.more.roots));
    // Nothing to read without a `.claude-plugin` at the top, and a marketplace that is no JSON names nothing more.
    expect(manifestsAhead([tree(".claude")])).toEqual([]);
    expect(placesAhead(top, () => "{not json")).toEqual(placesAhead(top));
  });

  it("a top-level skills folder, however it is spelled, and nothing for a file of that name or no plugin", () => {
    expect(placesAhead([tree("Skills"), tree("docs")])).toEqual(["Skills"]);
    expect(placesAhead([blob("skills"), tree(".claude"), tree("commands")])).toEqual([]);
  });
});
