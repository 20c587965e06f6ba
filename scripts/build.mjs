// Builds the bundled action (dist/index.js), the CLI (dist/cli.js) and the config's JSON Schema.
// `--check` builds in memory and fails when a committed file differs (a stale dist/).
import { build } from "esbuild";
import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const schemaOnly = process.argv.includes("--schema-only");
const outDir = process.env.CAPGATE_BUILD_DIR ?? root;

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

const banner = {
  js: "import { createRequire as __capgateCreateRequire } from 'node:module';\nconst require = __capgateCreateRequire(import.meta.url);",
};

async function bundle(entry, extra = {}) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    minify: true,
    keepNames: true,
    legalComments: "none",
    banner,
    define: { __CAPGATE_VERSION__: JSON.stringify(version) },
    logLevel: "silent",
    // ESM builds where a package has one (jsonc-parser's UMD build requires its parts at run time).
    mainFields: ["module", "main"],
    ...extra,
  });
  return result.outputFiles[0].text;
}

async function schemaText() {
  const code = await bundle("src/config/json-schema.ts", { banner: {} });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  return JSON.stringify(mod.configJsonSchema(), null, 2) + "\n";
}

const outputs = {};
outputs["schema/capgate.schema.json"] = await schemaText();
if (!schemaOnly) {
  outputs["dist/index.js"] = await bundle("src/action/index.ts");
  outputs["dist/cli.js"] = await bundle("src/cli/bin.ts");
}

let stale = [];
for (const [rel, text] of Object.entries(outputs)) {
  const target = join(outDir, rel);
  if (check) {
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (current !== text) stale.push(rel);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}
if (check) {
  if (stale.length) {
    console.error(
      `stale build output: ${stale.join(", ")} differ from the sources. Run \`npm run build\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log("dist/ and schema/ match the sources");
}
