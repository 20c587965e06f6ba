import type { Unresolved } from "../git/objects.js";
import type { FileState } from "../input/types.js";

/** Largest artifact capgate reads; anything bigger is hostile or not an artifact. */
export const MAX_ARTIFACT_BYTES = 1024 * 1024;

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Text of a blob, or the reason it is not readable text. */
export function decodeText(
  bytes: Uint8Array,
  limit = MAX_ARTIFACT_BYTES,
): { ok: true; text: string } | { ok: false; reason: string } {
  if (bytes.length > limit) return { ok: false, reason: `is ${bytes.length} bytes, over the ${limit}-byte limit` };
  const head = bytes.subarray(0, 8000);
  if (head.includes(0)) return { ok: false, reason: "is binary (contains NUL bytes)" };
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return { ok: false, reason: "is not valid UTF-8 text" };
  }
}

/** The link mode: a symbolic link, read at its target as a checkout reads it. */
export const LINK_MODE = "120000";
/** The gitlink mode: a submodule, another repository's content. */
export const SUBMODULE_MODE = "160000";

/** Why a submodule's content cannot be seen. */
export const SUBMODULE_REASON = "is a submodule: its content is another repository's, which capgate cannot see";

/**
 * The state of a tree entry by its mode, before its content is read; null for what is read as
 * text (a file, or a symbolic link, which is read at its target).
 */
export function stateByMode(mode: string, type: string): FileState | null {
  if (mode === SUBMODULE_MODE || type === "commit") return { state: "unseen", reason: SUBMODULE_REASON };
  if (type === "tree") return { state: "error", reason: "is a directory, not a file" };
  return null;
}

/** Why a path a checkout shows cannot be seen: a symbolic link out of the tree, to nothing, or in a loop. */
export function unresolvedReason(u: Unresolved): string {
  switch (u.unresolved) {
    case "outside":
      return `is a symbolic link that leaves the repository (to ${u.detail}): capgate cannot see what it holds`;
    case "dangling":
      return "is a symbolic link to nothing in the repository";
    case "loop":
      return "is a symbolic link in a loop of links";
    case "notdir":
      return "goes through a file as if it were a folder";
  }
}

/** The first line of a Git LFS pointer: the file's content is kept elsewhere. */
const LFS_POINTER = "version https://git-lfs.github.com/spec/v1\n";

/** Text that is a Git LFS pointer: what a checkout with LFS shows is not in the repository. */
export function isLfsPointer(text: string): boolean {
  return text.startsWith(LFS_POINTER) && text.length < 1024;
}
