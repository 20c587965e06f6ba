import picomatch from "picomatch";

export type Matcher = (path: string) => boolean;

/**
 * Compiles globs the one way capgate matches paths everywhere: dotfiles included, and `*` matching
 * any character but `/` — newlines too, since git allows them in names.
 */
export function globMatcher(globs: readonly string[]): Matcher {
  if (globs.length === 0) return () => false;
  return picomatch(globs as string[], { dot: true, flags: "s" });
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
