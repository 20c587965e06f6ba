import { posix } from "node:path";
import { pushTo } from "../common/maps.js";

/**
 * A cheap test of whether an agent manifest's text could name any changed path, skill folder or
 * server, so the manifests that cannot are not parsed. It is conservative:
 * - YAML and JSON can spell a name other than literally only through backslash escapes (folded
 *   lines insert spaces), so a text with a backslash is always kept;
 * - a path is looked for whole, unless the text holds path segments that are not normalized
 *   (`//`, `./`, `../`), in which case its base name alone is enough.
 */
export function referenceFilter(paths: Iterable<string>, names: Iterable<string>): (text: string) => boolean {
  const byBase = new Map<string, string[]>();
  const odd: string[] = [];
  const plain = (s: string) => /^[A-Za-z0-9._-]+$/.test(s);
  for (const p of paths) {
    const base = posix.basename(p);
    if (!base) continue;
    if (!plain(base)) odd.push(p);
    else pushTo(byBase, base, p);
  }
  const nameSet = new Set<string>();
  const oddNames: string[] = [];
  for (const n of names) {
    if (!n) continue;
    if (plain(n)) nameSet.add(n);
    else oddNames.push(n);
  }
  const needles = [...byBase.keys(), ...nameSet];
  // With few names to look for, a text that holds none of them anywhere is passed over at once.
  const few = needles.length <= FEW_NEEDLES ? needles : null;
  const found = needleFinder(needles);
  return (text: string): boolean => {
    if (text.includes("\\")) return true;
    const unnormalized = text.includes("//") || text.includes("./");
    for (const p of odd) if (text.includes(unnormalized ? posix.basename(p) : p)) return true;
    for (const n of oddNames)
      if (text.includes(n) || (n.includes("'") && text.includes(n.replace(/'/g, "''")))) return true;
    if (needles.length === 0) return false;
    if (few && !few.some((n) => text.includes(n))) return false;
    // The text's tokens that are needles (or, with very many needles, all its tokens), in order.
    found.lastIndex = 0;
    for (let m = found.exec(text); m; m = found.exec(text)) {
      const token = m[0];
      if (nameSet.has(token)) return true;
      const full = byBase.get(token);
      if (full && (unnormalized || full.some((p) => text.includes(p)))) return true;
    }
    return false;
  };
}

/**
 * Up to this many plain names, a text is first searched for each whole (the engine's substring
 * search); with more, one pass of the matcher is quicker than a search per name.
 */
const FEW_NEEDLES = 16;

/** The characters of a plain name, as a character class's contents. */
const TOKEN = "A-Za-z0-9._-";

/**
 * Up to this many needles, the engine's matcher is given the needles themselves, each a whole
 * token (not within a longer one), as one expression it compiles to machine code: on 10,000
 * manifests and 400 needles, 6 ms where a scan of every token's characters took 100 (a check runs
 * no optimizing compiler: decision 23). Compiling it grows faster than the needles (5,000: 27 ms),
 * so with more the matcher finds every token, and each is looked up.
 */
const NEEDLES_IN_ONE_EXPRESSION = 1000;

/** A matcher (global: its `lastIndex` is set before each text) of the tokens to look up. */
function needleFinder(needles: readonly string[]): RegExp {
  if (needles.length > NEEDLES_IN_ONE_EXPRESSION || needles.length === 0) return new RegExp(`[${TOKEN}]+`, "g");
  // Plain names: a dot is the one character of theirs an expression reads otherwise.
  const alternatives = [...needles].sort().map((n) => n.replace(/\./g, "\\."));
  return new RegExp(`(?<![${TOKEN}])(?:${alternatives.join("|")})(?![${TOKEN}])`, "g");
}
