import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { globMatcher } from "../config/glob.js";
import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS, DEFAULT_CONFIG_PATH } from "../config/defaults.js";
import { ARTIFACT_KINDS } from "../config/schema.js";
import { UsageError } from "../common/errors.js";
import { openRepository } from "../gather/open.js";

/** Writes a starter config that names the artifact kinds the repository already has. */
export async function runInit(opts: { cwd: string; configPath?: string; force?: boolean }): Promise<string> {
  const { git, top } = await openRepository(opts.cwd);
  const path = opts.configPath ?? DEFAULT_CONFIG_PATH;
  const target = join(top, path);
  if (existsSync(target) && !opts.force) throw new UsageError(`${path} already exists; pass --force to overwrite it`);
  const head = await git.resolveCommit("HEAD");
  const files = head ? (await git.lsTreeAll(head)).map((e) => e.path) : [];
  const found = ARTIFACT_KINDS.map((kind) => {
    const match = globMatcher(
      kind === "agent" ? Object.values(DEFAULT_AGENT_GLOBS).flat() : DEFAULT_ARTIFACT_GLOBS[kind],
    );
    return { kind, count: files.filter((f) => match(f)).length };
  });
  const evalDirs = [
    ...new Set(files.filter((f) => /^evals?\//.test(f)).map((f) => f.split("/").slice(0, 2).join("/"))),
  ].filter((d) => !d.includes("."));
  writeFileFor(target, starterConfig(found, evalDirs));
  return path;
}

function writeFileFor(target: string, text: string): void {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
}

export function starterConfig(found: { kind: string; count: number }[], evalDirs: string[]): string {
  const seen = found.map((f) => `#   ${f.kind}: ${f.count} file(s) match the default globs`).join("\n");
  const suite = evalDirs[0];
  const suiteName = suite ? suite.split("/")[1]!.replace(/[^A-Za-z0-9_.-]/g, "-") : null;
  const evals = suiteName ? `evals: [${suiteName}], ` : "";
  const suites = suite
    ? `# Eval suites: the files that define them, and where an earlier CI step writes their results.
suites:
  ${suiteName}:
    files: ["${suite}/**"]
    results: "eval-results/${suiteName}*.json"
    min_pass_rate: 0.95
    min_cases: 20
`
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
${seen}
version: 1

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
