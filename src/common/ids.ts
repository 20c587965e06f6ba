/** A commit id as people read it. */
export function short(sha: string): string {
  return sha.slice(0, 7);
}

/** Whether a commit id (full, or abbreviated to 7 or more) names one of these commits. */
export function namesOneOf(commit: string, commits: readonly string[]): boolean {
  return commit.length >= 7 && commits.some((c) => c.startsWith(commit));
}

/** Whether a string is a whole git object id: SHA-1's 40 hex digits, or SHA-256's 64. */
export function isObjectId(s: string): boolean {
  return OBJECT_ID.test(s);
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
