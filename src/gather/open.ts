import { UsageError } from "../common/errors.js";
import { Git, GitError } from "../git/git.js";
import { isObjectId } from "../common/ids.js";

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

/** An opened repository, the commits the revisions name, and what is checked out. */
export interface OpenedAt {
  git: Git;
  top: string;
  commits: string[];
  checkout: { sha: string; parents: string[] } | null;
  /** Whether objects may be missing, to be fetched from a promisor remote (a blobless clone). */
  partial: boolean;
  /** The two revisions' merge base when the survey found it (null: they have none). */
  mergeBase?: string | null;
}

/**
 * Opens the repository `cwd` is in and resolves the revisions, in one git call when all is well;
 * a revision that names no commit is bad usage, said for its flag.
 */
export async function openAt(cwd: string, revs: readonly { rev: string; flag: string }[]): Promise<OpenedAt> {
  const survey = await new Git(cwd).survey(revs.map((r) => r.rev));
  if (survey) {
    const git = new Git(survey.top);
    git.partial = survey.partial;
    return { git, ...survey };
  }
  const { git, top } = await openRepository(cwd);
  // Each revision is asked at once; what is wrong is said in the flags' order, whichever answer came first.
  const settled = await Promise.allSettled(revs.map((r) => resolveRev(git, r.rev, r.flag)));
  const commits = settled.map((s) => {
    if (s.status === "rejected") throw s.reason;
    return s.value;
  });
  git.partial = await git.isPartialClone();
  return { git, top, commits, checkout: await git.checkout(), partial: git.partial };
}

export async function resolveRev(git: Git, rev: string, flag: string): Promise<string> {
  const sha = await git.resolveCommit(rev);
  if (!sha) {
    const shallow = await git.isShallow().catch(() => false);
    throw new UsageError(
      `${flag} ${rev}: no such commit in this repository${shallow ? shallowFix(rev) : ""}`,
      "bad_revision",
    );
  }
  return sha;
}

/**
 * The fetch that brings a commit a shallow clone lacks: a commit named by its id is fetched as it
 * is (what `actions/checkout` leaves of a pull request is its merge commit alone, without the base
 * and head the event names); anything else needs the history that holds it.
 */
function shallowFix(rev: string): string {
  return isObjectId(rev)
    ? ` (the clone is shallow: fetch it with git fetch --depth=1 origin ${rev}, or the whole history with git fetch --unshallow)`
    : " (the clone is shallow: fetch more history, e.g. git fetch --unshallow)";
}
