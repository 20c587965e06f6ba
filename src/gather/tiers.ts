import type { AgentAtRevision } from "../capability/agent.js";
import { attemptInventory } from "../capability/inventory.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { loadConfig, openRepository, resolveRev } from "./check.js";
import { RevisionReader } from "./revision.js";

/** Every agent at a revision with its tier (`capgate tiers`); the config is read from that revision. */
export async function runTiers(opts: {
  cwd: string;
  rev: string;
  configPath?: string;
}): Promise<{ sha: string; agents: AgentAtRevision[] }> {
  const { git } = await openRepository(opts.cwd);
  const sha = await resolveRev(git, opts.rev, "--rev");
  const { config } = await loadConfig(git, opts.configPath ?? DEFAULT_CONFIG_PATH, sha, sha);
  const reader = new RevisionReader(git, sha);
  const [agents, mcp] = await Promise.all([
    reader.list(config.artifactGlobs.agent),
    reader.list(config.artifactGlobs.mcp),
  ]);
  await reader.readEntries([...agents, ...mcp]);
  const rev = { sha, files: reader.files, agents: agents.map((a) => a.path), mcpConfigs: mcp.map((m) => m.path) };
  for (let round = 0; round < 8; round++) {
    const attempt = attemptInventory(rev, config);
    if (attempt.complete) return { sha, agents: attempt.agents };
    await reader.readPaths(attempt.missing);
  }
  throw new Error("the files the tier inventory needs were still incomplete after 8 rounds of reading");
}
