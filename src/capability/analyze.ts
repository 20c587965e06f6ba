import { posix } from "node:path";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import type { DecisionInput, RevisionFiles, Side } from "../decision/input.js";
import type { FileError, Parsed } from "../parse/result.js";
import type { CapabilityTier, Tier } from "../tier/ladder.js";
import { evaluateAgent, tierOf, type AgentAtRevision, type AgentRefs } from "./agent.js";
import { classifyPath, suitesOf, trustedResultSuitesOf, type PathKind } from "./classify.js";
import { escalationOf, type Escalation } from "./escalation.js";
import { skillCapabilities, toolCapability, unknownCapability } from "./tools.js";
import { referenceFilter } from "./prefilter.js";
import { versionChecks, type VersionCheck } from "./versions.js";
import { ancestors, normalizeRef, RevisionView } from "./view.js";

export interface ChangeAnalysis {
  path: string;
  oldPath: string;
  status: DecisionInput["changes"][number]["status"];
  kind: PathKind;
  /** For a skill member, the skill folder it belongs to. */
  skill?: string;
  agents: string[];
  tier: Tier | null;
  /** Every tier the change touches: its agents' head tiers, else its own. */
  touches: Tier[];
  /** How the tier was found. */
  why: string;
}

/** An agent the change reaches, at both revisions (null where it does not exist). */
export interface AgentChange {
  name: string;
  path: string;
  base: CapabilityTier | null;
  head: CapabilityTier | null;
}

export interface TouchedTier {
  tier: Tier;
  because: string[];
}

export interface Analysis {
  changes: ChangeAnalysis[];
  /** Changed paths that are not gated artifacts. */
  ungated: string[];
  touched: TouchedTier[];
  tier: Tier | null;
  escalations: Escalation[];
  errors: FileError[];
  headAgents: AgentAtRevision[];
  agentChanges: AgentChange[];
  versions: VersionCheck[];
  /** Suite → its definition files changed here. */
  suiteChanges: Map<string, string[]>;
  /** Tiers touched by changes other than eval definitions (for holdout integrity). */
  nonEvalTiers: Set<Tier>;
  /** Whether a path is gated: used to judge approvals given on older commits. */
  isGated(path: string): boolean;
}

export type AnalysisRun =
  | { analysis: Analysis; missing: Record<Side, string[]> }
  /** Which changes reach which agents depends on files not yet gathered: those come first. */
  | { analysis: null; missing: Record<Side, string[]> };

const SYMLINK = "120000";

/**
 * Work that depends on nothing but blob contents, kept between repeated analyses of one input
 * (the shell analyzes again after gathering what was missing). It changes no result.
 */
export interface AnalysisMemo {
  /** Parsed files by kind, blob and path. */
  parsed: Map<string, Parsed<unknown>>;
  /** Whether a manifest may reference the changed paths and servers: by the needles, then by blob. */
  screened: Map<string, Map<string, boolean>>;
}

export function newMemo(): AnalysisMemo {
  return { parsed: new Map(), screened: new Map() };
}

/**
 * Infers which tiers a change touches (PRODUCT §2). Pure: reads only `input`; paths it needs that
 * were not gathered are reported in `missing` instead.
 */
