import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS, DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { discover, type Discovery, type Found } from "../config/discover.js";
import { AGENT_SOURCES, type ConfiguredSource } from "../config/schema.js";
import type { Git, TreeEntry } from "../git/git.js";
import { ObjectReader } from "../git/objects.js";
import { RevisionTree } from "../git/trees.js";
import { loadsAt } from "../gather/loads.js";
import { runtimeNames, runtimesFound } from "../runtime/registry.js";
import { runtimesInWords } from "../report/text.js";
import { UsageError } from "../common/errors.js";
import { openRepository } from "../gather/open.js";

/** Writes a starter config whose globs match what the repository already has, and says what it found. */
export async function runInit(opts: {
  cwd: string;
  configPath?: string;
  force?: boolean;
}): Promise<{ path: string; found: Discovery }> {
  const { git, top } = await openRepository(opts.cwd);
  const path = opts.configPath ?? DEFAULT_CONFIG_PATH;
  const target = join(top, path);
  if (existsSync(target) && !opts.force) throw new UsageError(`${path} already exists; pass --force to overwrite it`);
  const head = await git.resolveCommit("HEAD");
  const tree = head ?? (await git.worktreeTree());
  const files = (await git.lsTreeAll(tree)).filter((e) => e.type === "blob");
  const found = discover(
    files.map((e) => e.path),
    await inspectTasks(git, files),
  );
  await addLoaded(found, git, tree);
  writeFileFor(target, starterConfig(found));
  return { path, found };
}

/** Python files of folders named like eval suites read at most, to tell Inspect tasks from other code. */
const MAX_TASK_FILES = 500;

/** Which Python files under `evals/` are Inspect tasks (they import inspect_ai and declare a `@task`). */
async function inspectTasks(git: Git, files: readonly TreeEntry[]): Promise<(path: string) => boolean> {
  const candidates = files.filter((e) => /^evals?\/.+\.py$/.test(e.path)).slice(0, MAX_TASK_FILES);
  if (candidates.length === 0) return () => false;
  const objects = new ObjectReader(git);
  try {
    const texts = await objects.contents(candidates.map((e) => e.oid));
    const tasks = new Set(
      candidates
        .filter((e) => {
          const text = texts.get(e.oid)?.toString("utf8") ?? "";
          return /\binspect_ai\b/.test(text) && /^\s*@task\b/m.test(text);
        })
        .map((e) => e.path),
    );
    return (path) => tasks.has(path);
  } finally {
    objects.close();
  }
}

/**
 * Adds what the runtimes load by themselves — their places, and what plugin marketplaces and
 * manifests name — to what the globs found: those need no glob of their own.
 */
async function addLoaded(found: Discovery, git: Git, tree: string): Promise<void> {
  const objects = new ObjectReader(git);
  try {
    const places = { agentGlobs: DEFAULT_AGENT_GLOBS, mcpGlobs: DEFAULT_ARTIFACT_GLOBS.mcp };
    const listed = new RevisionTree(git, tree);
    const { head } = await loadsAt(git, objects, { base: listed, head: listed }, places);
    for (const a of head.found.agents) {
      const source = a.source as ConfiguredSource;
      if (
        !(AGENT_SOURCES as readonly string[]).includes(source) ||
        (a.path.endsWith("/settings.json") && !head.listing.files.has(a.path))
      )
        continue;
      if (!found.agents[source].paths.includes(a.path)) found.agents[source].paths.push(a.path);
    }
    found.runtimes = runtimesFound(
      head.found.agents.concat(found.agents.capgate.paths.map((path) => ({ path, source: "capgate" as const }))),
      head.found.plugins,
    );
    found.runtimesMissing = runtimeNames().filter((n) => !found.runtimes!.some((r) => r.name === n));
  } finally {
    objects.close();
  }
}

function writeFileFor(target: string, text: string): void {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

export function starterConfig(found: Discovery): string {
  const lines = (f: Found) =>
    f.paths.length === 0
      ? []
      : [`#   ${f.what}: ${f.paths.length} (${f.paths.slice(0, 3).join(", ")}${f.paths.length > 3 ? ", …" : ""})`];
  const runtimes = runtimesInWords(found.runtimes ?? []);
  const seen = [
    ...(runtimes.length ? [`#   runtimes: ${runtimes.join(", ")}`] : []),
    ...AGENT_SOURCES.flatMap((s) => lines(found.agents[s])),
    ...(["skill", "tool", "mcp", "prompt"] as const).flatMap((k) => lines(found.kinds[k])),
  ];
  const artifacts = artifactsSection(found);
  const evals = found.suites.length ? `evals: [${found.suites.map((s) => s.name).join(", ")}], ` : "";
  const suites = found.suites.length
    ? `# Eval suites: the files that define them, and where an earlier CI step writes their results.
suites:
${found.suites
  .map(
    (suite) => `  # ${suite.why.replace(/[\r\n]/g, " ")}
  ${suite.name}:
    files: [${suite.files.map((f) => JSON.stringify(f)).join(", ")}]
    results: "eval-results/${suite.name}*.json"
    min_pass_rate: 0.95
    min_cases: 20
`,
  )
  .join("")}`
    : `# Eval suites: the files that define them, and where an earlier CI step writes their results.
# suites:
#   regression:
#     files: ["evals/regression/**"]
#     results: "eval-results/regression*.json"
#     min_pass_rate: 0.95
`;
  return `# capgate: gates changes to prompts, skills, tools, MCP configs and agents by capability tier.
# The gate reads this file from the base branch, so a pull request cannot lower its own bar.
# Every key is described by schema/capgate.schema.json in the capgate package.
#
# Found in this repository:
${seen.length ? seen.join("\n") : "#   no agents, skills, tools, MCP configs or prompts yet"}
version: 1
${artifacts}
# Who may approve: logins, or @org/team slugs (reading teams needs a token with members: read).
# groups:
#   maintainers: ["your-login", "@your-org/maintainers"]
#   safety: ["@your-org/safety"]

${suites}
# What each tier requires; a change meets the requirements of every tier it touches. Approvals
# count reviewers other than the author and bots; name groups with { count: 1, from: [safety] }.
tiers:
  chat: { ${evals}approvals: 1 }
  tools: { ${evals}approvals: 1 }
  write: { ${evals}approvals: 2 }
  autonomous: { ${evals}approvals: 2 }
  governance: { approvals: 1 }
`;
}

/** The `artifacts:` section: written only for what the default globs would miss. */
function artifactsSection(found: Discovery): string {
  const list = (globs: readonly string[]) => `[${globs.map((g) => JSON.stringify(g)).join(", ")}]`;
  const agents = AGENT_SOURCES.filter((s) => !found.agents[s].defaults);
  const kinds = (["prompt", "skill", "tool", "mcp"] as const).filter((k) => !found.kinds[k].defaults);
  if (agents.length === 0 && kinds.length === 0) return "";
  const out = ["# Where this repository keeps what the default globs would miss.", "artifacts:"];
  for (const k of kinds) out.push(`  ${k}: ${list(found.kinds[k].globs)}`);
  if (agents.length) {
    out.push("  agent:");
    for (const s of agents) out.push(`    ${s}: ${list(found.agents[s].globs)}`);
  }
  return out.join("\n") + "\n";
}
