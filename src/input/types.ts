import type { AgentSource, Config } from "../config/schema.js";

/**
 * Everything a decision is made from, as plain data: the config, the two revisions as they were
 * read, the change between them, and the evidence. A decision record holds this, so any decision
 * can be made again from its record alone.
 */
export interface DecisionInput {
  config: ConfigInput;
  base: Snapshot;
  head: Snapshot;
  changes: Change[];
  evidence: Evidence;
  /** A push to a protected branch: did its gated changes come through a passing check? */
  audit?: Audit;
  /**
   * CODEOWNERS at the base revision (the first of GitHub's places that holds one; null: none),
   * read when a policy's group is `codeowners`.
   */
  codeowners?: { path: string; text: string } | null;
}

export type Side = "base" | "head";

/** Where the config came from: a revision, or (a trial) a file on disk. */
export type ConfigSource = Side | "file";

export interface ConfigInput {
  /** The config's path in the repository: a change to it touches `governance`. */
  path: string;
  raw: Config;
  source: ConfigSource;
  /** A trial config's file on disk. */
  file?: string;
  /** The central policy it extends, as read (`extends:`, or the action's `policy` input). */
  policy?: { ref: string; raw: Config };
}

/** What a path held at a revision, as far as the gate is concerned. */
export type FileState =
  | { state: "file"; text: string; oid: string }
  /**
   * Content that is not read as text — binary, not UTF-8, or over the size read for parsing —
   * known by its blob id. It is fine where content is only counted (a skill folder's font or
   * archive) and an error wherever it must be parsed.
   */
  | { state: "opaque"; oid: string; reason: string }
  | { state: "absent" }
  | { state: "error"; reason: string }
  /**
   * What a checkout shows there but capgate cannot see: a symbolic link that leaves the tree,
   * dangles or loops, a submodule, or a file whose content is elsewhere (a Git LFS pointer).
   * Whatever a runtime loads from there is the worst case, said as such.
   */
  | { state: "unseen"; reason: string }
  /** A folder where a file may be: a symbolic link to a folder inside the tree. */
  | { state: "folder"; oid: string };

/** One revision, as much of it as the decision reads. */
export interface Snapshot {
  sha: string;
  /**
   * The paths read at this revision. The base holds only what the change touched: every other
   * path is the same at both revisions and is read at head. A path the decision looks up that was
   * not read is a bug in the gathering, never a silent "absent".
   */
  files: ReadonlyMap<string, FileState>;
  /** Every agent manifest at this revision, by the globs of every policy that judges it. */
  agents: readonly string[];
  /** Every MCP config at this revision. */
  mcpConfigs: readonly string[];
  /**
   * Every skill a runtime loads by itself at this revision, by its `SKILL.md`: in the skill folder
   * beside each Claude Code agent (`.claude/skills/<name>/SKILL.md`, a plugin's `skills/…`) —
   * what an agent with the `Skill` tool may load.
   */
  skills?: readonly string[];
  /**
   * Every Claude Code slash command beside those agents (`.claude/commands/**\/*.md`): what an
   * agent with the `SlashCommand` tool may run.
   */
  commands?: readonly string[];
  /** What the agent runtimes load at this revision beyond the config's globs, as their modules found it. */
  loads?: Loads;
}

/** What the agent runtimes load at a revision, found by the runtime modules while gathering. */
export interface Loads {
  /** Each agent a runtime module found, by its path (any other agent is the config's). */
  agents: Record<string, LoadedAgent>;
  /** Places a runtime loads from that a checkout shows but capgate cannot see into, with why. */
  unseen: Record<string, string>;
  /** The symbolic links crossed to reach what is loaded: each link's path, and the path it leads to. */
  links: Record<string, string>;
  /** The MCP configs a runtime loads (others are the config's). */
  mcpConfigs: string[];
  /** The plugins a runtime would install from this revision. */
  plugins: PluginLoad[];
  /** What runs unasked as CI does (local actions, scripts a workflow runs): governance. A folder ends with `/`. */
  governance: string[];
}

