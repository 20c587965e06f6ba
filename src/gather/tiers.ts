import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { AgentAtRevision } from "../capability/agent.js";
import { attemptInventory } from "../capability/inventory.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { openRepository, resolveRev } from "./check.js";
import { configAt, loadConfigFile, noConfigHint, type LoadedConfig } from "./config.js";
import { UsageError } from "./errors.js";
import { RevisionReader } from "./revision.js";

export interface TiersResult {
  /** The commit read, or the tree of the working tree when there is no commit yet. */
  sha: string;
  /** What was read, in words: the commit, or "the working tree". */
  where: string;
  agents: AgentAtRevision[];
  config: { path: string; source: LoadedConfig["source"] };
  /** What the reader should know about where things were read from. */
  notes: string[];
}

/**
 * Every agent at a revision with its tier (`capgate tiers`). The config is the one committed at
 * that revision; a trial config on disk (`--config-file`, or an uncommitted config at its usual
 * place, as `capgate init` leaves it) is used and said to be one. A repository with no commit yet
 * is read from its working tree.
 */
export async function runTiers(opts: {
  cwd: string;
  rev?: string;
  configPath?: string;
  configFile?: string;
}): Promise<TiersResult> {
  const { git, top } = await openRepository(opts.cwd);
  const notes: string[] = [];
  let sha: string;
  let where: string;
  if (opts.rev === undefined && !(await git.resolveCommit("HEAD"))) {
    sha = await git.worktreeTree();
    where = "the working tree";
    notes.push("no commit yet: read from the working tree as it is");
  } else where = sha = await resolveRev(git, opts.rev ?? "HEAD", "--rev");
  const path = opts.configPath ?? DEFAULT_CONFIG_PATH;
  let loaded: LoadedConfig | null = opts.configFile
    ? loadConfigFile(resolve(opts.cwd, opts.configFile), top, opts.configPath, DEFAULT_CONFIG_PATH)
    : await configAt(git, path, [["base", sha]]);
  if (loaded === null) {
    // Right after `capgate init`: the config is on disk, not committed yet.
    if (!existsSync(resolve(top, path)))
      throw new UsageError(
        `no config at ${path} in ${opts.rev ?? "HEAD"}; ${noConfigHint(top, path, opts.cwd)}`,
        "bad_config",
      );
    loaded = loadConfigFile(resolve(top, path), top, path, path);
  }
  if (loaded.source === "file")
    notes.unshift(`trial config: read from ${loaded.file ?? path} on disk, not from the revision`);
  const config = loaded.config;
  const reader = new RevisionReader(git, sha);
  const [agents, mcp] = await Promise.all([
    reader.list(config.artifactGlobs.agent),
    reader.list(config.artifactGlobs.mcp),
  ]);
  await reader.readEntries([...agents, ...mcp]);
  const rev = { sha, files: reader.files, agents: agents.map((a) => a.path), mcpConfigs: mcp.map((m) => m.path) };
  for (let round = 0; round < 8; round++) {
    const attempt = attemptInventory(rev, config);
    if (attempt.complete)
      return { sha, where, agents: attempt.agents, config: { path: config.path, source: loaded.source }, notes };
    await reader.readPaths(attempt.missing);
  }
  throw new Error("the files the tier inventory needs were still incomplete after 8 rounds of reading");
}
