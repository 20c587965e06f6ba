import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** Bundles the CLI from the current sources, so process tests never run a stale dist/. */
export const CLI_BUNDLE = join(process.cwd(), "node_modules", ".cache", "capgate-test", "cli.js");

export default async function setup(): Promise<void> {
  mkdirSync(join(CLI_BUNDLE, ".."), { recursive: true });
  await build({
    entryPoints: [join(process.cwd(), "src/cli/bin.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: CLI_BUNDLE,
    banner: {
      js: "import { createRequire as __capgateCreateRequire } from 'node:module';\nconst require = __capgateCreateRequire(import.meta.url);",
    },
    logLevel: "silent",
  });
}
