import { posix } from "node:path";
import { LOCK_PATH } from "../artifact/lock.js";
import { loadedKind, suitesDefining, type ClassifiedChange, type PathKind } from "../change/classify.js";
import { ancestors } from "../common/paths.js";
import type { CapabilityTier, Tier } from "../config/ladder.js";
import { parseConfig, type ResolvedConfig } from "../config/resolve.js";
import type { Change, ChangeStatus } from "../input/types.js";
import type { FileError } from "../parse/result.js";
import { serversIn, type Reach } from "../reach/reach.js";
import type { AgentRefs } from "../reach/refs.js";
import type { Views } from "../snapshot/view.js";
import { intrinsicTier } from "./intrinsic.js";
import { pushTo } from "../common/maps.js";

/** What the change does beyond the agents' tiers, by file and by agent: named in the reasons. */
export interface News {
  /** Per file that declares it, the automation (hooks, command-running settings) the change adds or removes there. */
  automation: ReadonlyMap<string, string[]>;
  /** Per agent path, what its settings newly pre-approve, in words. */
  preApproved: ReadonlyMap<string, string[]>;
  /** Per agent path, the tools it gains and loses, in words (`gains WebFetch, WebSearch`). */
  capabilities?: ReadonlyMap<string, string[]>;
  /** Per MCP config, the servers it adds, removes or starts otherwise, in words. */
  servers?: ReadonlyMap<string, string[]>;
  /** Each reached agent's tier at base, by its head path. */
  baseTiers?: ReadonlyMap<string, CapabilityTier>;
}

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
  /** The symbolic link a checkout shows it through, for a change the diff does not name. */
  via?: string;
  /** What it newly lets run without asking, by agent: the whole lists `why` shortens. */
  preApproved?: { agents: string[]; rules: string[] }[];
  /** The automation it changes (hooks, command-running settings, scripts they run): the whole list. */
  automation?: string[];
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
  news: Partial<News> = {},
): ChangeTiers {
  const automation = news.automation ?? new Map<string, string[]>();
  const preApproved = news.preApproved ?? new Map<string, string[]>();
  const ladder = config.ladder;
  const named = byUniqueName(agents);
  const reachedFrom = new Map<string, string[]>();
  for (const [path, hits] of reach.agents) for (const h of hits) pushTo(reachedFrom, h, path);
  // A symbolic link reaches what is loaded through it.
  for (const c of classified)
    if (c.change.via && c.change.via !== c.change.path)
      for (const p of [...(reachedFrom.get(c.change.path) ?? [])]) pushTo(reachedFrom, c.change.via, p);
  const kindOf = referencedKind(agents);
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
    const kind = c.kind ?? kindOf(c.change.path) ?? kindOf(c.change.oldPath);
    if (kind === null) {
      out.ungated.push(c.change.path);
      continue;
    }
    const reaching = atBaseTooIfLock(c, agentsReaching(c, kind, reach, reachedFrom, named, views), news, ladder);
    const judged = judge(c, kind, views, config, reaching, out);
    out.errors.push(...judged.errors, ...headErrors(c, kind, views, judged.errors));
    const { change } = c;
    const automated = automatedBy(change, kind, judged.reaching, automation);
    const entry = entryOf(c, kind, judged, automated, { ...news, automation, preApproved }, ladder);
    const touches = entry.touches;
    out.changes.push(entry);
    for (const a of automated) addTouched("governance", `${change.path}: ${a}`, false);
    if (judged.tier === null) continue;
    if (judged.reaching.length > 0) {
      for (const a of judged.reaching) addTouched(a.tier, `${change.path} → ${a.name}`, false);
      // A script an agent's hooks run is governance as well as the agent's.
      if (kind === "governance") addTouched("governance", `${change.path} (${judged.why})`, false);
    } else {
      // A committed result the suite trusts is seen by everyone who approves a tier relying on it.
      for (const t of touches) addTouched(t, `${change.path} (${judged.why})`, kind === "eval");
    }
  }
  out.touched = ladder.sortDescending(touched.keys()).map((tier) => ({ tier, because: touched.get(tier)! }));
  out.tier = out.touched[0]?.tier ?? null;
  return out;
}

/**
 * A change to `capgate.lock` claims what servers outside the repository give, which nobody can
 * check in the pull request: it touches each agent it reaches at the higher of its two tiers, so
 * a lock that says less than before cannot lower the bar it is judged at.
 */
