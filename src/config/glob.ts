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
  const any = anyOf(globs, nocase);
  return (path) => {
    if (path === "") return false;
    if (literal.has(nocase ? path.toLowerCase() : path)) return true;
    return any(path);
  };
}

/**
 * Whether any of the globs' regular expressions matches: one expression that is their
 * alternatives, so that a path is tried against them all in one call of the engine's matcher
 * rather than one call each (a check matches thousands of listed paths against each source's
 * globs: ~7× faster). Each alternative keeps its own anchors (`^…$`, where `^` and `$` mean the
 * whole path), so the alternatives answer as the expressions did — unless one holds what could
 * read as a reference back to a group (`\1`), whose group would be another glob's once they are
 * joined: those, and an expression the engine will not make (too large), are tried one by one.
 * Made once per set of globs.
 */
function anyOf(globs: readonly string[], nocase: boolean): Matcher {
  const key = `${nocase ? "i" : "s"}${JSON.stringify(globs)}`;
  let any = anyCache.get(key);
  if (!any) {
    const regexes = globs.map((g) => compiled(g, nocase));
    const one = regexes.length > 1 ? joined(regexes) : regexes[0]!;
    any = one ? (path) => one.test(path) : (path) => regexes.some((re) => re.test(path));
    anyCache.set(key, any);
  }
  return any;
}
const anyCache = new Map<string, Matcher>();

function joined(regexes: readonly RegExp[]): RegExp | null {
  const flags = regexes[0]!.flags;
  if (regexes.some((re) => re.flags !== flags || /\\[1-9]/.test(re.source))) return null;
  try {
    return new RegExp(regexes.map((re) => re.source).join("|"), flags);
  } catch {
    return null;
  }
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
