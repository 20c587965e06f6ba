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

/** The state of a tree entry by its mode, before its content is read. */
export function stateByMode(mode: string, type: string): FileState | null {
  if (mode === "120000") return { state: "error", reason: "is a symbolic link; gated files must be regular files" };
  if (mode === "160000" || type === "commit") return { state: "error", reason: "is a submodule, not a file" };
  if (type === "tree") return { state: "error", reason: "is a directory, not a file" };
  return null;
}
