import picomatch from "picomatch";

export type Matcher = (path: string) => boolean;

/**
 * How capgate compiles every glob: dotfiles included, `*` matching any character but `/` —
 * newlines too, since git allows them in names — and `/` the only separator on every platform:
 * git names paths with `/`, and a `\` in a name is a character (picomatch's own entry point would
 * make it a separator on Windows, so a Windows runner would decide otherwise).
 */
const OPTIONS = { dot: true, flags: "s", windows: false } as const;

/**
 * Compiles globs the one way capgate matches paths everywhere (see OPTIONS). The answer is
 * picomatch's own — a path written exactly as a glob, or one of the regular expressions picomatch
 * makes of the globs — without the result object picomatch's matcher builds on every call: a check
 * matches every agent path it lists against several sources' globs.
 */
export function globMatcher(globs: readonly string[], opts: { nocase?: boolean } = {}): Matcher {
  if (globs.length === 0) return () => false;
  const nocase = opts.nocase === true;
  const literal = new Set(nocase ? globs.map((g) => g.toLowerCase()) : globs);
  const regexes = globs.map((g) => compiled(g, nocase));
  return (path) => {
    if (path === "") return false;
    if (literal.has(nocase ? path.toLowerCase() : path)) return true;
    for (const re of regexes) if (re.test(path)) return true;
    return false;
  };
}

/**
 * Each glob's regular expression, made once per process and shared by every matcher that holds
 * it (a check compiles the same runtime and config globs for each policy, revision and round):
 * its flags hold neither `g` nor `y`, so `test` keeps no state between calls.
 */
const regexCache = new Map<string, RegExp>();

function compiled(glob: string, nocase: boolean): RegExp {
  const key = `${nocase ? "i" : "s"}${glob}`;
  let re = regexCache.get(key);
  if (!re) {
    // picomatch reads `nocase` only when no `flags` are given: the flag is said here.
    re = picomatch.makeRe(glob, nocase ? { ...OPTIONS, flags: `${OPTIONS.flags}i` } : OPTIONS);
    regexCache.set(key, re);
  }
  return re;
}

/**
 * Compiles the globs of a place a runtime loads from: without regard to case, since the file
 * systems of most developers' machines (macOS, Windows) load `.Claude/settings.json` as
 * `.claude/settings.json`.
 */
export function placeMatcher(globs: readonly string[]): Matcher {
  return globMatcher(globs, { nocase: true });
}

/** The folders a walk must start from to find every match of the globs ("" for the root). */
export function globBases(globs: readonly string[]): string[] {
  const bases = new Set<string>();
  for (const g of globs) {
    const scan = picomatch.scan(g);
    bases.add(scan.isGlob ? (scan.base === "." ? "" : scan.base) : g);
  }
  return [...bases];
}
