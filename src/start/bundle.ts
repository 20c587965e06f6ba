import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { Script } from "node:vm";

/**
 * What each bundle exports: `start` runs it as its door (the CLI on its arguments, the action on
 * its runner's environment); `warm` runs the offline work the build compiles it ahead on.
 */
export interface Door {
  start(): void;
  warm(records: readonly string[]): Promise<void>;
}

/** A bundle loaded: what it exports, and the script it was compiled as. */
export interface Loaded {
  door: Door;
  script: Script;
}

/** The compiled code of `file`, made by the build beside it (decision 24). */
export const cacheOf = (file: string): string => file.replace(/\.js$/, ".cache");

/**
 * Loads a CommonJS bundle as Node's own loader does — the same wrapper, its own `require` — but
 * compiled with the code the build compiled ahead for it, when there is one and V8 takes it. V8
 * refuses code made by another V8 version or under other flags, and then compiles the source as it
 * would have anyway: the cache changes how soon a run starts, never what it does.
 */
export function loadBundle(file: string): Loaded {
  const source = readFileSync(file, "utf8");
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheOf(file));
  } catch {
    // None beside it: compiled from the source.
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Door };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(resolve(file)), module, file, dirname(file));
  return { door: module.exports, script };
}
