import type { Config } from "../config/schema.js";

/** What a revision's path held, as far as the gate is concerned. */
export type FileState =
  { state: "file"; text: string; oid: string } | { state: "absent" } | { state: "error"; reason: string };

export type Side = "base" | "head";

/** Where the config came from: a revision, or (a trial) a file on disk. */
export type ConfigSource = Side | "file";

export interface RevisionFiles {
  sha: string;
  /**
   * Every path the decision may look at. A path missing from this map was not gathered: the
   * analysis reports it as needed, and the shell reads it and asks again.
   */
  files: ReadonlyMap<string, FileState>;
  /** Paths of all agent manifests at this revision. */
  agents: readonly string[];
  /** Paths of all MCP configs at this revision. */
  mcpConfigs: readonly string[];
}

export type ChangeStatus = "added" | "modified" | "deleted" | "renamed";

export interface Change {
  path: string;
  /** The path at base: differs from `path` only for renames. */
  oldPath: string;
  status: ChangeStatus;
  /** True when the blob itself changed (a pure rename keeps it). */
  contentChanged: boolean;
  /** The git file mode at head (`100644`, `120000` for a symbolic link, …), or null when deleted. */
  headMode: string | null;
}

export interface ResultFileInput {
  /** Path as shown to users (relative to the results folder). */
  path: string;
  content: { ok: true; text: string } | { ok: false; reason: string };
  /**
   * Committed to git: tracked in the workspace's index or in the head's tree, or inside a
   * submodule. A committed result is its author's claim, not a run of the job.
   */
  tracked: boolean;
  /** Inside the repository's working tree (a file elsewhere was not produced at its checkout). */
  inWorkspace: boolean;
  /** Added or modified by the change under review. */
  committedInChange: boolean;
}

export interface Review {
  user: string;
  state: string;
  commitId: string | null;
  isBot?: boolean;
}

export interface ApprovalsEvidence {
  author: string;
  reviews: Review[];
  /** Team slug (as spelled in the config) → member logins. A missing slug is unresolved. */
  teams: Record<string, string[]>;
  /** Why a team could not be resolved, by slug, when the source knows. */
  teamErrors?: Record<string, string>;
  /** Reviewed commit → paths changed between it and `approvedHead`, or null when the commit is unknown. */
  reviewedCommits: Record<string, string[] | null>;
  /** The commit approvals are judged against: the pull request's head (default: the gated head). */
  approvedHead?: string;
}

export interface Evidence {
  /** Commits a result bound to "this content" may name: the head and, in a PR job, its merge commit. */
  acceptedCommits: string[];
  /** The commit checked out in the workspace where untracked results were produced, or null. */
  checkout: string | null;
  /** Tracked paths the workspace holds other content for than its checked-out commit; null when unknown. */
  checkoutModified?: string[] | null;
  /**
   * Where the results folder is in the repository ("" for its top), null when it is outside it;
   * default "". The suites' `results` globs are relative to it.
   */
  resultsRoot?: string | null;
  /** Result files per suite name, as matched by the suite's `results` globs. */
  results: Record<string, ResultFileInput[]>;
  /** Baseline result files per suite name. */
  baselines: Record<string, ResultFileInput[]>;
  /** Per suite, the paths its baseline globs match that the change adds, modifies or removes. */
  changedBaselines?: Record<string, string[]>;
  /** Commits a baseline may be bound to: the base the change is compared from. */
  baseCommits?: string[];
  approvals: ApprovalsEvidence | null;
  /** Why approvals could not be read, when they could not. */
  approvalsError?: string;
}

export interface DecisionInput {
  /** `file` names a trial config's file on disk. */
  config: { path: string; raw: Config; source: ConfigSource; file?: string };
  base: RevisionFiles;
  head: RevisionFiles;
  changes: Change[];
  evidence: Evidence;
}
