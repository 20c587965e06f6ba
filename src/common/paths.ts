import { posix } from "node:path";

/**
 * Normalizes a path an artifact names (relative to the repository's top). Null for a path that
 * is absolute or leaves the repository.
 */
export function normalizeRef(ref: string): string | null {
  let n = normalized.get(ref);
  if (n === undefined) {
    n = normalize(ref);
    normalized.set(ref, n);
  }
  return n;
}

/** What `normalizeRef` answered, by the path as named: the same names are asked of it by every view. */
const normalized = new Map<string, string | null>();

function normalize(ref: string): string | null {
  if (ref.includes("\0") || ref.startsWith("/") || /^[A-Za-z]:/.test(ref) || ref.includes("\\")) return null;
  const n = posix.normalize(ref).replace(/\/+$/, "");
  if (n === "." || n === ".." || n.startsWith("../") || n === "") return null;
  return n;
}

/** Whether a path, or a folder above it, is one of `roots` ("" is above every path): its folders looked up, not every root tried. */
export function isUnderAny(path: string, roots: ReadonlySet<string>): boolean {
  return outermostRoot(path, roots) !== null;
}

/** The outermost of `roots` at or above a path ("" is above every path), or null when none is. */
export function outermostRoot(path: string, roots: ReadonlySet<string>): string | null {
  if (roots.has("")) return "";
  for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) {
    const dir = path.slice(0, i);
    if (roots.has(dir)) return dir;
  }
  return roots.has(path) ? path : null;
}

/** Whether a repository path's last name is `name` (`posix.basename` without its cost: git paths end in no `/`). */
export function hasBaseName(path: string, name: string): boolean {
  return path.endsWith(name) && (path.length === name.length || path.charCodeAt(path.length - name.length - 1) === 47);
}

/** The folders above a path, nearest first: `a/b/c.json` → `a/b`, `a`. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let dir = posix.dirname(path);
  while (dir !== "." && dir !== "/") {
    out.push(dir);
    dir = posix.dirname(dir);
  }
  return out;
}

/** A repository-relative path with no empty, `.` or `..` segments. */
export function isPlainPath(p: string): boolean {
  if (p === "" || p.startsWith("/") || p.includes("\0")) return false;
  return p.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}
