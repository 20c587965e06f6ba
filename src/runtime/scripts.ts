import { posix } from "node:path";
import { normalizeRef } from "../common/paths.js";

/**
 * The files of the repository a shell command runs — what a hook, a status line or a workflow
 * step runs from it. Heuristic by nature (capgate reads words, it runs no shell): each simple
 * command's program when it is a path (`./scripts/x.sh`, `"$CLAUDE_PROJECT_DIR"/.claude/hooks/y`),
 * the script an interpreter is given (`bash setup.sh`, `python3 tools/check.py`, `source env.sh`),
 * and any word that is a script by its extension. A file a command only reads (`jq . data.json`,
 * `python3 -m json.tool catalog.json`) is data, not something it runs.
 */

/** Extensions of the files a command runs as scripts, wherever they stand in it. */
const SCRIPT = /\.(sh|bash|zsh|py|js|mjs|cjs|ts|mts|cts|rb|pl|ps1|cmd|bat)$/i;

/** Programs that run the file they are given first (after their options). */
const INTERPRETERS = new Set([
  "bash",
  "sh",
  "zsh",
  "dash",
  "ksh",
  "fish",
  "source",
  ".",
  "python",
  "python3",
  "python2",
  "node",
  "deno",
  "bun",
  "tsx",
  "ts-node",
  "ruby",
  "perl",
  "php",
  "pwsh",
  "powershell",
  "Rscript",
]);

/** Options after which an interpreter runs no file of the repository: code given inline, or a module. */
const NO_FILE = new Set(["-c", "-e", "-m", "--eval", "-p", "--print", "-Command", "-command"]);

/** Words a simple command may start with before its program. */
const PREFIXES = new Set(["sudo", "env", "exec", "time", "nohup", "command", "then", "do", "else", "if", "while", "!"]);

/**
 * Each file of the repository the command runs, once the variables that name folders of it
 * (`$CLAUDE_PROJECT_DIR`, `${CLAUDE_PLUGIN_ROOT}`, `${{ github.workspace }}`: each to its folder,
 * "" for the top) are put in and its quotes taken off. A word starting with any other variable,
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
  for (const words of commandsOf(text)) {
    let i = 0;
    while (i < words.length && (PREFIXES.has(words[i]!) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!))) i++;
    const program = words[i];
    if (program === undefined) continue;
    const runs = new Set<number>([i]);
    if (INTERPRETERS.has(posix.basename(program))) {
      let j = i + 1;
      while (j < words.length && words[j]!.startsWith("-") && !NO_FILE.has(words[j]!)) j++;
      if (j < words.length && !NO_FILE.has(words[j]!)) runs.add(j);
    }
    words.forEach((word, k) => {
      const path = pathOf(word, runs.has(k));
      if (path) out.add(path);
    });
  }
  return [...out].sort();
}

/**
 * The simple commands of a script, each as its words: quotes taken off (a quoted word may span
 * lines), commands split at `;`, `|`, `&` and line ends outside quotes, a backslash at a line's
 * end continuing it, and what a command substitution (`$(…)`, `` `…` ``) runs read as commands
 * of their own. A reading of words, not of every shell's grammar.
 */
function commandsOf(script: string): string[][] {
  const out: string[][] = [];
  let text = script;
  // Innermost substitutions first: each runs its own commands, and leaves a word behind.
  for (let round = 0; round < 16; round++) {
    const next = text.replace(/\$\(([^()]*)\)|`([^`]*)`/g, (_m, a: string | undefined, b: string | undefined) => {
      out.push(...commandsOf(a ?? b ?? ""));
      return "\u0001";
    });
    if (next === text) break;
    text = next;
  }
  let words: string[] = [];
  let word = "";
  let quote: string | null = null;
  let quoted = false;
  const endWord = () => {
    if (word !== "" || quoted) words.push(word);
    word = "";
    quoted = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) out.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "\\" && text[i + 1] === "\n") {
      i++;
      endWord();
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      quoted = true;
    } else if (/[;|&\n]/.test(ch)) endCommand();
    else if (/[\s<>]/.test(ch)) endWord();
    else word += ch;
  }
  endCommand();
  return out.map((ws) => ws.map((w) => w.replace(/^\(+|\)+$/g, "")).filter((w) => w !== "" && !w.includes("\u0001")));
}

/** The path inside the repository a word names: a script by its extension anywhere, any file where it is run. */
function pathOf(word: string, run: boolean): string | null {
  // A word with spaces in it is quoted text (an awk or Python program), not a path.
  if (word.startsWith("-") || word.includes("://") || /\s/.test(word)) return null;
  let path: string;
  const marked = /^\0([^\0]*)\0(.*)$/.exec(word);
  if (marked) path = posix.join(marked[1] || ".", marked[2]!.replace(/^\/+/, ""));
  else if (word.includes("\0") || word.startsWith("$") || word.startsWith("~")) return null;
  else if ((run && word.includes("/")) || SCRIPT.test(word)) path = word;
  else return null;
  if (!run && !SCRIPT.test(path)) return null;
  return normalizeRef(path) || null;
}