function atBaseTooIfLock(
  c: ClassifiedChange,
  reaching: TieredAgent[],
  news: Partial<News>,
  ladder: ResolvedConfig["ladder"],
): TieredAgent[] {
  if (c.change.path !== LOCK_PATH && c.change.oldPath !== LOCK_PATH) return reaching;
  return reaching.map((a) => {
    const base = news.baseTiers?.get(a.path);
    return base && ladder.compare(base, a.tier) > 0 ? { ...a, tier: base } : a;
  });
}

/** A change as the report says it: what it is, the agents it reaches, every tier it touches, and why. */
function entryOf(
  c: ClassifiedChange,
  kind: PathKind,
  judged: Judged,
  automated: readonly string[],
  news: News,
  ladder: ResolvedConfig["ladder"],
): ChangeAnalysis {
  const { change } = c;
  const { preApproved } = news;
  // What its agents gain and lose, said of what declares or gives them tools (not of scripts or evals).
  const tools = (kind === "governance" || kind === "eval" ? [] : judged.reaching).flatMap((a) => {
    const said = news.capabilities?.get(a.path);
    return said?.length ? [`${a.name} ${said.join("; ")}`] : [];
  });
  // Agents given the same rules are named together.
  const byRules = new Map<string, { agents: string[]; rules: string[] }>();
  for (const a of judged.reaching) {
    const rules = preApproved.get(a.path);
    if (!rules) continue;
    const k = rules.join("\0");
    if (!byRules.has(k)) byRules.set(k, { agents: [], rules });
    byRules.get(k)!.agents.push(a.name);
  }
  const approvals = [...byRules.values()].map(
    (g) => `newly pre-approved for ${listed(g.agents)}: ${listed(g.rules, 8)}`,
  );
  const governs = kind === "governance" || automated.length > 0;
  const own =
    judged.reaching.length > 0
      ? judged.reaching.map((a) => a.tier)
      : (judged.resultTiers ?? (judged.tier ? [judged.tier] : []));
  const entry: ChangeAnalysis = {
    path: change.path,
    oldPath: change.oldPath,
    status: change.status,
    kind,
    agents: judged.reaching.map((a) => a.name),
    agentTiers: judged.reaching.map((a) => a.tier),
    tier: governs ? "governance" : judged.tier,
    touches: ladder.sortDescending(new Set([...own, ...(governs ? (["governance"] as const) : [])])),
    why: [
      judged.why,
      ...(news.servers?.get(change.path)?.length ? [listed(news.servers.get(change.path)!, 5, "; ")] : []),
      ...tools,
      ...(automated.length ? [`it changes what runs unasked: ${listed(automated, 5, "; ")}`] : []),
      ...approvals,
    ].join("; "),
  };
  if (c.skill) entry.skill = c.skill;
  if (change.via) entry.via = change.via;
  if (byRules.size) entry.preApproved = [...byRules.values()];
  if (automated.length) entry.automation = [...automated];
  return entry;
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
  if (kind === "governance") return { ...governance(c, views, config, reaching), reaching };
  if (kind === "eval") return evalTier(c, config, out.suiteChanges);
  if (kind === "agent" && change.status === "deleted" && reaching.length === 0)
    return { tier: config.ladder.lowest, why: "agent removed", reaching, errors: [] };
  if (reaching.length > 0) {
    const tier = config.ladder.max(reaching.map((a) => a.tier));
    return { tier, why: `reaches ${listed(reaching.map((a) => `${a.name} (${a.tier})`))}`, reaching, errors: [] };
  }
  const own = intrinsicTier(c, kind, views, config);
  return { tier: own.tier, why: own.why, reaching, errors: own.errors };
}

/**
 * What a path the agents reference is, when no glob says: a prompt, tool file or skill folder
 * (its own entry, a link in its place) they name, another file they are given (a slash command, a
 * settings layer: a prompt), or something their automation runs (governance).
 */
