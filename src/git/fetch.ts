import { UsageError } from "../common/errors.js";
import type { Git } from "./git.js";

const FIX = "check out with actions/checkout and `fetch-depth: 0`, or let the job fetch from origin";

/** Every fetch capgate makes: no tags it did not ask for, no submodules. */
const FETCH = ["fetch", "--no-tags", "--no-recurse-submodules"];

/** Fetches the whole history of a shallow clone, or refuses with the fix. */
async function unshallow(git: Git): Promise<void> {
  try {
    await git.run([...FETCH, "--unshallow", "origin"]);
  } catch (e) {
    throw new UsageError(`the clone is shallow and could not be unshallowed (${(e as Error).message}); ${FIX}`);
  }
}

/**
 * Makes sure the commits to compare are here, with enough history for their merge base: fetches
 * missing commits from origin and deepens a shallow clone step by step. Refuses with the fix when
 * it cannot.
 */
export async function ensureHistory(
  git: Git,
  base: string,
  head: string,
  log: (m: string) => void,
  extra: string[] = [],
): Promise<void> {
  for (const sha of [base, head, ...extra]) {
    if (await git.resolveCommit(sha)) continue;
    log(`fetching ${sha} from origin`);
    try {
      const shallow = await git.isShallow();
      await git.run([...FETCH, ...(shallow ? ["--depth=1"] : []), "origin", sha]);
    } catch (e) {
      if (extra.includes(sha)) continue; // a reviewed commit that cannot be had is simply unknown
      throw new UsageError(
        `commit ${sha} is not in the checkout and could not be fetched (${(e as Error).message}); ${FIX}`,
      );
    }
    if (!(await git.resolveCommit(sha)) && !extra.includes(sha)) {
      throw new UsageError(`commit ${sha} is not in the checkout after fetching it; ${FIX}`);
    }
  }
  if (!(await git.isShallow())) return;
  if (await deepenToMergeBase(git, base, head, log, FIX)) return;
  await unshallow(git);
}

/** How far a shallow clone is deepened, fetch by fetch, to find a merge base: a bounded number of fetches. */
const DEEPEN = [50, 200, 1000, 5000];

/**
 * The merge base of two commits of a shallow clone, deepening it from origin a few times when it
 * lacks the history that holds it; null when it still lacks it. A fetch that fails is bad usage,
 * said with `fix`. The action and the CLI both find a merge base this way.
 */
export async function deepenToMergeBase(
  git: Git,
  base: string,
  head: string,
  log: (m: string) => void,
  fix: string,
): Promise<string | null> {
  for (const depth of DEEPEN) {
    const found = await git.mergeBase(base, head);
    if (found) return found;
    log(`shallow clone: deepening by ${depth} to find the merge base`);
    try {
      await git.run([...FETCH, `--deepen=${depth}`, "origin", base, head]);
    } catch (e) {
      const why = (e as Error).message.replace(/\s*\n\s*/g, "; ").trim();
      throw new UsageError(
        `the clone is shallow and holds no merge base of ${base.slice(0, 7)} and ${head.slice(0, 7)}: ${fix} (deepening from origin failed: ${why})`,
        "bad_revision",
      );
    }
  }
  return git.mergeBase(base, head);
}

/** The commit a tag names, fetching the tag from origin when the checkout lacks it. */
export async function resolveTag(git: Git, tag: string, log: (m: string) => void): Promise<string> {
  const ref = `refs/tags/${tag}`;
  const here = await git.resolveCommit(ref);
  if (here) return here;
  log(`fetching tag ${tag} from origin`);
  try {
    await git.run([...FETCH, "origin", `+${ref}:${ref}`]);
  } catch (e) {
    throw new UsageError(
      `tag ${tag} is not in the checkout and could not be fetched (${(e as Error).message}); ${FIX}`,
    );
  }
  const sha = await git.resolveCommit(ref);
  if (!sha) throw new UsageError(`tag ${tag} names no commit after fetching it`);
  return sha;
}

/** The first commit of the history that leads to a commit (its oldest root); a shallow clone is unshallowed first. */
export async function rootCommit(git: Git, commit: string, log: (m: string) => void): Promise<string> {
  if (await git.isShallow()) {
    log("shallow clone: fetching the whole history to find the first commit");
    await unshallow(git);
  }
  const roots = (await git.text(["rev-list", "--max-parents=0", commit])).split("\n").filter(Boolean);
  const root = roots[roots.length - 1];
  if (!root) throw new UsageError(`no first commit found before ${commit}; ${FIX}`);
  return root;
}
