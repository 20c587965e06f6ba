import { posix } from "node:path";
import { suitesDefining, type ClassifiedChange, type PathKind } from "../change/classify.js";
import { ancestors } from "../common/paths.js";
import type { CapabilityTier, Tier } from "../config/ladder.js";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import type { ChangeStatus } from "../input/types.js";
import type { FileError } from "../parse/result.js";
import { serversIn, type Reach } from "../reach/reach.js";
import type { AgentRefs } from "../reach/refs.js";
import type { Views } from "../snapshot/view.js";
import { intrinsicTier } from "./intrinsic.js";
import { pushTo } from "../common/maps.js";

/** What a change's tier needs of an agent it reaches (the agent step knows more of it). */
export interface TieredAgent {
  path: string;
  name: string;
  tier: CapabilityTier;
  refs: AgentRefs;
}

export interface ChangeAnalysis {
  path: string;
  oldPath: string;
  status: ChangeStatus;
  kind: PathKind;
  /** For a skill member, the skill folder it belongs to. */
  skill?: string;
  agents: string[];
  /** Each of `agents`' head tier, in the same order. */
  agentTiers: Tier[];
  tier: Tier | null;
  /** Every tier the change touches: its agents' head tiers, else its own. */
  touches: Tier[];
  /** How the tier was found. */
  why: string;
}

export interface TouchedTier {
  tier: Tier;
  because: string[];
}

/** Each change's tier, and every tier the change touches with what touched it. */
export interface ChangeTiers {
  changes: ChangeAnalysis[];
  /** Changed paths that are not gated artifacts. */
  ungated: string[];
  touched: TouchedTier[];
  tier: Tier | null;
  /** Tiers touched by changes other than eval definitions and results (for holdout integrity). */
  nonEvalTiers: Set<Tier>;
  /** Suite → its definition files changed here. */
  suiteChanges: Map<string, string[]>;
  errors: FileError[];
}

const SYMLINK = "120000";

/** What a change's tier is, and what it touches, before it is recorded. */
interface Judged {
  tier: Tier | null;
  why: string;
  reaching: TieredAgent[];
  /** For committed results a suite trusts: every tier relying on the suite. */
  resultTiers?: Tier[];
  errors: FileError[];
}

/**
 * Each change's tier: through the head tiers of the agents it reaches, else its own; a change to
 * the config or a workflow is `governance`; an eval definition touches the highest tier requiring
 * its suite, a trusted committed result every one.
 */
export function tierChanges(
  classified: readonly ClassifiedChange[],
  reach: Reach,
  agents: ReadonlyMap<string, TieredAgent>,
  views: Views,
  config: ResolvedConfig,
): ChangeTiers {
  const ladder = config.ladder;
  const named = byUniqueName(agents);
  const reachedFrom = new Map<string, string[]>();
  for (const [path, hits] of reach.agents) for (const h of hits) pushTo(reachedFrom, h, path);
  const referenced = new Map<string, PathKind>();
  for (const a of agents.values()) {
    if (a.refs.prompt) referenced.set(a.refs.prompt, "prompt");
    a.refs.toolFiles.forEach((t) => referenced.set(t, "tool"));
    // A skill folder's own entry (a link in its place) is the skill's.
    a.refs.skills.forEach((s) => referenced.set(s, "skill"));
    // Other files its tier depends on (a slash command it may run) are prompts it is given.
    a.refs.files.forEach((f) => referenced.has(f) || referenced.set(f, "prompt"));
  }
  const out: ChangeTiers = {
    changes: [],
    ungated: [],
    touched: [],
    tier: null,
    nonEvalTiers: new Set(),
    suiteChanges: new Map(),
    errors: [],
  };
  const touched = new Map<Tier, string[]>();
  const addTouched = (tier: Tier, because: string, isEval: boolean) => {
    pushTo(touched, tier, because);
    if (!isEval) out.nonEvalTiers.add(tier);
  };
  for (const c of classified) {
    const kind = c.kind ?? referenced.get(c.change.path) ?? referenced.get(c.change.oldPath) ?? null;
    if (kind === null) {
      out.ungated.push(c.change.path);
      continue;
    }
    const judged = judge(c, kind, views, config, agentsReaching(c, kind, reach, reachedFrom, named, views), out);
    out.errors.push(...judged.errors, ...headErrors(c, kind, views, judged.errors));
    const { change } = c;
    const touches =
      judged.reaching.length > 0
        ? ladder.sortDescending(judged.reaching.map((a) => a.tier))
        : (judged.resultTiers ?? (judged.tier ? [judged.tier] : []));
    const entry: ChangeAnalysis = {
      path: change.path,
      oldPath: change.oldPath,
      status: change.status,
      kind,
      agents: judged.reaching.map((a) => a.name),
      agentTiers: judged.reaching.map((a) => a.tier),
      tier: judged.tier,
      touches,
      why: judged.why,
    };
    if (c.skill) entry.skill = c.skill;
    out.changes.push(entry);
    if (judged.tier === null) continue;
    if (judged.reaching.length > 0) {
      for (const a of judged.reaching) addTouched(a.tier, `${change.path} → ${a.name}`, false);
    } else {
      // A committed result the suite trusts is seen by everyone who approves a tier relying on it.
      for (const t of touches) addTouched(t, `${change.path} (${judged.why})`, kind === "eval");
    }
  }
  out.touched = ladder.sortDescending(touched.keys()).map((tier) => ({ tier, because: touched.get(tier)! }));
  out.tier = out.touched[0]?.tier ?? null;
  return out;
}

