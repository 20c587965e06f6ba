import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { compareText } from "../common/order.js";
import { UsageError, messageOf } from "../common/errors.js";
import { DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import { loadConfigFile } from "../gather/config.js";
import { loadedEntries, loadsAt } from "../gather/loads.js";
import { openRepository } from "../gather/open.js";
import { SnapshotBuilder } from "../gather/snapshot.js";
import { ObjectReader } from "../git/objects.js";
import { RevisionTree } from "../git/trees.js";
import { loadsRecord } from "../runtime/discover.js";
import { agentAt } from "../runtime/registry.js";
import { NotGathered, RevisionView } from "../snapshot/view.js";
import type { PinTarget } from "./live.js";

/** The servers of a working tree, as the runtimes would start them, and what could not be read. */
export interface WorkingServers {
  top: string;
  targets: PinTarget[];
  /** Servers a client does not start (`disabled`), said and left alone. */
  disabled: PinTarget[];
  /** Configs that cannot be read: nothing is pinned until they can be. */
  problems: { path: string; reason: string }[];
  /** What the reader should know: agents whose servers could not be read (`check` reports them). */
  notes: string[];
}

/**
 * Every MCP server of the checked-out working tree as `check` finds them: each MCP config a
 * runtime loads or the config names (a plugin's too), and the servers runtimes' own files declare
 * (a Codex or Gemini config, an OpenCode config, a Kiro agent, a subagent's frontmatter), each
 * named by the file that declares it. The working tree is read as it is, uncommitted edits and all.
 */
export async function workingServers(cwd: string, configFile?: string): Promise<WorkingServers> {
  const { git, top } = await openRepository(cwd);
  const objects = new ObjectReader(git);
  try {
    const sha = await git.worktreeTree().catch((e: unknown) => {
      throw new UsageError(`cannot read the working tree of ${top}: ${messageOf(e)}`, "bad_input");
    });
    const config = configFor(top, configFile);
    const places = { agentGlobs: config.agentGlobs, mcpGlobs: config.artifactGlobs.mcp };
    const listed = new RevisionTree(git, sha);
    const { head } = await loadsAt(git, objects, { base: listed, head: listed }, places);
    const { listing, found } = head;
    const record = loadsRecord(listing, found);
    const snap = new SnapshotBuilder(objects, { base: sha, head: sha });
    snap.recordUnseen("head", listing.unseen);
    const configs = [...new Set([...found.mcpConfigs, ...found.plugins.flatMap((p) => p.mcp)])];
    // What `check` reads of what the runtimes load, read the same way.
    await snap.read(loadedEntries(head, "head"));
    const agents = Object.keys(record.agents).sort(compareText);
    const snapshot = snap.snapshot("head", sha, agents, record.mcpConfigs, found, record);
    const view = new RevisionView("head", snapshot, new Map(), undefined, config.agentSource);
    return { top, ...serversIn(view, configs, agents) };
  } finally {
    objects.close();
  }
}

/** The config on disk, for where runtimes load from beyond their own places; the defaults without one. */
function configFor(top: string, configFile?: string): ResolvedConfig {
  const path = configFile ? resolve(configFile) : resolve(top, DEFAULT_CONFIG_PATH);
  if (!existsSync(path)) return resolveConfig(DEFAULT_CONFIG_PATH, { version: 1 });
  return loadConfigFile(path, top, undefined, DEFAULT_CONFIG_PATH).config;
}

function serversIn(
  view: RevisionView,
  configs: readonly string[],
  agents: readonly string[],
): Omit<WorkingServers, "top"> {
  const out: Omit<WorkingServers, "top"> = { targets: [], disabled: [], problems: [], notes: [] };
  const seen = new Set<string>();
  const add = (config: string, server: PinTarget["server"]) => {
    const key = `${config}\0${server.name}`;
    if (seen.has(key)) return;
    seen.add(key);
    (server.disabled ? out.disabled : out.targets).push({ config, server });
  };
  for (const path of configs) {
    const f = view.file(path);
    if (f.state === "unseen") {
      out.problems.push({ path, reason: `${path} ${f.reason}` });
      continue;
    }
    const doc = view.mcp(path);
    if (doc.state === "absent") continue;
    if (!doc.result.ok) out.problems.push({ path, reason: doc.result.error.reason });
    else for (const s of doc.result.value.servers) add(path, s);
  }
  for (const path of agents) {
    let a: ReturnType<typeof agentAt>;
    try {
      a = agentAt(view, path);
    } catch (e) {
      if (e instanceof NotGathered) continue;
      throw e;
    }
    if (a.state !== "parsed") continue;
    if (a.result.ok) for (const s of a.result.value.runtime?.inlineServers ?? []) add(path, s);
    // Its servers, if it declares any, stay unknown to the gate: the worst case, as `check` says.
    else out.notes.push(`${path} cannot be read (${a.result.error.reason}): no server of it is pinned`);
  }
  return out;
}