/** An agent a runtime module found: what declares it, and where. */
export interface LoadedAgent {
  source: AgentSource;
  /** The files that declare it, when they are not its own path alone (a session's settings layers). */
  files?: string[];
  /** The plugin it comes with: it runs under the settings of whoever installs the plugin. */
  plugin?: string;
}

/** A plugin a runtime would install from the repository, and the files that make it. */
export interface PluginLoad {
  name: string;
  /** Its folder ("" for the repository's top). */
  root: string;
  /** Its manifest, when it has one. */
  manifest: string | null;
  /** The marketplace that lists it, and the name of its entry there. */
  marketplace: { path: string; entry: string } | null;
  /** The path its own session is judged at: what it gives the session that installs it. */
  session: string;
  /** Why its content cannot be seen (a source outside the repository), when it cannot. */
  unseen?: string;
  /** Why the runtime refuses to load it (a manifest it cannot read), when it does. */
  refused?: string;
  /** What it holds: its agents, commands, skills (`SKILL.md`), hooks files and MCP configs. */
  agents: string[];
  commands: string[];
  skills: string[];
  hooks: string[];
  mcp: string[];
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
  /**
   * For a change a checkout shows that the diff does not name: the symbolic link it is shown
   * through (its target, or the link itself, changed).
   */
  via?: string;
}

export interface ResultFile {
  /** Path as shown to users (relative to the results folder). */
  path: string;
  content: { ok: true; text: string } | { ok: false; reason: string };
  /** Committed: tracked in the workspace's index or the head's tree, or inside a submodule. */
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

/** The pull request's reviews, or why they could not be had. */
export type Approvals =
  | {
      ok: true;
      author: string;
      reviews: Review[];
      /** Team slug (as spelled in the config) → member logins. A missing slug is unresolved. */
      teams: Record<string, string[]>;
      /** Why a team could not be resolved, by slug, when the source knows. */
      teamErrors?: Record<string, string>;
      /** Reviewed commit → paths changed between it and `approvedHead`; null when the commit is unknown. */
      reviewedCommits: Record<string, string[] | null>;
      /** The commit approvals are judged against: the pull request's head (default: the gated head). */
      approvedHead?: string;
    }
  | { ok: false; why: string };

export interface Evidence {
  /** Commits a result bound to "this content" may name: the head and, in a PR job, its merge commit. */
  acceptedCommits: string[];
  /** The commit checked out in the workspace where untracked results were produced, or null. */
  checkout: string | null;
  /**
   * The paths that matter to this decision whose content in the workspace differs from the
   * checkout's (edited, or untracked inside a skill folder); null when that is unknown.
   */
  checkoutModified?: string[] | null;
  /**
   * Where the results folder is in the repository ("" for its top), null when it is outside it;
   * default "". The suites' `results` globs are relative to it.
   */
  resultsRoot?: string | null;
  /** Result files per suite name, as matched by the suite's `results` globs. */
  results: Record<string, ResultFile[]>;
  /** Baseline result files per suite name. */
  baselines: Record<string, ResultFile[]>;
  /** Per suite, the paths its baseline globs match that the change adds, modifies or removes. */
  changedBaselines?: Record<string, string[]>;
  /** Commits a baseline may be bound to: the base the change is compared from, and the base's tip. */
  baseCommits?: string[];
  approvals: Approvals;
}

/** What a push audit needs: the check runs on the commits the pushed change may have passed on. */
export type Audit =
  | {
      ok: true;
      /** The only app whose `capgate` check runs count. */
      appId: number;
      /** The pull requests the pushed commit belongs to. */
      pulls: number[];
      /** The commits a passing check counts on: the pushed commit, and the merged pull requests' heads. */
      candidates: string[];
      /** Every `capgate` check run on those commits. */
      runs: { sha: string; conclusion: string | null; appId: number | null }[];
    }
  | { ok: false; appId: number; why: string };
