import ignore from "ignore";

/** Where GitHub reads CODEOWNERS, in the order it looks: the first that exists is the one. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/** One line of CODEOWNERS: a pattern and the owners it gives (none: the files it matches are unowned). */
interface Line {
  pattern: string;
  owners: string[];
  matches: (path: string) => boolean;
}

/**
 * CODEOWNERS as GitHub reads it: each line a pattern (gitignore's syntax, as GitHub's docs say)
 * and its owners (`@user`, `@org/team`; e-mail addresses name no login and are left out); `#`
 * starts a comment; the last line whose pattern matches a path gives its owners. A line GitHub
 * would reject (a `!` negation, a `[ ]` range) matches nothing.
 */
export function parseCodeowners(text: string): (path: string) => string[] {
  const lines: Line[] = [];
  for (const raw of text.split(/\r\n|\n|\r/)) {
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (!line) continue;
    const [pattern, ...rest] = line.split(/\s+/);
    if (!pattern || pattern.startsWith("!") || /[[\]]/.test(pattern)) continue;
    const owners = rest.filter((o) => /^@[A-Za-z0-9][A-Za-z0-9-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/.test(o));
    const matcher = ignore().add(pattern);
    // `docs/*` is GitHub's exception to gitignore: the folder's own files, not those further down.
    const direct = /^\/?([^*?]+\/)\*$/.exec(pattern)?.[1];
    lines.push({
      pattern,
      owners,
      matches: (p) => {
        try {
          return matcher.ignores(p) && (direct === undefined || !p.slice(direct.length).includes("/"));
        } catch {
          return false;
        }
      },
    });
  }
  return (path) => {
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.matches(path)) return lines[i]!.owners;
    return [];
  };
}

/** The teams (`@org/team`) CODEOWNERS names, to read their members. */
export function codeownersTeams(text: string): string[] {
  return [
    ...new Set(
      [...text.matchAll(/(?:^|\s)(@[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*)/gm)].map((m) => m[1]!),
    ),
  ];
}
