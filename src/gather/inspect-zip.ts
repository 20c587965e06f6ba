import { messageOf } from "../common/errors.js";
import { loadOnUse } from "../common/load.js";

/** The most an `.eval` log may unpack to; the sizes its directory declares are checked before anything is inflated. */
export const MAX_UNZIPPED_BYTES = 64 * 1024 * 1024;

/**
 * An Inspect `.eval` log (a zip of `header.json` and `samples/*.json`) as the JSON log it holds:
 * the header with its samples. Read with fflate, which inflates no entry past the size the
 * archive declares for it, and only the entries a log needs, each declared within the limit.
 * fflate is loaded on the first log: its tables cost every other check ~3 ms to build.
 */
export async function inspectZipAsJson(
  bytes: Uint8Array,
): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { unzipSync } = loadOnUse<typeof import("fflate")>(() => require("fflate"), "fflate");
  let declared = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        const wanted = f.name === "header.json" || /^samples\/[^/]+\.json$/.test(f.name);
        if (wanted) declared += f.originalSize;
        return wanted && declared <= MAX_UNZIPPED_BYTES;
      },
    });
  } catch (e) {
    return { ok: false, reason: `is a zip archive that cannot be read (${messageOf(e)})` };
  }
  if (declared > MAX_UNZIPPED_BYTES)
    return { ok: false, reason: `unpacks to more than ${MAX_UNZIPPED_BYTES} bytes, over the limit for a log` };
  const header = files["header.json"];
  if (!header) return { ok: false, reason: "is a zip archive with no header.json: not an Inspect .eval log" };
  const decoder = new TextDecoder("utf-8", { fatal: true });
  try {
    const log = JSON.parse(decoder.decode(header)) as Record<string, unknown>;
    if (typeof log !== "object" || log === null || Array.isArray(log))
      return { ok: false, reason: "header.json is not a JSON object" };
    const samples = Object.keys(files)
      .filter((n) => n.startsWith("samples/"))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((n) => JSON.parse(decoder.decode(files[n]!)) as unknown);
    return { ok: true, text: JSON.stringify({ ...log, samples }) };
  } catch (e) {
    return { ok: false, reason: `holds an entry that is not JSON (${messageOf(e)})` };
  }
}
