import { preApprovalsInWords, type Capability, type PreApproval } from "../capability/tools.js";
import { evaluateAgent, type AgentAtRevision } from "../agent/evaluate.js";
import {
  adoptReferencedSkills,
  aliasesOf,
  loadedKind,
  classifyChanges,
  kindByGlobs,
  skillFolderOf,
  trustedResultSuitesOf,
  type ClassifiedChange,
} from "../change/classify.js";
import { ancestors } from "../common/paths.js";
import type { CapabilityTier, Tier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { escalationOf, type Escalation } from "../escalation/escalation.js";
import type { DecisionInput } from "../input/types.js";
import type { FileError } from "../parse/result.js";
import { reachOf, removedAgents, touchedPaths, type ScreenMemo } from "../reach/reach.js";
import { scopedTo, viewsOf, type ParseCache, type Views } from "../snapshot/view.js";
import { listed, tierChanges, type ChangeAnalysis, type TouchedTier } from "../tier/changes.js";
import { versionChecks, type VersionCheck } from "../version/discipline.js";
import { pushTo } from "../common/maps.js";
import { serverEntries, type ServerEntry } from "./servers.js";
import { pinNeeds, type PinNeed } from "./pins.js";
import { LOCK_PATH } from "../artifact/lock.js";
import { lockChanges, lockChangeSaid } from "../runtime/mcp/lock-changes.js";

/** An agent the change reaches, at both revisions (null where it does not exist). */
export interface AgentChange {
  name: string;
  path: string;
  base: CapabilityTier | null;
  head: CapabilityTier | null;
  /** An agent the change removes (deleted, or moved where no agent is read): as it was. */
  removed?: AgentAtRevision;
}

/** What a change does to capability, as plain data. */
export interface Analysis {
  changes: ChangeAnalysis[];
  ungated: string[];
  touched: TouchedTier[];
  tier: Tier | null;
  escalations: Escalation[];
  errors: FileError[];
  headAgents: AgentAtRevision[];
  /** Each reached agent at base, by its head path: null when it is new. */
  baseAgents: ReadonlyMap<string, AgentAtRevision | null>;
  agentChanges: AgentChange[];
  versions: VersionCheck[];
  suiteChanges: Map<string, string[]>;
  nonEvalTiers: Set<Tier>;
  /**
   * Of the paths the evidence asks about (changed since a review, edited in the workspace), the
   * gated ones: a review given before such a path changed, or a result produced over other content
   * for it, is not for this content.
   */
  gated: ReadonlySet<string>;
  /** The MCP servers the touched tiers ask to be pinned (`pins`). */
  pins: PinNeed[];
}

/** Work that depends only on blob contents, shared by every analysis in one process. */
export interface AnalysisCache {
  parsed: ParseCache;
  screened: ScreenMemo;
}

export function newCache(): AnalysisCache {
  return { parsed: new Map(), screened: new Map() };
}

/**
 * What a change does to capability under one policy: which artifacts it touches, which agents
 * it reaches and their tiers at both revisions, the tiers it touches, escalations and version
 * discipline. Pure and total: reading a path the input lacks throws (a gathering bug).
 */
export function analyze(input: DecisionInput, config: ResolvedConfig, cache: AnalysisCache = newCache()): Analysis {
  const base = scopedTo(input.base, config);
  const head = scopedTo(input.head, config);
  const touched = touchedPaths(input.changes);
  const views = viewsOf(base, head, touched.any, cache.parsed, config.agentSource);
  const resultsRoot = input.evidence.resultsRoot === undefined ? "" : input.evidence.resultsRoot;
  const first = classifyChanges(input.changes, config, views, resultsRoot);
  const reach = reachOf(first, views, { base, head }, touched, cache.screened);

  const headEval = new Map<string, AgentAtRevision>();
  const baseEval = new Map<string, AgentAtRevision | null>();
  const baseAgents = new Set(base.agents);
  for (const path of reach.agents.keys()) {
    const h = evaluateAgent(views.head, path, config);
    if (!h) continue;
    headEval.set(path, h);
    const basePath = reach.renamedFrom.get(path) ?? path;
    baseEval.set(path, baseAgents.has(basePath) ? evaluateAgent(views.base, basePath, config) : null);
  }
  const classified = adoptReferencedSkills(first, new Set([...headEval.values()].flatMap((a) => a.refs.skills)));
  const removed = removedAgents(input.changes, baseAgents, new Set(head.agents)).flatMap((p) => {
    const a = evaluateAgent(views.base, p, config);
    return a ? [a] : [];
  });
  const serverChanges = serversChanged(classified, views);
  const tiers = tierChanges(classified, reach, headEval, views, config, {
    automation: automationChanges(headEval, baseEval, removed),
    preApproved: newlyPreApproved(headEval, baseEval),
    capabilities: toolChanges(headEval, baseEval),
    servers: new Map([...serverChanges].map(([path, c]) => [path, c.said])),
    baseTiers: new Map([...baseEval].flatMap(([p, b]) => (b ? [[p, b.tier]] : []))),
  });
  const escalations = [...headEval].flatMap(([path, h]) => {
    const e = escalationOf(baseEval.get(path) ?? null, h, config.ladder);
    return e ? [e] : [];
  });
  const versions = versionChecks(
    classified.filter((c) => c.kind !== null),
    views,
    escalations,
  );
  return {
    changes: tiers.changes,
    ungated: tiers.ungated,
    touched: tiers.touched,
    tier: tiers.tier,
    escalations,
    errors: dedupeErrors([...[...headEval.values()].flatMap((a) => a.errors), ...tiers.errors, ...versions.errors]),
    headAgents: [...headEval.values()],
    baseAgents: baseEval,
    agentChanges: agentChanges(input, headEval, baseEval, views, config),
    versions: versions.checks,
    suiteChanges: tiers.suiteChanges,
    nonEvalTiers: tiers.nonEvalTiers,
    gated: gatedAmong(askedPaths(input), classified, headEval, views, config, resultsRoot),
    pins: pinNeeds(
      { head: [...headEval.values()], base: baseEval },
      tiers.changes,
      new Set([...serverChanges.values()].flatMap((c) => c.names)),
      views,
      config,
    ),
  };
}

/** The paths the evidence asks about: changed since a review, or edited in the workspace. */
export function askedPaths(input: DecisionInput): string[] {
  const approvals = input.evidence.approvals;
  const reviewed = approvals.ok ? Object.values(approvals.reviewedCommits).flatMap((paths) => paths ?? []) : [];
  return [...new Set([...reviewed, ...(input.evidence.checkoutModified ?? [])])];
}

function gatedAmong(
  asked: readonly string[],
  classified: readonly ClassifiedChange[],
  agents: ReadonlyMap<string, AgentAtRevision>,
  views: Views,
  config: ResolvedConfig,
  resultsRoot: string | null,
): Set<string> {
  const referenced = new Set(
    [...agents.values()].flatMap((a) => [a.refs.prompt ?? "", ...a.refs.toolFiles, ...a.refs.files]),
  );
  const skillFolders = new Set([
    ...classified.flatMap((c) => (c.skill ? [c.skill] : [])),
    ...[...agents.values()].flatMap((a) => a.refs.skills),
  ]);
  const automation = [...agents.values()].flatMap((a) => a.refs.automation);
  // Gated as itself, or as what a checkout shows it as through a symbolic link.
  const gatedAs = (p: string): boolean =>
    kindByGlobs(p, config) !== null ||
    loadedKind(p, views) !== null ||
    referenced.has(p) ||
    automation.some((s) => (s.endsWith("/") ? p.startsWith(s) : s === p)) ||
    ancestors(p).some((d) => skillFolders.has(d));
  const isGated = (path: string): boolean =>
    gatedAs(path) ||
    aliasesOf(path, views).some(gatedAs) ||
    trustedResultSuitesOf(path, config, resultsRoot).length > 0 ||
    skillFolderOf(path, views, config) !== null;
  return new Set(asked.filter(isGated));
}

function agentChanges(
  input: DecisionInput,
  headEval: ReadonlyMap<string, AgentAtRevision>,
  baseEval: ReadonlyMap<string, AgentAtRevision | null>,
  views: Views,
  config: ResolvedConfig,
): AgentChange[] {
  const out: AgentChange[] = [];
  for (const [path, head] of headEval)
    out.push({ name: head.name, path, base: baseEval.get(path)?.tier ?? null, head: head.tier });
  const baseAgents = new Set(scopedTo(input.base, config).agents);
  for (const path of removedAgents(input.changes, baseAgents, new Set(scopedTo(input.head, config).agents))) {
    const base = evaluateAgent(views.base, path, config);
    if (base) out.push({ name: base.name, path, base: base.tier, head: null, removed: base });
  }
  return out;
}

/**
 * The automation (hooks, command-running settings) each file's change adds or removes, in words,
 * by the file that declares it: at both revisions of each agent the change reaches, and all of an
 * agent it removes.
 */
function automationChanges(
  headEval: ReadonlyMap<string, AgentAtRevision>,
  baseEval: ReadonlyMap<string, AgentAtRevision | null>,
  removed: readonly AgentAtRevision[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const key = (a: { what: string; where: string }) => `${a.where}\0${a.what}`;
  const diff = (
    before: readonly { what: string; where: string }[],
    after: readonly { what: string; where: string }[],
  ) => {
    const b = new Set(before.map(key));
    const h = new Set(after.map(key));
    for (const a of after) if (!b.has(key(a))) pushTo(out, a.where, `adds ${a.what}`);
    for (const a of before) if (!h.has(key(a))) pushTo(out, a.where, `removes ${a.what}`);
  };
  for (const [path, h] of headEval) diff(baseEval.get(path)?.automation ?? [], h.automation);
  for (const a of removed) diff(a.automation, []);
  for (const [file, list] of out) out.set(file, [...new Set(list)]);
  return out;
}

/**
 * Per changed MCP config, or the lock, the servers it adds or starts otherwise (or whose locked
 * tools it changes), by name, and every server it changes, in words.
 */
function serversChanged(
  classified: readonly ClassifiedChange[],
  views: Views,
): Map<string, { names: string[]; said: string[] }> {
  const out = new Map<string, { names: string[]; said: string[] }>();
  for (const c of classified) {
    if (c.kind !== "mcp") continue;
    if (c.change.path === LOCK_PATH) {
      const locked = lockChanges(views);
      out.set(c.change.path, { names: locked.map((l) => l.name), said: locked.map(lockChangeSaid) });
      continue;
    }
    const entries = serverEntries(c.change.oldPath, c.change.path, c.change.status, views);
    out.set(c.change.path, {
      names: entries.filter((e) => e.status !== "removed").map((e) => e.name),
      said: entries.map(serverInWords),
    });
  }
  return out;
}

/** A server an MCP config change adds, removes or starts otherwise, in words. */
function serverInWords(s: ServerEntry): string {
  if (s.status === "added") return `adds server ${s.name} (${s.to})`;
  if (s.status === "removed") return `removes server ${s.name}`;
  return `server ${s.name}: ${s.from} → ${s.to}`;
}

/** Per agent the change keeps, the tools it gains and loses by name, in words. */
function toolChanges(
  headEval: ReadonlyMap<string, AgentAtRevision>,
  baseEval: ReadonlyMap<string, AgentAtRevision | null>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [path, h] of headEval) {
    const b = baseEval.get(path);
    if (!b) continue;
    // A tool is told apart by where it comes from: a hook that may approve Edit is not the Edit tool.
    const key = (c: Capability) => `${c.name}\0${c.source}`;
    const diff = (from: readonly Capability[], to: readonly Capability[]) => {
      const there = new Set(to.map(key));
      const names = new Set(to.map((c) => c.name));
      const out = from
        .filter((c) => !there.has(key(c)))
        .map((c) => (names.has(c.name) ? `${c.name} (${c.source})` : c.name));
      return [...new Set(out)];
    };
    const gains = diff(h.capabilities, b.capabilities);
    const loses = diff(b.capabilities, h.capabilities);
    const said = [
      ...(gains.length ? [`gains ${listed(gains)}`] : []),
      ...(loses.length ? [`loses ${listed(loses)}`] : []),
    ];
    if (said.length) out.set(path, said);
  }
  return out;
}

/** What each agent's settings, commands and skills newly pre-approve, by its path: named in the reasons of every change that reaches it. */
function newlyPreApproved(
  headEval: ReadonlyMap<string, AgentAtRevision>,
  baseEval: ReadonlyMap<string, AgentAtRevision | null>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const key = (p: PreApproval) => `${p.rule}\0${p.in ?? ""}`;
  for (const [path, h] of headEval) {
    const before = new Set((baseEval.get(path)?.preApproved ?? []).map(key));
    const added = preApprovalsInWords(h.preApproved.filter((p) => !before.has(key(p))));
    if (added.length) out.set(path, added);
  }
  return out;
}

function dedupeErrors(errors: readonly FileError[]): FileError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\0${e.line ?? ""}\0${e.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
