import { closeSync, lstatSync, openSync, readdirSync, readFileSync, type Dirent } from "node:fs";
import { join, relative, sep } from "node:path";
import { globBases, globMatcher } from "../config/glob.js";
import type { ResultFile } from "../input/types.js";
import { inspectZipAsJson } from "./inspect-zip.js";
import { decodeText } from "./blob.js";
import { isZip } from "../evidence/results.js";
import { compareText } from "../common/order.js";

/** Largest result file read; promptfoo and Inspect logs can be large, but not this large. */
export const MAX_RESULT_BYTES = 64 * 1024 * 1024;
const MAX_WALK_ENTRIES = 200_000;

export interface FoundFile {
  /** Relative to the results folder, `/`-separated. */
  path: string;
  absolute: string;
  content: ResultFile["content"];
}

/**
 * Finds the files under `root` that match the globs, without following symbolic links. The folder
 * is read one entry after another, so without a promise per entry (and without loading Node's
 * promise-based file system module, which the rest of a check does not need).
 */
export async function findResultFiles(root: string, globs: readonly string[]): Promise<FoundFile[]> {
  if (globs.length === 0) return [];
  const match = globMatcher(globs);
  const bases = globBases(globs).map((b) => (match(b) ? b.split("/").slice(0, -1).join("/") : b));
  const found = new Map<string, FoundFile>();
  let seen = 0;
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (++seen > MAX_WALK_ENTRIES)
        throw new Error(`more than ${MAX_WALK_ENTRIES} entries under ${root}; narrow the results globs`);
      const abs = join(dir, e.name);
      const rel = relative(root, abs).split(sep).join("/");
      if (e.isDirectory()) {
        if (e.name === ".git" || e.name === "node_modules") continue;
        await walk(abs);
      } else if (match(rel) && !found.has(rel)) {
        found.set(rel, { path: rel, absolute: abs, content: await readResult(abs, e.isSymbolicLink()) });
      }
    }
  };
  for (const base of bases) {
    const start = base ? join(root, base) : root;
    const st = lstatOrNull(start);
    if (st?.isDirectory()) await walk(start);
  }
  return [...found.values()].sort((a, b) => compareText(a.path, b.path));
}

function lstatOrNull(path: string): ReturnType<typeof lstatSync> | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

async function readResult(abs: string, symlink: boolean): Promise<ResultFile["content"]> {
  if (symlink) return { ok: false, reason: "is a symbolic link; result files must be regular files" };
  try {
    const st = lstatSync(abs);
    if (!st.isFile()) return { ok: false, reason: "is not a regular file" };
    if (st.size > MAX_RESULT_BYTES)
      return { ok: false, reason: `is ${st.size} bytes, over the ${MAX_RESULT_BYTES}-byte limit` };
    const fd = openSync(abs, "r");
    try {
      const bytes = readFileSync(fd);
      // An Inspect .eval log is read as the JSON log it holds.
      if (isZip(bytes)) return await inspectZipAsJson(bytes);
      const text = decodeText(bytes, MAX_RESULT_BYTES);
      return text.ok ? { ok: true, text: text.text } : { ok: false, reason: text.reason };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, reason: `cannot be read: ${(e as Error).message}` };
  }
}
