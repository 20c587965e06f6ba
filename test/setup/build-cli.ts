import { build } from "esbuild";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The CLI and the action bundled from the current sources, so process tests never run a stale dist/. */
export const CLI_BUNDLE = join(process.cwd(), "node_modules", ".cache", "capgate-test", "cli.js");
export const ACTION_BUNDLE = join(process.cwd(), "node_modules", ".cache", "capgate-test", "action.js");

export default async function setup(): Promise<void> {
  mkdirSync(join(CLI_BUNDLE, ".."), { recursive: true });
  // The suite starts the bundles hundreds of times: Node (22 and later) keeps their compiled code
  // here between starts. The product itself never uses a compile cache (decision 17).
  process.env.NODE_COMPILE_CACHE ??= join(CLI_BUNDLE, "..", "compile-cache");
  for (const [entry, outfile] of [
    ["src/cli/bin.ts", CLI_BUNDLE],
    ["src/action/index.ts", ACTION_BUNDLE],
  ] as const) {
    await build({
      entryPoints: [join(process.cwd(), entry)],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      // As scripts/build.mjs builds dist/.
      minify: true,
      keepNames: true,
      legalComments: "none",
      banner: {
        js: "import { createRequire as __capgateCreateRequire } from 'node:module';\nconst require = __capgateCreateRequire(import.meta.url);",
      },
      define: {
        __CAPGATE_VERSION__: JSON.stringify(
          (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { version: string }).version,
        ),
      },
      logLevel: "silent",
      mainFields: ["module", "main"],
    });
  }
}
