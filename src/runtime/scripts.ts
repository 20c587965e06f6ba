import { posix } from "node:path";
import { normalizeRef } from "../common/paths.js";

/**
 * The files of the repository a shell command names — what a hook, a status line or a workflow
 * step runs from it. Heuristic by nature (capgate reads words, it runs no shell): a word that is a
 * path inside the repository counts, and one that only looks like a path costs nothing.
 */

/** Extensions of the files a command runs as scripts, named without a folder (`bash setup.sh`). */
const SCRIPT = /\.(sh|bash|zsh|py|js|mjs|cjs|ts|rb|pl|ps1|cmd|bat)$/i;

/**
 * Each word of a command that is a path inside the repository, once the variables that name
 * folders of it (`$CLAUDE_PROJECT_DIR`, `${CLAUDE_PLUGIN_ROOT}`, `${{ github.workspace }}`: each
 * to its folder, "" for the top) are put in and its quotes taken off; a file named without a
 * folder counts when it is a script (`bash setup.sh`). A word starting with any other variable,
 * or with `~`, is somewhere capgate cannot tell.
 */
export function scriptsOf(command: string, folders: Readonly<Record<string, string>> = {}): string[] {
  const out = new Set<string>();
  let text = command;
  for (const [name, folder] of Object.entries(folders)) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    text = text.replace(
      new RegExp(`\\$\\{\\{\\s*${escaped}\\s*\\}\\}|\\$\\{${escaped}\\}|\\$${escaped}\\b`, "g"),
      `\0${folder}\0`,
    );
  }
  for (const raw of text.split(/[\s;|&()<>]+/)) {
    const word = raw.replace(/["'`]/g, "");
    if (!word || word.startsWith("-") || word.includes("://")) continue;
    let path: string;
    const marked = /^\0([^\0]*)\0(.*)$/.exec(word);
    if (marked) path = posix.join(marked[1] || ".", marked[2]!.replace(/^\/+/, ""));
    else if (word.includes("\0") || word.startsWith("$") || word.startsWith("~")) continue;
    else if (word.includes("/") || SCRIPT.test(word)) path = word;
    else continue;
    const n = normalizeRef(path);
    if (n) out.add(n);
  }
  return [...out].sort();
}
