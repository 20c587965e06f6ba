import { createHash } from "node:crypto";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import type { Git } from "../git/git.js";
import { messageOf } from "../parse/document.js";
import { describeError } from "../parse/result.js";
import type { ConfigSource } from "../decision/input.js";
import { UsageError } from "./errors.js";
import { RevisionReader } from "./revision.js";

export interface LoadedConfig {
  config: ResolvedConfig;
  source: ConfigSource;
  /** The config's blob id, or `sha256:<hex>` of a file read from disk. */
  blob: string;
  /** A trial config's file on disk. */
  file?: string;
}

/** The config from the base revision; from head only when the base has none. */
export async function loadConfig(
  git: Git,
  path: string,
  baseSha: string,
  headSha: string,
  cwd: string = git.cwd,
): Promise<LoadedConfig> {
  const found = await configAt(git, path, [
    ["base", baseSha],
    ["head", headSha],
  ]);
  if (found) return found;
  throw new UsageError(
    `no config at ${path} in the base or head revision; ${noConfigHint(git.cwd, path, cwd)}`,
    "bad_config",
  );
}

/** The config committed at one revision, or null when there is none. */
export async function configAt(
  git: Git,
  path: string,
  revisions: readonly (readonly ["base" | "head", string])[],
): Promise<LoadedConfig | null> {
  for (const [source, sha] of revisions) {
    const reader = new RevisionReader(git, sha);
    await reader.readPaths([path]);
    const f = reader.files.get(path)!;
    if (f.state === "absent") continue;
    if (f.state === "error")
      throw new UsageError(`config ${path} at ${source} (${sha.slice(0, 7)}) ${f.reason}`, "bad_config");
    const parsed = parseConfig(path, f.text);
    if (!parsed.ok)
      throw new UsageError(`config ${describeError(parsed.error)} (read from ${source} ${sha.slice(0, 7)})`);
    return { config: parsed.value, source, blob: f.oid };
  }
  return null;
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
  if (!parsed.ok)
    throw new UsageError(`--config-file ${file}: ${describeError({ ...parsed.error, path: file })}`, "bad_config");
  return {
    config: parsed.value,
    source: "file",
    blob: `sha256:${createHash("sha256").update(text).digest("hex")}`,
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
