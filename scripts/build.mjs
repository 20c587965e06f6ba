// Builds the bundled action (dist/index.js), the CLI (dist/cli.js) and the config's JSON Schema.
// Each door is a small start and a bundle beside it with the code V8 compiles for it ahead
// (dist/*.bundle.cache, made by GitHub's Node 24 from the `node` devDependency: decision 24).
// `--check` builds in memory and fails when a committed file differs (a stale dist/).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const check = process.argv.includes("--check");
const schemaOnly = process.argv.includes("--schema-only");
const outDir = process.env.CAPGATE_BUILD_DIR ?? root;

const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

/**
 * Modules only some runs need, each bundled on its own into dist/vendor/ and required from there
 * when first used, so that no other run pays to load them: the MCP SDK (with the JSON Schema
 * validator it brings) that `pin` starts servers with, the zip reader of Inspect logs and the XML
 * parser of JUnit reports.
 */
const VENDORED = [
  { out: "vendor/mcp-sdk.js", entry: "src/pin/mcp-sdk.ts", import: /^\.\/mcp-sdk\.js$/ },
  { out: "vendor/fflate.js", entry: "node_modules/fflate/esm/index.mjs", import: /^fflate$/ },
  { out: "vendor/fast-xml-parser.js", entry: "src/evidence/fast-xml-parser.ts", import: /^fast-xml-parser$/ },
  // The HTTP client the action's libraries import, needed behind a proxy only: they import
  // src/github/undici.ts in its place, which requires this on first use.
  { out: "vendor/undici.js", entry: "node_modules/undici/index.js", import: /^undici$/, via: "src/github/undici.ts" },
];
const vendored = {
  name: "vendored",
  setup(b) {
    for (const v of VENDORED)
      b.onResolve({ filter: v.import }, (args) =>
        v.via && args.importer !== join(root, v.via)
          ? { path: join(root, v.via) }
          : { path: `./${v.out}`, external: true },
      );
  },
};

async function bundle(entry, extra = {}) {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: "node",
    // CommonJS (dist/package.json says so): Node loads it a fifth faster than the same code as a module.
    format: "cjs",
    target: "node20",
    write: false,
    minify: true,
    keepNames: true,
    legalComments: "none",
    define: { __CAPGATE_VERSION__: JSON.stringify(version) },
    logLevel: "silent",
    plugins: extra.format === "esm" ? [] : [vendored],
    // ESM builds where a package has one (jsonc-parser's UMD build requires its parts at run time).
    mainFields: ["module", "main"],
    ...extra,
  });
  return result.outputFiles[0].text;
}

async function schemaText() {
  const code = await bundle("src/config/json-schema.ts", { format: "esm" });
  const mod = await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`);
  return JSON.stringify(mod.configJsonSchema(), null, 2) + "\n";
}

const outputs = {};
outputs["schema/capgate.schema.json"] = await schemaText();
outputs["dist/package.json"] = `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`;
if (!schemaOnly) {
  outputs["dist/index.js"] = await bundle("src/start/action.ts");
  outputs["dist/index.bundle.js"] = await bundle("src/action/index.ts");
  outputs["dist/cli.js"] = await bundle("src/start/cli.ts");
  outputs["dist/cli.bundle.js"] = await bundle("src/cli/bin.ts");
  for (const v of VENDORED) outputs[`dist/${v.out}`] = await bundle(v.entry, { plugins: [] });
  Object.assign(outputs, await compiledAhead(["dist/index.bundle.js", "dist/cli.bundle.js"]));
}

/**
 * The code V8 compiles for each bundle, kept beside it (decision 24): GitHub's Node 24 loads the
 * bundle as its start does and runs its offline work — the example's two decision records
 * (scripts/warm/) replayed — then V8 writes what it compiled. With V8's random choices fixed
 * (`--random-seed`) and its collector and compilers working in one order on one thread
 * (`--predictable`), the bytes are the same on every build, on a busy machine too, so `--check`
 * compares them as it compares the bundles. V8 does not hold code to either flag.
 */
async function compiledAhead(bundles) {
  const node24 = join(root, "node_modules", "node", "bin", "node");
  if (!existsSync(node24)) throw new Error(`GitHub's Node 24 is not installed at ${node24}: run \`npm ci\``);
  const warmDir = join(root, "scripts", "warm");
  const scratch = mkdtempSync(join(tmpdir(), "capgate-build-"));
  try {
    // V8 keeps the names it is given in what it compiles: the same ones on every build, the
    // files' own names in the folder that holds them.
    const records = readdirSync(warmDir)
      .filter((f) => f.endsWith(".json"))
      .sort();
    for (const r of records) copyFileSync(join(warmDir, r), join(scratch, r));
    writeFileSync(join(scratch, "warm.js"), await bundle("src/start/warm.ts"));
    const made = {};
    for (const rel of bundles) {
      const name = basename(rel);
      writeFileSync(join(scratch, name), outputs[rel]);
      const run = spawnSync(node24, ["--random-seed=1", "--predictable", "warm.js", name, ...records], {
        cwd: scratch,
        encoding: "utf8",
        env: {},
      });
      if (run.status !== 0)
        throw new Error(
          `compiling ${rel} ahead failed (exit ${run.status}): ${run.stderr}\n` +
            "(records of an older format are written again by `node scripts/example.mjs --records scripts/warm`)",
        );
      // Beside the bundle, as src/start/bundle.ts's cacheOf names it.
      const cache = rel.replace(/\.js$/, ".cache");
      made[cache] = readFileSync(join(scratch, basename(cache)));
    }
    return made;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

let stale = [];
for (const [rel, text] of Object.entries(outputs)) {
  const target = join(outDir, rel);
  if (check) {
    const current = existsSync(target) ? readFileSync(target) : null;
    if (!current?.equals(Buffer.from(text))) stale.push(rel);
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