function judge(
  c: ClassifiedChange,
  kind: PathKind,
  views: Views,
  config: ResolvedConfig,
  reaching: TieredAgent[],
  out: ChangeTiers,
): Judged {
  const { change } = c;
  if (kind === "governance") return governance(c, views, config);
  if (kind === "eval") return evalTier(c, config, out.suiteChanges);
  if (kind === "agent" && change.status === "deleted")
    return { tier: config.ladder.lowest, why: "agent removed", reaching, errors: [] };
  if (reaching.length > 0) {
    const tier = config.ladder.max(reaching.map((a) => a.tier));
    return { tier, why: `reaches ${reaching.map((a) => `${a.name} (${a.tier})`).join(", ")}`, reaching, errors: [] };
  }
  const own = intrinsicTier(c, kind, views, config);
  return { tier: own.tier, why: own.why, reaching, errors: own.errors };
}

/** The agents, each named so a reader can tell it apart: with its path when another has its name. */
function byUniqueName(agents: ReadonlyMap<string, TieredAgent>): ReadonlyMap<string, TieredAgent> {
  const count = new Map<string, number>();
  for (const a of agents.values()) count.set(a.name, (count.get(a.name) ?? 0) + 1);
  return new Map(
    [...agents].map(([path, a]) => [path, count.get(a.name)! > 1 ? { ...a, name: `${a.name} (${path})` } : a]),
  );
}

/** The agents a change reaches at head, through what it is (a path, a skill folder, a server). */
function agentsReaching(
  c: ClassifiedChange,
  kind: PathKind,
  reach: Reach,
  reachedFrom: ReadonlyMap<string, string[]>,
  agents: ReadonlyMap<string, TieredAgent>,
  views: Views,
): TieredAgent[] {
  if (kind === "eval" || kind === "governance") return [];
  const keys = new Set([c.change.path, c.change.oldPath]);
  if (c.skill) keys.add(`${c.skill}/`);
  // Moved or deleted away: the skill folders it was in are what agents may still name.
  if (reach.goneAtHead.has(c.change.oldPath)) for (const dir of ancestors(c.change.oldPath)) keys.add(`${dir}/`);
  if (kind === "mcp") for (const n of serversIn(c.change, views)) keys.add(`mcp:${n}`);
  const paths = new Set<string>();
  for (const k of keys) for (const p of reachedFrom.get(k) ?? []) paths.add(p);
  return [...paths].map((p) => agents.get(p)).filter((a): a is TieredAgent => a !== undefined);
}

function governance(c: ClassifiedChange, views: Views, config: ResolvedConfig): Judged {
  const { change } = c;
  const isConfig = change.path === config.path;
  const errors: FileError[] = [];
  // The config this change writes is the one later changes are judged by: it must be valid.
  if (isConfig && change.status !== "deleted") {
    const f = views.head.file(change.path);
    if (f.state === "file") {
      const next = parseConfig(change.path, f.text);
      if (!next.ok) errors.push(next.error);
    } else if (f.state === "opaque") errors.push({ path: change.path, reason: f.reason });
  }
  return { tier: "governance", why: isConfig ? "the capgate config" : "a CI workflow", reaching: [], errors };
}

function evalTier(c: ClassifiedChange, config: ResolvedConfig, suiteChanges: Map<string, string[]>): Judged {
  const { change } = c;
  const defined = suitesDefining(change.path, config).concat(
    change.oldPath !== change.path ? suitesDefining(change.oldPath, config) : [],
  );
  for (const s of defined) pushTo(suiteChanges, s, change.path);
  const suites = [...new Set([...defined, ...(c.resultOf ?? [])])];
  const tiers = config.ladder.sortDescending(
    Object.entries(config.raw.tiers ?? {})
      .filter(([, req]) => req?.evals?.some((e) => suites.includes(e)))
      .map(([t]) => t as Tier),
  );
  const tier = tiers[0] ?? null;
  const what = c.resultOf
    ? `a committed result of suite ${suites.join(", ")} (trust_committed_results)`
    : `defines suite ${suites.join(", ")}`;
  const why = tier ? `${what}, required by tier ${tier}` : `${what}, which no tier requires`;
  return { tier, why, reaching: [], ...(c.resultOf ? { resultTiers: tiers } : {}), errors: [] };
}

/**
 * A gated file that is a symbolic link, or cannot be read at head, is an error whatever its kind;
 * content that is not text is an error only where it must be parsed: a skill folder's fonts,
 * images and archives are counted by their blob, like any other file of the skill.
 */
function headErrors(c: ClassifiedChange, kind: PathKind, views: Views, known: readonly FileError[]): FileError[] {
  const { change } = c;
  if (change.status === "deleted") return [];
  if (change.headMode === SYMLINK)
    return [{ path: change.path, reason: "is a symbolic link; gated files must be regular files" }];
  if (kind === "eval" || kind === "governance") return [];
  const f = views.head.file(change.path);
  const opaqueOk = kind === "skill" && posix.basename(change.path) !== "SKILL.md";
  if (known.some((e) => e.path === change.path)) return [];
  if (f.state === "error" || (f.state === "opaque" && !opaqueOk)) return [{ path: change.path, reason: f.reason }];
  return [];
}