export function analyze(
  input: DecisionInput,
  config: ResolvedConfig,
  extraGatedPaths: readonly string[] = [],
  memo: AnalysisMemo = newMemo(),
): AnalysisRun {
  // The shell may list manifests for more than one policy: each sees those its own globs match.
  input = { ...input, base: scopedTo(input.base, config), head: scopedTo(input.head, config) };
  const parsed = memo.parsed;
  const changedAt = { base: new Set<string>(), head: new Set<string>() };
  for (const c of input.changes) {
    if (c.status !== "added") changedAt.base.add(c.oldPath);
    if (c.status !== "deleted") changedAt.head.add(c.path);
  }
  const head = new RevisionView("head", input.head, parsed);
  const unchanged = (p: string) => !changedAt.base.has(p) && !changedAt.head.has(p);
  const views = { base: new RevisionView("base", input.base, parsed, { view: head, unchanged }), head };
  const ladder = config.ladder;
  const errors: FileError[] = [];

  // 1. Every path's kind: by glob, else as a member of a skill folder.
  /** The nearest folder above a path holding a SKILL.md the skill globs match (any, when `anyGlob`). */
  const skillFolderOf = (path: string, anyGlob = false): string | null => {
    for (const dir of ancestors(path)) {
      const md = `${dir}/SKILL.md`;
      if (!anyGlob && !config.artifact.skill(md)) continue;
      if (views.head.exists(md) === true || views.base.exists(md) === true) return dir;
    }
    return null;
  };

  interface Classified {
    change: DecisionInput["changes"][number];
    kind: PathKind | null;
    skill?: string;
    /** Outside the globs, a skill folder the path is in: a skill if an agent references it. */
    candidate?: string;
    /** A result or baseline file of suites that trust committed results. */
    resultOf?: string[];
  }
  const resultsRoot = input.evidence.resultsRoot === undefined ? "" : input.evidence.resultsRoot;
  const trustedResultsOf = (change: DecisionInput["changes"][number]) => [
    ...new Set([
      ...trustedResultSuitesOf(change.path, config, resultsRoot),
      ...trustedResultSuitesOf(change.oldPath, config, resultsRoot),
    ]),
  ];
  const classified: Classified[] = input.changes.map((change) => {
    const kind =
      classifyPath(change.path, config) ??
      (change.oldPath !== change.path ? classifyPath(change.oldPath, config) : null);
    if (kind === "skill") return { change, kind, skill: posix.dirname(change.path) };
    // A prompt inside a skill folder is the skill's: it reaches the skill's agents.
    if (kind === "prompt") {
      const folder = skillFolderOf(change.path);
      if (folder) return { change, kind: "skill", skill: folder };
    }
    if (kind) return { change, kind };
    const resultOf = trustedResultsOf(change);
    if (resultOf.length > 0) return { change, kind: "eval", resultOf };
    const folder =
      skillFolderOf(change.path) ?? (change.oldPath !== change.path ? skillFolderOf(change.oldPath) : null);
    if (folder) return { change, kind: "skill", skill: folder };
    const candidate =
      (posix.basename(change.path) === "SKILL.md" ? posix.dirname(change.path) : null) ??
      skillFolderOf(change.path, true) ??
      (change.oldPath !== change.path ? skillFolderOf(change.oldPath, true) : null);
    return candidate ? { change, kind: null, candidate } : { change, kind: null };
  });

  // 2. Which agents a change reaches: by manifest, by reference, through skills and servers.
  const serversIn = (change: DecisionInput["changes"][number], sides: readonly Side[] = ["base", "head"]): string[] => {
    const names: string[] = [];
    for (const [side, path] of [
      ["base", change.oldPath],
      ["head", change.path],
    ] as const) {
      if (!sides.includes(side)) continue;
      if (side === "base" && change.status === "added") continue;
      if (side === "head" && change.status === "deleted") continue;
      const doc = views[side].mcp(path);
      if (doc.state === "parsed" && doc.result.ok) for (const s of doc.result.value.servers) names.push(s.name);
    }
    return names;
  };
  const changedServers = new Set<string>();
  for (const c of classified) if (c.kind === "mcp") serversIn(c.change).forEach((n) => changedServers.add(n));
  // What is gone at head counts through the agents that referenced it at base (PRODUCT §2); what
  // is still there counts through the agents that reference it at head, else on its own.
  const goneAtHead = new Set(
    input.changes.filter((c) => c.status === "deleted" || c.status === "renamed").map((c) => c.oldPath),
  );
  const headServers = new Set(classified.flatMap((c) => (c.kind === "mcp" ? serversIn(c.change, ["head"]) : [])));
  const removedServers = new Set([...changedServers].filter((n) => !headServers.has(n)));
  const changedSkillFolders = new Set(classified.filter((c) => c.skill).map((c) => c.skill!));
  /** Skill folders the change is in, by glob or, outside the globs, by holding a SKILL.md. */
  const skillNeedles = new Set([...changedSkillFolders, ...classified.flatMap((c) => c.candidate ?? [])]);
  // A skill moved or deleted away: the folder its agents still name.
  for (const p of goneAtHead) if (posix.basename(p) === "SKILL.md") skillNeedles.add(posix.dirname(p));
  // The changed skills and servers decide which manifests are read: until they are known, the
  // rest would be done again.
  if (views.base.missing.size > 0 || views.head.missing.size > 0) return { analysis: null, missing: missingOf(views) };

  const manifestRefs = (view: RevisionView, path: string): AgentRefs | null => {
    const a = view.agent(path);
    if (a.state !== "parsed" || !a.result.ok) return null;
    const m = a.result.value;
    const norm = (p: string) => normalizeRef(p);
    return {
      prompt: m.prompt === undefined ? null : norm(m.prompt),
      toolFiles: [...m.tools.map((t) => norm(t.path)), ...m.servers.flatMap((s) => (s.tools ?? []).map(norm))].filter(
        (p): p is string => p !== null,
      ),
      skills: m.skills.map(norm).filter((p): p is string => p !== null),
      servers: m.servers.map((s) => s.name),
    };
  };
  /** The changed paths an agent's references reach at head, or (at base) the ones gone at head. */
  const reachedBy = (refs: AgentRefs, side: Side): string[] => {
    const head = side === "head";
    const changed = head ? changedAt.head : goneAtHead;
    const hits: string[] = [];
    if (refs.prompt && changed.has(refs.prompt)) hits.push(refs.prompt);
    for (const t of refs.toolFiles) if (changed.has(t)) hits.push(t);
    for (const s of refs.skills) if ((head && skillNeedles.has(s)) || changed.has(`${s}/SKILL.md`)) hits.push(`${s}/`);
    for (const s of refs.servers) if ((head ? changedServers : removedServers).has(s)) hits.push(`mcp:${s}`);
    return hits;
  };

  const baseAgents = new Set(input.base.agents);
  const renamedFrom = new Map<string, string>();
  for (const c of input.changes) if (c.status === "renamed") renamedFrom.set(c.path, c.oldPath);

  /** head agent path → the changed things that reach it. */
  const touchedAgents = new Map<string, Set<string>>();
  const touch = (agentPath: string, what: string) => {
    let s = touchedAgents.get(agentPath);
    if (!s) touchedAgents.set(agentPath, (s = new Set()));
    s.add(what);
  };
  // Only a manifest whose text names a changed file, skill folder or server can reference it.
  const needlePaths = [...new Set([...input.changes.flatMap((c) => [c.path, c.oldPath]), ...skillNeedles])];
  const mayReference = referenceFilter(needlePaths, changedServers);
  const needlesKey = `${needlePaths.sort().join("\n")}\0${[...changedServers].sort().join("\n")}`;
  let screened = memo.screened.get(needlesKey);
  if (!screened) {
    memo.screened.clear();
    memo.screened.set(needlesKey, (screened = new Map()));
  }
  for (const path of input.head.agents) {
    const basePath = renamedFrom.get(path) ?? path;
    const changedHere = changedAt.head.has(path) || changedAt.base.has(basePath);
    if (changedAt.head.has(path)) touch(path, path);
    if (!changedHere) {
      const f = views.head.file(path);
      if (f.state === "file") {
        let may = screened.get(f.oid);
        if (may === undefined) screened.set(f.oid, (may = mayReference(f.text)));
        if (!may) continue;
      }
    }
    const headRefs = manifestRefs(views.head, path);
    if (headRefs) for (const hit of reachedBy(headRefs, "head")) touch(path, hit);
    if (baseAgents.has(basePath)) {
      // An unchanged manifest references the same paths at base as at head.
      const baseRefs = changedAt.base.has(basePath) ? manifestRefs(views.base, basePath) : headRefs;
      if (baseRefs) for (const hit of reachedBy(baseRefs, "base")) touch(path, hit);
    }
  }

  const headEval = new Map<string, AgentAtRevision>();
  const baseEval = new Map<string, AgentAtRevision | null>();
  for (const path of touchedAgents.keys()) {
    const h = evaluateAgent(views.head, path, config);
    if (!h) continue;
    headEval.set(path, h);
    const basePath = renamedFrom.get(path) ?? path;
    baseEval.set(path, baseAgents.has(basePath) ? evaluateAgent(views.base, basePath, config) : null);
    errors.push(...h.errors);
  }

  // A file in a skill folder outside the globs is a skill's when an agent references the folder.
  const referencedSkills = new Set([...headEval.values()].flatMap((a) => a.refs.skills));
  for (const c of classified) {
    if (c.kind !== null || !c.candidate || !referencedSkills.has(c.candidate)) continue;
    c.kind = "skill";
    c.skill = c.candidate;
  }

  // 3. Each change's tier: through the agents it reaches, else its own.
  /** What a change reached → the agents it reached, the reverse of `touchedAgents`. */
  const reachedFrom = new Map<string, string[]>();
  for (const [path, hits] of touchedAgents)
    for (const h of hits) reachedFrom.set(h, [...(reachedFrom.get(h) ?? []), path]);
  const agentsReaching = (c: Classified): AgentAtRevision[] => {
    const keys = new Set([c.change.path, c.change.oldPath]);
    if (c.skill) keys.add(`${c.skill}/`);
    // Moved or deleted away: the skill folders it was in are what agents may still name.
    if (goneAtHead.has(c.change.oldPath)) for (const dir of ancestors(c.change.oldPath)) keys.add(`${dir}/`);
    if (c.kind === "mcp") serversIn(c.change).forEach((n) => keys.add(`mcp:${n}`));
    const paths = new Set<string>();
    for (const k of keys) for (const p of reachedFrom.get(k) ?? []) paths.add(p);
    return [...paths].map((p) => headEval.get(p)).filter((a): a is AgentAtRevision => a !== undefined);
  };

  const suiteChanges = new Map<string, string[]>();
  const touched = new Map<Tier, string[]>();
  const nonEvalTiers = new Set<Tier>();
  const addTouched = (tier: Tier, because: string, isEval: boolean) => {
    const list = touched.get(tier) ?? [];
    list.push(because);
    touched.set(tier, list);
    if (!isEval) nonEvalTiers.add(tier);
  };
  const changes: ChangeAnalysis[] = [];
  const ungated: string[] = [];
  /** Paths agents reference, with the kind the reference gives them. */
  const referenced = new Map<string, PathKind>();
  for (const a of headEval.values()) {
    if (a.refs.prompt) referenced.set(a.refs.prompt, "prompt");
    a.refs.toolFiles.forEach((t) => referenced.set(t, "tool"));
  }

  for (const c of classified) {
    let kind = c.kind;
    if (kind === null) kind = referenced.get(c.change.path) ?? referenced.get(c.change.oldPath) ?? null;
    if (kind === null) {
      ungated.push(c.change.path);
      continue;
    }
    const { change } = c;
    const deleted = change.status === "deleted";
    if (!deleted && change.headMode === SYMLINK) {
      errors.push({ path: change.path, reason: "is a symbolic link; gated files must be regular files" });
    }
    const reaching = kind === "eval" || kind === "governance" ? [] : agentsReaching(c);
    let tier: Tier | null;
    let why: string;
    let resultTiers: Tier[] | undefined;
    if (kind === "governance") {
      tier = "governance";
      why = change.path === config.path ? "the capgate config" : "a CI workflow";
      // The config this change writes is the one later changes are judged by: it must be valid.
      if (change.path === config.path && !deleted) {
        const f = views.head.file(change.path);
        if (f.state === "file") {
          const next = parseConfig(change.path, f.text);
          if (!next.ok) errors.push(next.error);
        }
      }
    } else if (kind === "eval") {
      const defined = suitesOf(change.path, config).concat(
        change.oldPath !== change.path ? suitesOf(change.oldPath, config) : [],
      );
      for (const s of defined) suiteChanges.set(s, [...(suiteChanges.get(s) ?? []), change.path]);
      const suites = [...new Set([...defined, ...(c.resultOf ?? [])])];
      const tiers = ladder.sortDescending(
        Object.entries(config.raw.tiers ?? {})
          .filter(([, req]) => req?.evals?.some((e) => suites.includes(e)))
          .map(([t]) => t as Tier),
      );
      tier = tiers[0] ?? null;
      if (c.resultOf) resultTiers = tiers;
      const what = c.resultOf
        ? `a committed result of suite ${suites.join(", ")} (trust_committed_results)`
        : `defines suite ${suites.join(", ")}`;
      why = tier ? `${what}, required by tier ${tier}` : `${what}, which no tier requires`;
    } else if (reaching.length > 0) {
      tier = ladder.max(reaching.map((a) => a.tier));
      why = `reaches ${reaching.map((a) => `${a.name} (${a.tier})`).join(", ")}`;
    } else {
      ({ tier, why } = intrinsicTier(c, kind, views, config, errors));
    }
    if (kind === "agent" && change.status === "deleted") {
      tier = ladder.lowest;
      why = "agent removed";
    }
    // A file that cannot be read at head is an error whatever its kind.
    if (!deleted && kind !== "eval" && kind !== "governance") {
      const f = views.head.file(change.path);
      if (f.state === "error" && !errors.some((e) => e.path === change.path))
        errors.push({ path: change.path, reason: f.reason });
    }
    const entry: ChangeAnalysis = {
      path: change.path,
      oldPath: change.oldPath,
      status: change.status,
      kind,
      agents: reaching.map((a) => a.name),
      tier,
      touches:
        reaching.length > 0
          ? ladder.sortDescending(reaching.map((a) => a.tier))
          : (resultTiers ?? (tier ? [tier] : [])),
      why,
    };
    if (c.skill) entry.skill = c.skill;
    changes.push(entry);
    if (tier === null) continue;
    if (reaching.length > 0) {
      for (const a of reaching) addTouched(a.tier, `${change.path} → ${a.name}`, false);
    } else if (c.resultOf) {
      // A committed result the suite trusts is seen by everyone who approves a tier relying on it.
      for (const t of entry.touches) addTouched(t, `${change.path} (${why})`, true);
    } else {
      addTouched(tier, `${change.path} (${why})`, kind === "eval");
    }
  }

  // 4. Escalations, version discipline.
  const escalations: Escalation[] = [];
  for (const [path, head] of headEval) {
    const e = escalationOf(baseEval.get(path) ?? null, head, ladder);
    if (e) escalations.push(e);
  }
  const versions = versionChecks(
    classified.filter((c) => c.kind !== null),
    views,
    escalations,
    errors,
  );

  const touchedList = ladder.sortDescending(touched.keys()).map((tier) => ({ tier, because: touched.get(tier)! }));
  const skillFolders = new Set(changedSkillFolders);
  for (const a of headEval.values()) a.refs.skills.forEach((s) => skillFolders.add(s));
  const isGated = (path: string): boolean => {
    if (classifyPath(path, config) !== null || referenced.has(path)) return true;
    if (trustedResultSuitesOf(path, config, resultsRoot).length > 0) return true;
    return ancestors(path).some((d) => skillFolders.has(d)) || skillFolderOf(path) !== null;
  };
  for (const p of extraGatedPaths) isGated(p);

  const agentChanges: AgentChange[] = [];
  for (const [path, head] of headEval) {
    const base = baseEval.get(path) ?? null;
    agentChanges.push({ name: head.name, path, base: base?.tier ?? null, head: head.tier });
  }
  for (const c of input.changes) {
    if (c.status !== "deleted" || !baseAgents.has(c.oldPath)) continue;
    const base = evaluateAgent(views.base, c.oldPath, config);
    if (base) agentChanges.push({ name: base.name, path: c.oldPath, base: base.tier, head: null });
  }

  const analysis: Analysis = {
    changes,
    ungated,
    touched: touchedList,
    tier: touchedList[0]?.tier ?? null,
    escalations,
    errors: dedupeErrors(errors),
    headAgents: [...headEval.values()],
    agentChanges,
    versions,
    suiteChanges,
    nonEvalTiers,
    isGated,
  };
  return { analysis, missing: missingOf(views) };
}