function referencedKind(agents: ReadonlyMap<string, TieredAgent>): (path: string) => PathKind | null {
  const referenced = new Map<string, PathKind>();
  for (const a of agents.values()) {
    if (a.refs.prompt) referenced.set(a.refs.prompt, "prompt");
    a.refs.toolFiles.forEach((t) => referenced.set(t, "tool"));
    a.refs.skills.forEach((s) => referenced.set(s, "skill"));
    a.refs.files.forEach((f) => referenced.has(f) || referenced.set(f, "prompt"));
  }
  const scripts = [...agents.values()].flatMap((a) => a.refs.automation);
  return (p) =>
    referenced.get(p) ?? (scripts.some((s) => (s.endsWith("/") ? p.startsWith(s) : p === s)) ? "governance" : null);
}

/**
 * What of the automation the agents it reaches run the change alters: hooks or command-running
 * settings it adds or removes in a file it changes, or a script they run that it changes (when
 * the script is not already judged as governance, which says so).
 */
function automatedBy(
  change: Change,
  kind: PathKind,
  reaching: readonly TieredAgent[],
  automation: ReadonlyMap<string, string[]>,
): string[] {
  const out = [
    ...(automation.get(change.path) ?? []),
    ...(change.oldPath !== change.path ? (automation.get(change.oldPath) ?? []) : []),
  ];
  // The file declaring the automation is not a script it runs.
  if (out.length || kind === "governance") return [...new Set(out)];
  for (const a of reaching)
    if (a.refs.automation.some((s) => (s.endsWith("/") ? change.path.startsWith(s) : s === change.path)))
      out.push(`it is run by ${a.name}'s hooks, settings or workflows`);
  return [...new Set(out)];
}

/** A list in words, a handful at most: the rest counted ("and 193 more"); the whole list is in the JSON. */
export function listed(items: readonly string[], most = 5, separator = ", "): string {
  if (items.length <= most) return items.join(separator);
  return `${items.slice(0, most).join(separator)} and ${items.length - most} more`;
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
  if (kind === "eval") return [];
  const keys = new Set([
    c.change.path,
    c.change.oldPath,
    ...(c.aliases ?? []),
    ...(reach.parts.get(c.change.path) ?? []),
    ...(reach.parts.get(c.change.oldPath) ?? []),
  ]);
  if (c.skill) keys.add(`${c.skill}/`);
  // Moved or deleted away: the skill folders it was in are what agents may still name.
  if (reach.goneAtHead.has(c.change.oldPath)) for (const dir of ancestors(c.change.oldPath)) keys.add(`${dir}/`);
  if (kind === "mcp") for (const n of serversIn(c.change, views)) keys.add(`mcp:${n}`);
  const paths = new Set<string>();
  for (const k of keys) for (const p of reachedFrom.get(k) ?? []) paths.add(p);
  return [...paths].map((p) => agents.get(p)).filter((a): a is TieredAgent => a !== undefined);
}

function governance(
  c: ClassifiedChange,
  views: Views,
  config: ResolvedConfig,
  reaching: readonly TieredAgent[],
): Judged {
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
  const why = isConfig
    ? "the capgate config"
    : config.governance(change.path) || config.governance(change.oldPath)
      ? "a CI workflow"
      : loadedKind(change.path, views) === "governance" || loadedKind(change.oldPath, views) === "governance"
        ? "run by CI (a local action, or a script a workflow names)"
        : reaching.length
          ? `run unasked by the hooks, settings or workflows of ${listed(reaching.map((a) => a.name))}`
          : "run unasked by an agent's hooks, settings or workflows";
  return { tier: "governance", why, reaching: [], errors };
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
 * A gated file that cannot be read at head is an error whatever its kind; content that is not
 * text is an error only where it must be parsed: a skill folder's fonts, images and archives are
 * counted by their blob, like any other file of the skill. A symbolic link is read at its target,
 * as a checkout reads it; a folder a link stands for is read through it; what a checkout shows
 * that capgate cannot see is the worst case for what loads it, not an error of its own.
 */
function headErrors(c: ClassifiedChange, kind: PathKind, views: Views, known: readonly FileError[]): FileError[] {
  const { change } = c;
  if (change.status === "deleted") return [];
  if (kind === "eval" || kind === "governance") return [];
  const f = views.head.file(change.path);
  const opaqueOk = kind === "skill" && posix.basename(change.path) !== "SKILL.md";
  if (known.some((e) => e.path === change.path)) return [];
  if (f.state === "error" || (f.state === "opaque" && !opaqueOk)) return [{ path: change.path, reason: f.reason }];
  return [];
}
