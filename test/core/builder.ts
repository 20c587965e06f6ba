import { discoverIn, loadsRecord } from "../../src/runtime/discover.js";
import type { Listing, LoadedEntry } from "../../src/runtime/places.js";
import { parseConfig, type ResolvedConfig } from "../../src/config/resolve.js";
import { decide, type Decision } from "../../src/decision/decide.js";
import { analyze, type Analysis } from "../../src/analysis/analyze.js";
import type {
  Approvals,
  Audit,
  Change,
  ConfigSource,
  DecisionInput,
  Evidence,
  FileState,
  ResultFile,
} from "../../src/input/types.js";
import { changeReads, digestPaths, reachReads } from "../../src/plan/reads.js";
import { newCache } from "../../src/analysis/analyze.js";
import { policiesOf } from "../../src/decision/decide.js";
import { CONFIG } from "../scenarios/fixture.js";

export const BASE_SHA = "a".repeat(40);
export const HEAD_SHA = "b".repeat(40);

/** A file's content, or null: the path does not exist at that revision. */
export type Files = Record<string, string | null>;

export interface ReviewSpec {
  user: string;
  state?: string;
  /** The commit reviewed: the head by default. */
  at?: string | null;
  bot?: boolean;
}

/**
 * A decision's input as plain data, built the way a test reads: the base's files, what the change
 * does to them, the reviews and the results. The changes are the differences between the two.
 */
export class Case {
  private baseFiles: Files = {};
  private headFiles: Files = {};
  private renames: [string, string][] = [];
  private configText: string;
  private source: ConfigSource = "base";
  private approvals: Approvals = { ok: false, why: "no reviews given" };
  private results: Record<string, ResultFile[]> = {};
  private modified: string[] | null = [];
  private audit: Audit | undefined;

  constructor(config: string = CONFIG) {
    this.configText = config;
  }

  base(files: Files): this {
    this.baseFiles = { ...this.baseFiles, ...files };
    return this;
  }

  /** The head: the base with these files written (null deletes one). */
  head(files: Files): this {
    this.headFiles = { ...this.headFiles, ...files };
    return this;
  }

  /** A file moved at head, its content kept unless `content` is given. */
  rename(from: string, to: string, content?: string): this {
    this.renames.push([from, to]);
    this.headFiles[from] = null;
    this.headFiles[to] = content ?? this.baseFiles[from] ?? null;
    return this;
  }

  /** The config came from the pull request's head (no config at base). */
  configFromHead(): this {
    this.source = "head";
    return this;
  }

  reviews(reviews: ReviewSpec[], opts: { author?: string; teams?: Record<string, string[]> } = {}): this {
    this.approvals = {
      ok: true,
      author: opts.author ?? "dave",
      reviews: reviews.map((r) => ({
        user: r.user,
        state: r.state ?? "APPROVED",
        commitId: r.at === undefined ? HEAD_SHA : r.at,
        ...(r.bot ? { isBot: true } : {}),
      })),
      teams: opts.teams ?? { "@acme/ml": ["alice", "bob"], "@acme/trust-safety": ["carol", "erin"] },
      reviewedCommits: {},
    };
    return this;
  }

  /** What changed since each reviewed commit other than the head. */
  reviewedSince(commit: string, paths: string[] | null): this {
    if (this.approvals.ok) this.approvals.reviewedCommits[commit] = paths;
    return this;
  }

  result(suite: string, file: Partial<ResultFile> & { text: string }): this {
    const { text, ...rest } = file;
    (this.results[suite] ??= []).push({
      path: `eval-results/${suite}.json`,
      content: { ok: true, text },
      tracked: false,
      inWorkspace: true,
      committedInChange: false,
      ...rest,
    });
    return this;
  }

  workspaceModified(paths: string[] | null): this {
    this.modified = paths;
    return this;
  }

  withAudit(audit: Audit): this {
    this.audit = audit;
    return this;
  }

  resolved(): ResolvedConfig {
    const c = parseConfig(".github/capgate.yml", this.configText);
    if (!c.ok) throw new Error(`the case's config does not parse: ${c.error.reason}`);
    return c.value;
  }

