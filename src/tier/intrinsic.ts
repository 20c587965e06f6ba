import { posix } from "node:path";
import { LOCK_PATH, toolDefOf } from "../artifact/lock.js";
import { toolCapability, unknownCapability } from "../capability/tools.js";
import { lockedCapability, serverOwnCapabilities } from "../runtime/mcp/locked.js";
import { lockChanges } from "../runtime/mcp/lock-changes.js";
import { skillCapabilities } from "../runtime/skills.js";
import type { ClassifiedChange, PathKind } from "../change/classify.js";
import type { CapabilityTier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { FileError } from "../parse/result.js";
import type { Views } from "../snapshot/view.js";
import { tierOf } from "./agent-tier.js";

export interface OwnTier {
  tier: CapabilityTier;
  why: string;
  errors: FileError[];
}

/**
 * The tier of a changed artifact no agent references: a tool by its annotations, a skill by its
 * allowed tools, an MCP config by its servers (undeclared tools: writing), a prompt `chat`.
 */
export function intrinsicTier(c: ClassifiedChange, kind: PathKind, views: Views, config: ResolvedConfig): OwnTier {
  const lowest = config.ladder.lowest;
  const path = c.change.path;
  const deleted = c.change.status === "deleted";
  switch (kind) {
    case "prompt": {
      const p = deleted ? null : views.head.prompt(path);
      const errors = p?.state === "parsed" && !p.result.ok ? [p.result.error] : [];
      const tools = p?.state === "parsed" && p.result.ok ? (p.result.value.tools ?? []) : [];
      if (tools.length === 0) return { tier: "chat", why: "a prompt no agent references", errors };
      // A prompt that binds tools is judged like an agent: tools nobody declares, in whatever
      // loop the application runs it.
      const caps = tools.map((t) =>
        unknownCapability(t, `prompt ${path}`, "a tool the prompt binds, not declared in the repository"),
      );
      const { tier } = tierOf(caps, null, []);
      return {
        tier,
        why: `binds tools ${tools.join(", ")}, not declared in the repository: writing, unconfirmed, in an unlimited loop`,
        errors,
      };
    }
    case "tool":
      return deleted
        ? { tier: lowest, why: "tool file removed; no agent references it", errors: [] }
        : toolTier(path, views, config);
    case "skill":
      return skillTier(c.skill ?? posix.dirname(path), views, config);
    case "mcp":
      if (path === LOCK_PATH) return lockTier(c, views, config);
      return deleted ? { tier: lowest, why: "MCP config removed", errors: [] } : mcpTier(path, views, config);
    case "agent":
      // A file a runtime loads (a link, a plugin's hooks file) through which no agent gains anything.
      return {
        tier: lowest,
        why: deleted
          ? "no longer loaded, and no agent loads anything through it"
          : "loaded by a runtime, and no agent gains anything through it",
        errors: [],
      };
    default:
      return { tier: lowest, why: kind, errors: [] };
  }
}

/** A tool file's own tier, as `capgate tiers` lists the ones no agent references. */
export function toolTier(path: string, views: Views, config: ResolvedConfig): OwnTier {
  const t = views.head.tools(path);
  if (t.state === "absent")
    return { tier: "write", why: "the file is missing, so its tools are assumed writing", errors: [] };
  if (!t.result.ok)
    return {
      tier: "write",
      why: "the file cannot be read, so its tools are assumed writing",
      errors: [t.result.error],
    };
  const caps = t.result.value.tools.map((tool) => toolCapability(tool, path, config));
  const writing = caps.filter((x) => x.writing).map((x) => `${x.name} (${x.why})`);
  return {
    tier: tierOf(caps, 1, []).tier,
    why: writing.length
      ? `writing tools ${writing.join(", ")}; no agent references it`
      : "read-only tools; no agent references it",
    errors: [],
  };
}

/** A skill's own tier, as `capgate tiers` lists the ones no agent references. */
export function skillTier(folder: string, views: Views, config: ResolvedConfig): OwnTier {
  const s = views.head.skill(`${folder}/SKILL.md`);
  if (s.state === "absent")
    return { tier: config.ladder.lowest, why: "skill removed; no agent references it", errors: [] };
  if (!s.result.ok)
    return { tier: "write", why: "its SKILL.md cannot be read, so it is assumed writing", errors: [s.result.error] };
  const caps = skillCapabilities(s.result.value, folder, config);
  const why =
    caps.filter((x) => x.writing).map((x) => x.why)[0] ??
    (caps.length ? "read-only allowed-tools" : "no allowed-tools, so no tool of its own");
  return { tier: tierOf(caps, 1, []).tier, why: `skill ${folder}: ${why}; no agent references it`, errors: [] };
}

function mcpTier(path: string, views: Views, config: ResolvedConfig): OwnTier {
  const f = views.head.file(path);
  if (f.state === "unseen")
    return { tier: "write", why: `${path} ${f.reason}: its servers are assumed writing`, errors: [] };
  const m = views.head.mcp(path);
  if (m.state === "absent")
    return { tier: "write", why: "the config is missing, so its servers are assumed writing", errors: [] };
  if (!m.result.ok)
    return {
      tier: "write",
      why: "the config cannot be read, so its servers are assumed writing",
      errors: [m.result.error],
    };
  const servers = m.result.value.servers;
  const own = servers.map((s) => serverOwnCapabilities(views.head, s, config));
  const caps = own.flatMap((o) => o.caps);
  const unlocked = servers.filter((_, i) => !own[i]!.locked).map((s) => s.name);
  const locked = servers.filter((_, i) => own[i]!.locked).map((s) => s.name);
  const why = [
    ...(unlocked.length ? [`servers ${unlocked.join(", ")} with undeclared tools`] : []),
    ...(locked.length ? [`servers ${locked.join(", ")} with the tools ${LOCK_PATH} holds`] : []),
  ];
  return {
    tier: tierOf(caps, 1, []).tier,
    why: why.length ? why.join("; ") : "no servers",
    errors: own.flatMap((o) => (o.error ? [o.error] : [])).slice(0, 1),
  };
}

/**
 * A change to `capgate.lock` no agent reaches: the tier of the servers whose entries it changes,
 * by their locked tools at head (a server no config starts as locked gives nothing).
 */
function lockTier(c: ClassifiedChange, views: Views, config: ResolvedConfig): OwnTier {
  const lock = c.change.status === "deleted" ? null : views.head.lock();
  if (lock?.state === "parsed" && !lock.result.ok)
    return {
      tier: "write",
      why: `${LOCK_PATH} cannot be read, so its servers are assumed writing`,
      errors: [lock.result.error],
    };
  const changed = lockChanges(views);
  const caps = changed.flatMap((e) =>
    e.after ? e.after.tools.map((t) => lockedCapability(toolDefOf(t), `MCP server ${e.name}`, config)) : [],
  );
  return {
    tier: caps.length ? tierOf(caps, 1, []).tier : config.ladder.lowest,
    why: changed.length
      ? `locked tools of ${changed.map((e) => e.name).join(", ")}; no agent uses them`
      : "no locked server changed",
    errors: [],
  };
}
