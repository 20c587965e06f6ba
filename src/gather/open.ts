import { UsageError } from "../common/errors.js";
import { Git, GitError } from "../git/git.js";

export async function openRepository(cwd: string): Promise<{ git: Git; top: string }> {
  let top: string;
  try {
    top = await new Git(cwd).topLevel();
  } catch (e) {
    throw new UsageError(
      `${cwd} is not inside a git repository (${e instanceof GitError ? e.stderr || e.message : String(e)})`,
      "bad_input",
    );
  }
  return { git: new Git(top), top };
}

/** The commits the revisions name, in one git call; a revision that names none is bad usage, said for its flag. */
export async function resolveRevisions(git: Git, revs: readonly { rev: string; flag: string }[]): Promise<string[]> {
  const all = await git.resolveCommits(revs.map((r) => r.rev));
  if (all) return all;
  return Promise.all(revs.map((r) => resolveRev(git, r.rev, r.flag)));
}

export async function resolveRev(git: Git, rev: string, flag: string): Promise<string> {
  const sha = await git.resolveCommit(rev);
  if (!sha) {
    const shallow = await git.isShallow().catch(() => false);
    throw new UsageError(
      `${flag} ${rev}: no such commit in this repository` +
        (shallow ? " (the clone is shallow: fetch more history, e.g. git fetch --unshallow)" : ""),
      "bad_revision",
    );
  }
  return sha;
}
