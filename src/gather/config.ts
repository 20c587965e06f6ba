import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import { isUnresolved, type ObjectReader } from "../git/objects.js";
import { describeError } from "../parse/result.js";
import type { ConfigSource } from "../input/types.js";
import type { Config } from "../config/schema.js";
import { CODEOWNERS_PATHS } from "../config/codeowners.js";
import { UsageError, messageOf } from "../common/errors.js";
import { sha256 } from "../common/digest.js";
import { decodeText, MAX_ARTIFACT_BYTES, unresolvedReason } from "./blob.js";

export interface LoadedConfig {
  config: ResolvedConfig;
  source: ConfigSource;
  /** The config's blob id, or `sha256:<hex>` of a file read from disk. */
  blob: string;
  /** A committed config's text, as read. */
  text?: string;
  /** A trial config's file on disk. */
  file?: string;
}

/** The config from the base revision; from head only when the base has none. */
export async function loadConfig(
  objects: ObjectReader,
  path: string,
  baseSha: string,
  headSha: string,
  where: { top: string; cwd: string },
): Promise<LoadedConfig> {
  const found = await configAt(objects, path, [
    ["base", baseSha],
    ["head", headSha],
  ]);
  if (found) return found;
  throw new UsageError(
    `no config at ${path} in the base or head revision; ${noConfigHint(where.top, path, where.cwd)}`,
    "bad_config",
  );
}

/** The config committed at the first of the revisions that has one, or null when none has. */
export async function configAt(
  objects: ObjectReader,
  path: string,
  revisions: readonly (readonly ["base" | "head", string])[],
): Promise<LoadedConfig | null> {
  if (path.includes("\n")) throw new UsageError(`config path ${JSON.stringify(path)} holds a line break`, "bad_config");
  const names = revisions.map(([, sha]) => `${sha}:${path}`);
  const infos = await objects.info(names);
  for (const [i, [source, sha]] of revisions.entries()) {
    const info = infos.get(names[i]!);
    if (!info) continue;
    const where = `${source} (${sha.slice(0, 7)})`;
    if (isUnresolved(info)) throw new UsageError(`config ${path} at ${where} ${unresolvedReason(info)}`, "bad_config");
    if (info.type !== "blob") throw new UsageError(`config ${path} at ${where} is not a file`, "bad_config");
    if (info.size > MAX_ARTIFACT_BYTES)
      throw new UsageError(
        `config ${path} at ${where} is ${info.size} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit`,
        "bad_config",
      );
    const bytes = (await objects.contents([info.oid])).get(info.oid);
    const text = bytes ? decodeText(bytes) : { ok: false as const, reason: "could not be read" };
    if (!text.ok) throw new UsageError(`config ${path} at ${where} ${text.reason}`, "bad_config");
    const parsed = parseConfig(path, text.text);
    if (!parsed.ok)
      throw new UsageError(
        `config ${describeError(parsed.error)} (read from ${source} ${sha.slice(0, 7)})`,
        "bad_config",
      );
    return { config: parsed.value, source, blob: info.oid, text: text.text };
  }
  return null;
}

/** CODEOWNERS at a revision, where GitHub looks for it (the first that holds a file); null when none does. */
export async function readCodeowners(
  objects: ObjectReader,
  sha: string,
): Promise<{ path: string; text: string } | null> {
  const names = CODEOWNERS_PATHS.map((p) => `${sha}:${p}`);
  const infos = await objects.info(names);
  for (const [i, path] of CODEOWNERS_PATHS.entries()) {
    const info = infos.get(names[i]!);
    if (!info || isUnresolved(info) || info.type !== "blob" || info.size > MAX_ARTIFACT_BYTES) continue;
    const bytes = (await objects.contents([info.oid])).get(info.oid);
    const text = bytes ? decodeText(bytes) : null;
    return { path, text: text?.ok ? text.text : "" };
  }
  return null;
}

/** Reads a central policy's text by its reference (`top`: the repository's root); throws saying why it cannot. */
export type PolicyReader = (ref: string, top: string) => Promise<string>;

/** Where no reader is given: a central policy cannot be read, and the check says so. */
export const noPolicyReader: PolicyReader = () => Promise.reject(new Error("nothing here reads central policies"));

/**
 * The central policy a config extends, read and validated: `{ ref, raw }` for the decision (and
 * its record, which holds it as read). Unreadable or invalid, it is an unusable config, naming it.
 */
export async function loadPolicy(ref: string, read: PolicyReader, top: string): Promise<{ ref: string; raw: Config }> {
  let text: string;
  try {
    text = await read(ref, top);
  } catch (e) {
    throw new UsageError(`the central policy ${ref} cannot be read: ${messageOf(e)}`, "bad_config");
  }
  const parsed = parseConfig(ref, text);
  if (!parsed.ok) throw new UsageError(`the central policy ${describeError(parsed.error)}`, "bad_config");
  if (parsed.value.raw.extends !== undefined)
    throw new UsageError(
      `the central policy ${ref} extends another (${parsed.value.raw.extends}): one level only`,
      "bad_config",
    );
  return { ref, raw: parsed.value.raw };
}

/**
 * A trial config read from disk instead of a revision (`--config-file`), to try capgate before it
 * is committed. `repoPath` is where the gate will find it once committed (for governance): the
 * `--config` path when given, else the file's own place in the repository, else the default.
 */
export function loadConfigFile(
  file: string,
  top: string,
  repoPath: string | undefined,
  fallback: string,
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--config-file ${file}: cannot be read (${messageOf(e)})`, "bad_config");
  }
  const path = repoPath ?? inside(top, file) ?? fallback;
  const parsed = parseConfig(path, text);
  if (!parsed.ok) throw new UsageError(`--config-file ${describeError({ ...parsed.error, path: file })}`, "bad_config");
  return {
    config: parsed.value,
    source: "file",
    blob: sha256(text),
    file,
  };
}

/**
 * What to say when no config is committed: where one is on disk (as a path from `cwd`, where the
 * command was run), or how to write one.
 */
export function noConfigHint(top: string, path: string, cwd: string): string {
  const onDisk = resolve(top, path);
  if (!existsSync(onDisk)) return "run `capgate init` to write one";
  const fromHere = relative(cwd, onDisk) || onDisk;
  return `${path} exists on disk but is not committed: commit it, or try it with --config-file ${fromHere}`;
}

function inside(top: string, file: string): string | null {
  let real: string;
  let realTop: string;
  try {
    real = realpathSync(file);
    realTop = realpathSync(top);
  } catch {
    return null;
  }
  const rel = relative(realTop, real);
  return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? null : rel.split(sep).join("/");
}
