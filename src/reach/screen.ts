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
  const hashes = new Set([...byBase.keys(), ...nameSet].map(tokenHash));
  // With few names to look for, a text that holds none of them anywhere is passed over at once.
  const few = hashes.size <= FEW_NEEDLES ? [...byBase.keys(), ...nameSet] : null;
  return (text: string): boolean => {
    if (text.includes("\\")) return true;
    const unnormalized = text.includes("//") || text.includes("./");
    for (const p of odd) if (text.includes(unnormalized ? posix.basename(p) : p)) return true;
    for (const n of oddNames)
      if (text.includes(n) || (n.includes("'") && text.includes(n.replace(/'/g, "''")))) return true;
    if (byBase.size === 0 && nameSet.size === 0) return false;
    if (few && !few.some((n) => text.includes(n))) return false;
    // The text's tokens, found by scanning: only a token whose hash is a needle's is cut out.
    for (let i = 0; i < text.length;) {
      const start = i;
      let hash = 0;
      for (let c = text.charCodeAt(i); i < text.length && c < 128 && TOKEN[c] === 1; c = text.charCodeAt(++i))
        hash = (Math.imul(hash, 31) + c) | 0;
      if (i === start) {
        i++;
        continue;
      }
      if (!hashes.has(hash)) continue;
      const token = text.slice(start, i);
      if (nameSet.has(token)) return true;
      const full = byBase.get(token);
      if (full && (unnormalized || full.some((p) => text.includes(p)))) return true;
    }
    return false;
  };
}

/**
 * Up to this many plain names, a text is first searched for each whole (the engine's substring
 * search); with more, one scan of its tokens is quicker than a search per name.
 */
const FEW_NEEDLES = 16;

/** The characters of a plain name: `[A-Za-z0-9._-]`. */
const TOKEN = new Uint8Array(128);
for (const range of ["AZ", "az", "09", "..", "__", "--"])
  for (let c = range.charCodeAt(0); c <= range.charCodeAt(1); c++) TOKEN[c] = 1;

function tokenHash(token: string): number {
  let hash = 0;
  for (let i = 0; i < token.length; i++) hash = (Math.imul(hash, 31) + token.charCodeAt(i)) | 0;
  return hash;
}