  input(): DecisionInput {
    const config = this.resolved();
    const head: Files = { ...this.baseFiles, ...this.headFiles };
    const renamedTo = new Map(this.renames.map(([from, to]) => [to, from]));
    const renamedFrom = new Set(this.renames.map(([from]) => from));
    const changes: Change[] = [];
    for (const path of new Set([...Object.keys(this.baseFiles), ...Object.keys(head)])) {
      if (renamedFrom.has(path)) continue;
      const oldPath = renamedTo.get(path) ?? path;
      const b = this.baseFiles[oldPath] ?? null;
      const h = head[path] ?? null;
      if (b === h && oldPath === path) continue;
      const status = oldPath !== path ? "renamed" : b === null ? "added" : h === null ? "deleted" : "modified";
      changes.push({ path, oldPath, status, contentChanged: b !== h, headMode: h === null ? null : "100644" });
    }
    const snapshot = (sha: string, files: Files) => {
      const map = new Map<string, FileState>();
      for (const [p, t] of Object.entries(files))
        map.set(p, t === null ? { state: "absent" } : { state: "file", text: t, oid: oidOf(t) });
      // Every path of the change has a state at both revisions.
      for (const c of changes) for (const p of [c.path, c.oldPath]) if (!map.has(p)) map.set(p, { state: "absent" });
      const present = (m: (p: string) => boolean) => Object.keys(files).filter((p) => files[p] !== null && m(p));
      const loads = loadsOf(files, config);
      const agents = [
        ...new Set([
          ...present((p) => config.agentSource(p) === "capgate" && config.artifact.agent(p)),
          ...Object.keys(loads.record.agents),
        ]),
      ].sort();
      return {
        sha,
        files: map,
        agents,
        mcpConfigs: loads.record.mcpConfigs,
        skills: loads.found.skills,
        commands: loads.found.commands,
        loads: loads.record,
      };
    };
    const evidence: Evidence = {
      acceptedCommits: [HEAD_SHA],
      checkout: HEAD_SHA,
      checkoutModified: this.modified,
      results: this.results,
      baselines: {},
      baseCommits: [BASE_SHA],
      approvals: this.approvals,
    };
    const input: DecisionInput = {
      config: { path: ".github/capgate.yml", raw: config.raw, source: this.source },
      base: snapshot(BASE_SHA, this.baseFiles),
      head: snapshot(HEAD_SHA, head),
      changes,
      evidence,
      ...(this.audit ? { audit: this.audit } : {}),
    };
    return completed(input);
  }

  decide(): Decision {
    return decide(this.input());
  }

  analyze(): Analysis {
    return analyze(this.input(), this.resolved());
  }
}

/**
 * The input as the shell would gather it: every path the read stages plan is there, at both
 * revisions — absent where the case has no such file.
 */
function completed(input: DecisionInput): DecisionInput {
  const policies = policiesOf(input.config);
  const absent = (files: ReadonlyMap<string, FileState>, paths: Iterable<string>) => {
    const map = new Map(files);
    for (const p of paths) if (!map.has(p)) map.set(p, { state: "absent" });
    return map;
  };
  const first = changeReads(
    input.changes.map((change) => ({ change })),
    policies,
  ).candidates;
  const stage1 = { ...input, head: { ...input.head, files: absent(input.head.files, first) } };
  const approvals = input.evidence.approvals;
  const asked = approvals.ok ? Object.values(approvals.reviewedCommits).flatMap((p) => p ?? []) : [];
  const reached = reachReads(
    stage1,
    policies,
    { asked, digests: digestPaths(Object.values(input.evidence.results).flat()) },
    newCache(),
  );
  return {
    ...stage1,
    base: { ...input.base, files: absent(input.base.files, reached) },
    head: { ...stage1.head, files: absent(stage1.head.files, reached) },
  };
}

function oidOf(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return `${(h >>> 0).toString(16).padStart(8, "0")}${text.length.toString(16).padStart(32, "0")}`;
}

/**
 * What the runtimes load from a revision's files, found as the gathering finds it: every file
 * listed (a case has no links), each manifest a runtime asks for read from the case.
 */
function loadsOf(files: Files, config: ResolvedConfig) {
  const present = Object.entries(files).filter(([, t]) => t !== null) as [string, string][];
  const entries = new Map<string, LoadedEntry>(
    present.map(([path, t]) => [path, { path, mode: "100644", oid: oidOf(t) }]),
  );
  const listing: Listing = { files: entries, unseen: new Map(), links: new Map(), covers: () => true };
  const places = { agentGlobs: config.agentGlobs, mcpGlobs: config.artifactGlobs.mcp };
  const read = (p: string) => (typeof files[p] === "string" ? files[p] : null);
  let found = discoverIn(listing, read, places);
  for (let i = 0; i < 6 && found.more.read.length; i++) found = discoverIn(listing, read, places);
  return { found: found.found, record: loadsRecord(listing, found.found) };
}
