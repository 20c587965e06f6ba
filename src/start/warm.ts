// The build's compiler of a bundle's code (decision 24), run by GitHub's Node 24 on the bundle it
// names: loads it as its start does, runs its offline work on the records given, and writes what
// V8 compiled beside it. Usage: node --random-seed=1 --predictable warm.js BUNDLE RECORD...
// V8 keeps in what it compiles the names it was given, so the build gives the same ones on every
// build: the files' names alone, run in the folder that holds them.
import "../common/engine.js";
import { writeFileSync } from "node:fs";
import { cacheOf, loadBundle } from "./bundle.js";

const [bundle, ...records] = process.argv.slice(2);
if (!bundle || records.length === 0) throw new Error("usage: warm BUNDLE RECORD...");
const { door, script } = loadBundle(bundle);
void door.warm(records).then(() => writeFileSync(cacheOf(bundle), script.createCachedData()));
