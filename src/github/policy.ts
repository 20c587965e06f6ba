import type { GitHubClient } from "./client.js";

/** `OWNER/REPO/PATH@REF`: a central policy's file in another repository, at a branch, tag or commit. */
const REF = /^([A-Za-z0-9-]+)\/([A-Za-z0-9._-]+)\/([^@]+)@([^@\s]+)$/;

/** Whether a policy reference names a file in a repository (else, to the CLI, a path on disk). */
export function isRepositoryRef(ref: string): boolean {
  return REF.test(ref);
}

/**
 * A central policy's text, read through the API (`GET /repos/{owner}/{repo}/contents/{path}`) at
 * its ref. Throws, saying why, when it names no file or the token cannot read it.
 */
export async function readPolicy(client: GitHubClient, ref: string): Promise<string> {
  const m = REF.exec(ref);
  if (!m) throw new Error("not OWNER/REPO/PATH@REF");
  const [, owner, repo, path, at] = m as unknown as [string, string, string, string, string];
  let data: unknown;
  try {
    ({ data } = await client.rest.repos.getContent({ owner, repo, path, ref: at }));
  } catch (e) {
    const status = (e as { status?: number }).status;
    throw new Error(
      status === 404 || status === 403
        ? `HTTP ${status}: no such file, or the token cannot read ${owner}/${repo} (give it contents: read there)`
        : `reading it failed: ${e instanceof Error ? e.message : String(e)}`,
      { cause: e },
    );
  }
  const file = data as { type?: string; encoding?: string; content?: string };
  if (Array.isArray(data) || file.type !== "file") throw new Error("it is not a file");
  if (file.encoding !== "base64" || typeof file.content !== "string")
    throw new Error("its content was not sent (over 1 MB?)");
  return Buffer.from(file.content, "base64").toString("utf8");
}
