/** A commit id as people read it. */
export function short(sha: string): string {
  return sha.slice(0, 7);
}

/** Whether a commit id (full, or abbreviated to 7 or more) names one of these commits. */
export function namesOneOf(commit: string, commits: readonly string[]): boolean {
  return commit.length >= 7 && commits.some((c) => c.startsWith(commit));
}
