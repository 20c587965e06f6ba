import { existsSync } from "node:fs";
import { posix, resolve } from "node:path";
import type { AgentAtRevision } from "../agent/evaluate.js";
import { UsageError } from "../common/errors.js";
import { ancestors } from "../common/paths.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { inventory, type Inventory } from "../analysis/inventory.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Git } from "../git/git.js";
import type { Entry } from "../plan/reads.js";
import { ObjectReader } from "../git/objects.js";
import { inventoryReads } from "../plan/reads.js";
import { configAt, loadConfigFile, noConfigHint, type LoadedConfig } from "./config.js";
import { loadedPaths, loadsRecord } from "../runtime/discover.js";
import { runtimesFound, type RuntimeFound } from "../runtime/registry.js";
import type { Loads } from "../input/types.js";
import type { PlacesConfig } from "../runtime/places.js";
import { RevisionTree } from "../git/trees.js";
import { listAt } from "./listing.js";
import { loadsAt } from "./loads.js";
import { openRepository, resolveRev } from "./open.js";
import { SnapshotBuilder } from "./snapshot.js";

export interface TiersResult {
  /** The commit read, or the tree of the working tree when there is no commit yet. */
  sha: string;
  /** What was read, in words: the commit, or "the working tree". */
  where: string;
  agents: AgentAtRevision[];
  /** The skills, tool files and MCP servers no agent references, with their own tiers. */
  unreferenced: Omit<Inventory, "agents">;
  /** The runtimes whose agents it holds: their agents and plugins. */
  runtimes: RuntimeFound[];
  /** Places a runtime loads from that capgate cannot see into, and why: judged as the worst case. */
  unseen: { path: string; why: string }[];
  config: { path: string; source: LoadedConfig["source"] };
  /** What the reader should know about where things were read from. */
  notes: string[];
}

/**
 * Every agent at a revision with its tier (`capgate tiers`), in two stages: the manifests and MCP
 * configs, then every file they name. The config is the one committed at that revision; a trial
 * config on disk (`--config-file`, or an uncommitted config at its usual place, as `capgate init`
 * leaves it) is used and said to be one. A repository with no commit yet is read from its working
 * tree.
 */
export async function runTiers(opts: {
  cwd: string;
  rev?: string;
  configPath?: string;
  configFile?: string;
}): Promise<TiersResult> {
  const { git, top } = await openRepository(opts.cwd);
  const objects = new ObjectReader(git);
  try {
    const notes: string[] = [];
    let sha: string;
    let where: string;
    if (opts.rev === undefined && !(await git.resolveCommit("HEAD"))) {
      sha = await git.worktreeTree();
      where = "the working tree";
      notes.push("no commit yet: read from the working tree as it is");
    } else where = sha = await resolveRev(git, opts.rev ?? "HEAD", "--rev");
    const loaded = await tiersConfig(objects, sha, top, { ...opts, where });
    if (loaded.source === "file")
      notes.unshift(`trial config: read from ${loaded.file ?? loaded.config.path} on disk, not from the revision`);
    const config = loaded.config;
    const { inventory: found, loads } = await inventoryAt(git, objects, sha, config);
    return {
      sha,
      where,
      agents: found.agents,
      unreferenced: { skills: found.skills, tools: found.tools, servers: found.servers },
      runtimes: runtimesFound(
        found.agents.map((a) => ({ path: a.path, source: loads.agents[a.path]?.source ?? "capgate" })),
        loads.plugins,
      ),
      // Each place once: what is below a place that cannot be seen is said by it.
      unseen: Object.entries(loads.unseen)
        .filter(([path]) => !ancestors(path).some((a) => Object.hasOwn(loads.unseen, a)))
        .map(([path, why]) => ({ path, why })),
      config: { path: config.path, source: loaded.source },
      notes,
    };
  } finally {
    objects.close();
  }
}

/** Every agent at a revision with its tier: its manifests and what its runtimes load, then every file they name. */
async function inventoryAt(
  git: Git,
  objects: ObjectReader,
  sha: string,
  config: ResolvedConfig,
): Promise<{ inventory: Inventory; loads: Loads }> {
  const places: PlacesConfig = { agentGlobs: config.agentGlobs, mcpGlobs: config.artifactGlobs.mcp };
  const tree = new RevisionTree(git, sha);
  const [{ agent: manifests, skill, tool, prompt }, loads] = await Promise.all([
    listAt(tree, {
      agent: config.agentGlobs.capgate,
      skill: config.artifactGlobs.skill,
      tool: config.artifactGlobs.tool,
      prompt: config.artifactGlobs.prompt,
    }),
    loadsAt(git, objects, { base: tree, head: tree }, places),
  ]);
  const { listing, found: inRuntimes } = loads.head;
  const record = loadsRecord(listing, inRuntimes);
  // A prompt file is an agent when it binds tools (a runtime's own file stays its runtime's).
  for (const e of prompt)
    if (!Object.hasOwn(record.agents, e.path) && !config.artifact.agent(e.path))
      record.agents[e.path] = { source: "prompt" };
  const skills = skill.filter((e) => posix.basename(e.path) === "SKILL.md");
  const snap = new SnapshotBuilder(objects, { base: sha, head: sha });
  snap.recordUnseen("head", listing.unseen);
  const declaring = new Set(loadedPaths(inRuntimes));
  const fromRuntimes = [...listing.files.values()].filter((e) => declaring.has(e.path));
  const entry = (e: Entry): Entry => ({
    path: e.path,
    mode: e.mode,
    oid: e.oid,
    ...(e.size !== undefined ? { size: e.size } : {}),
  });
  await snap.read(
    [...manifests, ...skills, ...tool, ...prompt, ...fromRuntimes].map((e) => ({
      side: "head" as const,
      entry: entry(e),
    })),
  );
  const agentPaths = [...new Set([...manifests.map((a) => a.path), ...Object.keys(record.agents)])].sort();
  const rev = () =>
    snap.snapshot(
      "head",
      sha,
      agentPaths,
      record.mcpConfigs,
      { skills: inRuntimes.skills, commands: inRuntimes.commands },
      record,
    );
  const cache = new Map();
  const wanted = inventoryReads(rev(), config, cache);
  if (wanted.length) await snap.readListed(wanted, await git.lsTree(sha, wanted));
  return {
    inventory: inventory(rev(), config, { skills: skills.map((e) => e.path), tools: tool.map((e) => e.path) }, cache),
    loads: record,
  };
}

async function tiersConfig(
  objects: ObjectReader,
  sha: string,
  top: string,
  opts: { cwd: string; rev?: string; configPath?: string; configFile?: string; where: string },
): Promise<LoadedConfig> {
  if (opts.configFile)
    return loadConfigFile(resolve(opts.cwd, opts.configFile), top, opts.configPath, DEFAULT_CONFIG_PATH);
  const path = opts.configPath ?? DEFAULT_CONFIG_PATH;
  const worktree = opts.where !== sha;
  // Before the first commit the working tree is what is read, the config on disk with it.
  const committed = worktree ? null : await configAt(objects, path, [["base", sha]]);
  if (committed) return committed;
  // Right after `capgate init`: the config is on disk, not committed yet.
  if (!existsSync(resolve(top, path)))
    throw new UsageError(
      `no config at ${path} in ${worktree ? "the working tree" : (opts.rev ?? "HEAD")}; ${noConfigHint(top, path, opts.cwd)}`,
      "bad_config",
    );
  return loadConfigFile(resolve(top, path), top, path, path);
}