function scopedTo(rev: RevisionFiles, config: ResolvedConfig): RevisionFiles {
  return {
    ...rev,
    agents: rev.agents.filter((p) => config.artifact.agent(p)),
    mcpConfigs: rev.mcpConfigs.filter((p) => config.artifact.mcp(p)),
  };
}

function missingOf(views: Record<Side, RevisionView>): Record<Side, string[]> {
  return { base: [...views.base.missing].sort(), head: [...views.head.missing].sort() };
}

function intrinsicTier(
  c: { change: DecisionInput["changes"][number]; skill?: string },
  kind: PathKind,
  views: Record<Side, RevisionView>,
  config: ResolvedConfig,
  errors: FileError[],
): { tier: CapabilityTier; why: string } {
  const lowest = config.ladder.lowest;
  const path = c.change.path;
  const deleted = c.change.status === "deleted";
  switch (kind) {
    case "prompt": {
      if (!deleted) {
        const p = views.head.prompt(path);
        if (p.state === "parsed" && !p.result.ok) errors.push(p.result.error);
      }
      return { tier: "chat", why: "a prompt no agent references" };
    }
    case "tool": {
      if (deleted) return { tier: lowest, why: "tool file removed; no agent references it" };
      const t = views.head.tools(path);
      if (t.state !== "parsed") return { tier: "write", why: "pending" };
      if (!t.result.ok) {
        errors.push(t.result.error);
        return { tier: "write", why: "the file cannot be read, so its tools are assumed writing" };
      }
      const caps = t.result.value.tools.map((tool) => toolCapability(tool, path, config));
      const { tier } = tierOf(caps, 1, []);
      const writing = caps.filter((x) => x.writing).map((x) => `${x.name} (${x.why})`);
      return {
        tier,
        why: writing.length
          ? `writing tools ${writing.join(", ")}; no agent references it`
          : "read-only tools; no agent references it",
      };
    }
    case "skill": {
      const folder = c.skill ?? posix.dirname(path);
      const md = `${folder}/SKILL.md`;
      const s = views.head.skill(md);
      if (s.state === "absent") return { tier: lowest, why: "skill removed; no agent references it" };
      if (s.state !== "parsed") return { tier: "write", why: "pending" };
      if (!s.result.ok) {
        errors.push(s.result.error);
        return { tier: "write", why: "its SKILL.md cannot be read, so it is assumed writing" };
      }
      const caps = skillCapabilities(s.result.value, folder, config);
      const { tier } = tierOf(caps, 1, []);
      return {
        tier,
        why: `skill ${folder}: ${caps.filter((x) => x.writing).map((x) => x.why)[0] ?? "read-only allowed-tools"}; no agent references it`,
      };
    }
    case "mcp": {
      if (deleted) return { tier: lowest, why: "MCP config removed" };
      const m = views.head.mcp(path);
      if (m.state !== "parsed") return { tier: "write", why: "pending" };
      if (!m.result.ok) {
        errors.push(m.result.error);
        return { tier: "write", why: "the config cannot be read, so its servers are assumed writing" };
      }
      const caps = m.result.value.servers.map((s) =>
        unknownCapability(`mcp:${s.name}`, `MCP server ${s.name}`, "its tools are not declared in the repository"),
      );
      const { tier } = tierOf(caps, 1, []);
      return {
        tier,
        why: caps.length
          ? `servers ${m.result.value.servers.map((s) => s.name).join(", ")} with undeclared tools`
          : "no servers",
      };
    }
    case "agent": {
      return { tier: lowest, why: "agent" };
    }
    default:
      return { tier: lowest, why: kind };
  }
}

function dedupeErrors(errors: FileError[]): FileError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\0${e.line ?? ""}\0${e.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
