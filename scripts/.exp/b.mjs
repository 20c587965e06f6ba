import { build } from "esbuild";
const [entry, out] = process.argv.slice(2);
await build({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", target: "node20", minify: true, keepNames: true, outfile: out, define: { __CAPGATE_VERSION__: '"0"' }, mainFields: ["module", "main"], logLevel: "silent",
 plugins: [{ name: "v", setup(b) { for (const [re, out] of [[/^\.\/mcp-sdk\.js$/, "./vendor/mcp-sdk.js"], [/^fflate$/, "./vendor/fflate.js"], [/^fast-xml-parser$/, "./vendor/fast-xml-parser.js"]]) b.onResolve({ filter: re }, () => ({ path: out, external: true })); } }] });
