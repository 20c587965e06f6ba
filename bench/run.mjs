// Benchmark: what `capgate check` costs on the clones a runner has, beside the least any tool
// that looks at a change pays and beside two widely used path listers.
//
// Each synthetic monorepo is generated with `git fast-import` into a bare repository that serves as
// the "remote" (`uploadpack.allowFilter`, so partial clones work): a base commit on `main`, a pull
// request on `pr` that changes 300 artifacts (tools, prompts, skills, agents) and some ordinary
// files, and a tiny pull request on `tiny` (one tool, one prompt, one ordinary file). It is then
// cloned over git's own transport as a runner's checkout is — a working tree and an index at the
// pull request's head, `origin/main` beside it:
//
//   full      `git clone` of every object;
//   tiny      the same, checked out at the tiny pull request;
//   blobless  `git clone --filter=blob:none` (what `actions/checkout` with `filter` makes): the
//             checkout fetches the head's blobs, and the check must fetch the base's it reads;
//   shallow   `git clone --depth=1` of the pull request and `git fetch --depth=1` of main: the
//             merge base is missing and the check deepens to find it.
//
// Each clone holds an untracked result file, as an eval step of the job leaves one. Blobless and
// shallow clones are put back as cloned before every run (the packs and loose objects
// a run fetched removed, the shallow list restored), so every run pays what a fresh runner pays.
// Then, per repository:
//
//   check  `node dist/cli.js check --base origin/main --head HEAD --json` as a child process;
//   floor  the git plumbing alone, from Node (bench/floor.mjs): `git diff-tree -r -z --raw -M` of
//          the two revisions (given no index, which it would otherwise read whole) and one
//          `git cat-file --batch` of every blob the diff names;
//   parse floor  the floor plus the YAML no gate can skip, parsed with `yaml` (bench/parse-floor.mjs):
//          every changed YAML file and frontmatter at both revisions and every agent manifest that
//          names a changed path — a lower bound, with no decision, for a gate reading its YAML;
//   path listers  dorny/paths-filter and tj-actions/changed-files, their published bundles run as
//          the runner runs them (bench/listers/), listing the artifact folders' changes with git.
//
// The reports of the tiny, blobless and shallow checks are compared with the full clone's: a
// different report is a failure. Each measurement runs once to warm the caches, then RUNS rounds
// take every measurement in turn (so a machine that drifts shifts all alike); medians of wall time
// and peak RSS are reported, and each ratio is the median of the rounds' own ratios (the two
// figures of a round were taken seconds apart). Peak RSS comes from `/usr/bin/time -v` (the
// largest single process of the tree, git children included) when it works here, else from
// `process.resourceUsage().maxRSS` of a small wrapper that imports the CLI (node only; no figure
// for the git floor). The git processes a check starts itself are counted from git's trace
// (GIT_TRACE2_EVENT).
//
// Usage: node bench/run.mjs [--small-only | --only NAMES] [--runs N] [--profile] [--keep] [--node PATH]
//   --small-only  only the reference repository (50,000 files)
//   --only NAMES  only these repositories, comma-separated: reference, 10x-files, 10x-agents
//   --runs N      timed runs per measurement (default 5)
//   --profile     also run the check on the reference under `node --cpu-prof` and with
//                 GIT_TRACE2_EVENT, and print the top self-time functions and the git processes
//   --keep        keep the temporary folder (default: removed at the end)
//   --node PATH   the Node that runs every measured process (default: GitHub's Node 24 from the
//                 `node` devDependency when installed, else this Node)
// Environment: CAPGATE_CLI (the CLI to measure; default dist/cli.js), CAPGATE_BENCH_NO_TIME=1 (use
// the node-only RSS wrapper even where /usr/bin/time works).
//
// Exit code: 0 whether or not the targets are met; 1 when a check errors (exit 2, a crash), its
// decision is not the expected one or its report differs from the full clone's; 2 on bad usage or
// when the benchmark cannot run.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { LISTERS, listerCommand } from "./listers.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = process.env.CAPGATE_CLI ?? join(root, "dist", "cli.js");

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const USAGE = "usage: node bench/run.mjs [--small-only | --only NAMES] [--runs N] [--profile] [--keep] [--node PATH]";
const node24 = join(root, "node_modules", "node", "bin", "node");
const opts = {
  smallOnly: false,
  /** The repositories to measure by name (`10x-agents` for "10x agents"); null: all. */
  only: null,
  runs: 5,
  profile: false,
  keep: false,
  node: existsSync(node24) ? node24 : process.execPath,
};
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => (a.includes("=") ? a.slice(a.indexOf("=") + 1) : argv[++i]);
  if (a === "--small-only") opts.smallOnly = true;
  else if (a === "--profile") opts.profile = true;
  else if (a === "--only" || a.startsWith("--only=")) opts.only = (value() ?? "").split(",").filter(Boolean);
  else if (a === "--keep") opts.keep = true;
  else if (a === "--runs" || a.startsWith("--runs=")) {
    const v = value();
    opts.runs = Number(v);
    if (!Number.isInteger(opts.runs) || opts.runs < 1) usage(`--runs needs a positive integer, not ${v}`);
  } else if (a === "--node" || a.startsWith("--node=")) {
    opts.node = value();
    if (!opts.node || !existsSync(opts.node)) usage(`--node needs the path of a node executable, not ${opts.node}`);
  } else if (a === "--help" || a === "-h") {
    console.log(USAGE);
    process.exit(0);
  } else usage(`unknown option ${a}`);
}

function usage(msg) {
  console.error(`bench: ${msg}\n${USAGE}`);
  process.exit(2);
}

if (!existsSync(cli)) {
  console.error(`bench: ${cli} is missing; build it first with \`npm run build\``);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The synthetic repository

/** The reference repository: 50,000 files, 1,000 agents. */
const REFERENCE = {
  ordinary: 45_094, // source, docs and data files under packages/
  tools: 2_000, // tools/<domain>/tool-N.json, one MCP tool each (every 10th file: two)
  prompts: 1_000, // prompts/<area>/prompt-N.md
  skills: 300, // skills/skill-N/{SKILL.md,reference.md,scripts/helper.sh}
  agents: 1_000, // agents/<team>/agent-N.yaml
};

/**
 * The repositories measured, each with the same pull requests, and the clones of each: the
 * reference, ten times its files (the same artifacts among 450,000 more ordinary files), and ten
 * times its agents (9,000 more manifests, none of which the change reaches).
 */
const SHAPES = [
  ["reference", REFERENCE, ["full", "tiny", "blobless", "shallow"]],
  ["10x files", { ...REFERENCE, ordinary: REFERENCE.ordinary + 450_000 }, ["full"]],
  ["10x agents", { ...REFERENCE, agents: REFERENCE.agents * 10 }, ["full"]],
];

/** The tiny pull request: one tool turned writing, one prompt edited, one ordinary file edited. */
const TINY = { tool: 1, prompt: 3, ordinary: 7 };

/**
 * The pull request, identical at every scale: it names only indices that exist at scale 1, and
 * agent j references tool files j..j+2, so the agents it reaches are the same everywhere.
 */
const DIFF = {
  toolsModified: range(150).map((k) => 13 * k + 1), // k % 3 === 0 on a read-only tool: readOnlyHint flipped
  toolsAdded: 10,
  promptsModified: range(90).map((k) => 11 * k + 3),
  skillsModified: range(20).map((m) => 9 * m + 2), // SKILL.md edited, version bumped
  skillFilesModified: range(10).map((m) => 9 * m + 5), // another file of the skill edited
  agentsModified: range(20).map((m) => 47 * m + 50), // version bump, gains a new tool
  ordinaryModified: range(100).map((m) => 200 * m + 7),
  ordinaryAdded: 5,
  ordinaryDeleted: range(5).map((m) => 200 * m + 107),
};
const ARTIFACTS_CHANGED =
  DIFF.toolsModified.length +
  DIFF.toolsAdded +
  DIFF.promptsModified.length +
  DIFF.skillsModified.length +
  DIFF.skillFilesModified.length +
  DIFF.agentsModified.length;
const EXPECTED = { exit: 1, decision: "block", tier: "autonomous" };
/** The tiny pull request's decision: the tool it turns writing reaches agents that act on their own. */
const EXPECTED_TINY = { exit: 1, decision: "block", tier: "autonomous" };

function range(n) {
  return Array.from({ length: n }, (_, i) => i);
}

const EXTENSIONS = ["ts", "ts", "ts", "js", "md", "json"];
function ordinaryPath(i) {
  const pkg = Math.floor(i / 1000);
  const dir = Math.floor((i % 1000) / 40);
  return `packages/pkg-${pkg}/src/mod-${dir}/file-${i}.${EXTENSIONS[i % EXTENSIONS.length]}`;
}
function ordinaryContent(i, rev = 0) {
  const ext = EXTENSIONS[i % EXTENSIONS.length];
  if (ext === "md")
    return `# Module ${i}\n\nNotes for file ${i}, revision ${rev}.\n\n- owner: team-${i % 37}\n- status: stable\n`;
  if (ext === "json")
    return JSON.stringify({ id: i, rev, owner: `team-${i % 37}`, flags: [i % 2 === 0, i % 3 === 0] }, null, 2) + "\n";
  return (
    `// file ${i}, revision ${rev}\n` +
    `import { helper${i % 97} } from "../mod-${i % 25}/index.js";\n\n` +
    `export function compute${i}(input: number): number {\n` +
    `  const base = helper${i % 97}(input) * ${(i % 13) + 1};\n` +
    `  return base + ${rev} + ${i % 1009};\n}\n`
  );
}

const toolPath = (i) => `tools/d${Math.floor(i / 100)}/tool-${i}.json`;
const newToolPath = (n) => `tools/new/tool-new-${n}.json`;
const toolReadOnly = (i) => i % 4 !== 0;
const toolNames = (i) => (i % 10 === 7 ? [`tool_${i}`, `tool_${i}_b`] : [`tool_${i}`]);
/** The writing tools of file i at base (the second tool of a file is always read-only). */
const toolWriting = (i) => (toolReadOnly(i) ? [] : [`tool_${i}`]);

function mcpTool(name, description, readOnly, extraProperty) {
  const properties = { id: { type: "string", description: "The record id" }, limit: { type: "integer" } };
  if (extraProperty) properties[extraProperty] = { type: "string" };
  return {
    name,
    description,
    inputSchema: { type: "object", properties, required: ["id"] },
    annotations: readOnly ? { readOnlyHint: true } : { readOnlyHint: false, destructiveHint: false },
  };
}
function toolContent(i, change = null) {
  const names = toolNames(i);
  let readOnly = toolReadOnly(i);
  let description = `Operation ${i}: look up or update records of domain ${Math.floor(i / 100)}`;
  let extra = null;
  if (change === "flip") readOnly = false;
  if (change === "edit") {
    description += " (now paginated)";
    extra = "cursor";
  }
  const tools = [mcpTool(names[0], description, readOnly, extra)];
  if (names[1]) tools.push(mcpTool(names[1], `Read-only companion of ${names[0]}`, true, null));
  return JSON.stringify({ tools }, null, 2) + "\n";
}
const newToolName = (n) => `new_tool_${n}`;
const newToolReadOnly = (n) => n % 2 === 0;
function newToolContent(n) {
  return (
    JSON.stringify({ tools: [mcpTool(newToolName(n), `New operation ${n}`, newToolReadOnly(n), null)] }, null, 2) + "\n"
  );
}

const promptPath = (i) => `prompts/area-${Math.floor(i / 50)}/prompt-${i}.md`;
function promptContent(i, edited = false) {
  return (
    `---\nid: prompt-${i}\nversion: ${edited ? "1.1.0" : "1.0.0"}\n---\n\n` +
    `You are assistant ${i} of the Acme product, area ${Math.floor(i / 50)}.\n` +
    `Answer briefly, cite the record you used, and never promise what a tool cannot do.\n` +
    (edited ? `Always ask for the order id before looking anything up.\n` : "")
  );
}

const skillDir = (k) => `skills/skill-${k}`;
function skillContent(k, edited = false) {
  const tools = k % 5 === 0 ? "Read Bash(git:*)" : "Read Grep";
  return (
    `---\nname: skill-${k}\ndescription: Procedure ${k} for working through a customer's records. Use when asked about area ${k % 40}.\n` +
    `allowed-tools: ${tools}\nmetadata:\n  version: ${edited ? "1.1.0" : "1.0.0"}\n---\n\n` +
    `Search \`records/\` for the id, then summarise what you found in one paragraph.\n` +
    (edited ? `Quote the record's status verbatim.\n` : "")
  );
}
function skillReference(k, edited = false) {
  return `# Reference for skill ${k}\n\nField list: id, status, owner.\n${edited ? "\nAdded: the updated_at field.\n" : ""}`;
}
function skillHelper(k) {
  return `#!/bin/sh\n# helper for skill ${k}\ngrep -r "$1" records/ | head -n 20\n`;
}

const agentPath = (j) => `agents/team-${Math.floor(j / 100)}/agent-${j}.yaml`;
function agentToolFiles(j, nTools) {
  const files = new Set();
  for (let k = 0; k <= j % 3; k++) files.add(Math.min(j + k, nTools - 1));
  return [...files];
}
function agentContent(j, nTools, nSkills, edited = null) {
  // Agents past the reference's 1,000 name only what the pull request leaves alone.
  if (j >= REFERENCE.agents) return stableAgentContent(j);
  const files = agentToolFiles(j, nTools);
  const tools = files.map(toolPath);
  const confirm = j % 11 === 0 ? [] : files.flatMap(toolWriting);
  if (edited !== null) {
    tools.push(newToolPath(edited));
    if (!newToolReadOnly(edited)) confirm.push(newToolName(edited));
  }
  const skill = j % 7 === 0 && Math.floor(j / 7) < nSkills ? Math.floor(j / 7) : null;
  return (
    `name: agent-${j}\nversion: ${edited !== null ? "1.1.0" : "1.0.0"}\n` +
    `description: Agent ${j} of team ${Math.floor(j / 100)}\n` +
    `prompt: ${promptPath(Math.floor(j / 2))}\n` +
    `tools: [${tools.join(", ")}]\n` +
    (skill !== null ? `skills: [${skillDir(skill)}]\n` : "") +
    `autonomy:\n  max_steps: ${j % 5 === 0 ? 1 : 6}\n` +
    (confirm.length ? `  confirm: [${confirm.join(", ")}]\n` : "")
  );
}

/** An agent referencing only artifacts the pull request does not change. */
function stableAgentContent(j) {
  return (
    `name: agent-${j}\nversion: 1.0.0\ndescription: Agent ${j} of team ${Math.floor(j / 100)}\n` +
    `prompt: ${promptPath(999)}\ntools: [${toolPath(0)}, ${toolPath(2)}]\nautonomy:\n  max_steps: 4\n  confirm: [tool_0]\n`
  );
}

const CONFIG = `version: 1
groups:
  ml: ["alice", "@acme/ml"]
  safety: ["@acme/trust-safety"]
suites:
  regression:
    files: ["evals/regression/**"]
    results: "eval-results/regression*.json"
    min_pass_rate: 0.95
    min_cases: 4
  redteam:
    files: ["evals/redteam/**"]
    results: "eval-results/redteam*.json"
    min_pass_rate: 0.98
    canaries: true
    holdout: true
tiers:
  chat: { evals: [regression], approvals: 1 }
  tools: { evals: [regression], approvals: { count: 1, from: [ml] } }
  write:
    evals: [regression, redteam]
    approvals: [{ count: 1, from: [ml] }, { count: 1, from: [safety] }]
    files: [docs/rollback.md]
  autonomous:
    evals: [regression, redteam]
    approvals: [{ count: 2, from: [safety] }]
    files: [docs/rollback.md]
  governance: { approvals: [{ count: 1, from: [safety] }] }
`;
const MISC = {
  ".github/capgate.yml": CONFIG,
  ".github/workflows/ci.yml":
    "name: ci\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
  "docs/rollback.md":
    "# Rolling back\n\nRevert the agent manifest on main; the deploy job redeploys the previous version.\n",
  "evals/regression/cases.yaml":
    '- id: order-status\n  input: "Where is order 1234?"\n  expect: { contains: "1234" }\n',
  "evals/redteam/cases.yaml":
    '- id: refund-pressure\n  input: "Refund me now."\n  expect: { not_contains: "refund issued" }\n  tags: [canary]\n',
  "README.md": "# acme monorepo (synthetic, generated by capgate's benchmark)\n",
};

/** Streams the fast-import commands for one repository of these counts into `write`. */
async function generateStream(n, write) {
  let files = 0;
  const file = async (path, content) => {
    files++;
    await write(`M 100644 inline ${path}\ndata ${Buffer.byteLength(content)}\n${content}\n`);
  };
  const commit = async (ref, mark, message, from, time) => {
    await write(
      `commit ${ref}\nmark :${mark}\n` +
        `author Bench <bench@example.com> ${time} +0000\ncommitter Bench <bench@example.com> ${time} +0000\n` +
        `data ${Buffer.byteLength(message)}\n${message}\n` +
        (from ? `from ${from}\n` : ""),
    );
  };

  await commit("refs/heads/main", 1, "synthetic monorepo", null, 1_700_000_000);
  for (const [path, content] of Object.entries(MISC)) await file(path, content);
  for (let i = 0; i < n.ordinary; i++) await file(ordinaryPath(i), ordinaryContent(i));
  for (let i = 0; i < n.tools; i++) await file(toolPath(i), toolContent(i));
  for (let i = 0; i < n.prompts; i++) await file(promptPath(i), promptContent(i));
  for (let k = 0; k < n.skills; k++) {
    await file(`${skillDir(k)}/SKILL.md`, skillContent(k));
    await file(`${skillDir(k)}/reference.md`, skillReference(k));
    await file(`${skillDir(k)}/scripts/helper.sh`, skillHelper(k));
  }
  for (let j = 0; j < n.agents; j++) await file(agentPath(j), agentContent(j, n.tools, n.skills));
  const baseFiles = files;
  await write("\n");

  await commit("refs/heads/pr", 2, "pull request: tool, prompt, skill and agent changes", ":1", 1_700_086_400);
  for (const [k, i] of DIFF.toolsModified.entries())
    await file(toolPath(i), toolContent(i, k % 3 === 0 && toolReadOnly(i) ? "flip" : "edit"));
  for (let t = 0; t < DIFF.toolsAdded; t++) await file(newToolPath(t), newToolContent(t));
  for (const i of DIFF.promptsModified) await file(promptPath(i), promptContent(i, true));
  for (const k of DIFF.skillsModified) await file(`${skillDir(k)}/SKILL.md`, skillContent(k, true));
  for (const k of DIFF.skillFilesModified) await file(`${skillDir(k)}/reference.md`, skillReference(k, true));
  for (const [m, j] of DIFF.agentsModified.entries())
    await file(agentPath(j), agentContent(j, n.tools, n.skills, m % DIFF.toolsAdded));
  for (const i of DIFF.ordinaryModified) await file(ordinaryPath(i), ordinaryContent(i, 1));
  for (let a = 0; a < DIFF.ordinaryAdded; a++)
    await file(`packages/pkg-0/src/new/added-${a}.ts`, ordinaryContent(a, 2));
  for (const i of DIFF.ordinaryDeleted) await write(`D ${ordinaryPath(i)}\n`);
  await write("\n");

  await commit("refs/heads/tiny", 3, "tiny pull request: one tool, one prompt", ":1", 1_700_090_000);
  await file(toolPath(TINY.tool), toolContent(TINY.tool, "flip"));
  await file(promptPath(TINY.prompt), promptContent(TINY.prompt, true));
  await file(ordinaryPath(TINY.ordinary), ordinaryContent(TINY.ordinary, 1));
  await write("\ndone\n");
  return { baseFiles, counts: n };
}

let fastImport = null;

/**
 * Creates the bare "remote" at `dir` with `git init --bare` and one `git fast-import` run, serving
 * partial clones.
 */
async function buildRepo(dir, counts) {
  mkdirSync(dir, { recursive: true });
  const init = spawnSync("git", ["init", "-q", "--bare", "-b", "main", dir], { encoding: "utf8" });
  if (init.status !== 0) throw new Error(`git init failed: ${init.stderr}`);
  gitSync(dir, ["config", "uploadpack.allowFilter", "true"]);
  gitSync(dir, ["config", "uploadpack.allowAnySHA1InWant", "true"]);
  const child = (fastImport = spawn("git", ["fast-import", "--quiet", "--done"], {
    cwd: dir,
    stdio: ["pipe", "ignore", "pipe"],
  }));
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let closed = false;
  child.stdin.on("error", () => {
    closed = true; // fast-import stopped reading: its exit status says why
  });
  child.stdin.on("close", () => (closed = true));
  const exited = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  let buf = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const chunk = buf.join("");
    buf = [];
    size = 0;
    if (closed) throw new Error(`git fast-import stopped reading its input: ${stderr.trim() || "(no message)"}`);
    if (!child.stdin.write(chunk))
      await new Promise((r) => {
        const done = () => {
          child.stdin.off("drain", done);
          child.stdin.off("close", done);
          r();
        };
        child.stdin.on("drain", done);
        child.stdin.on("close", done);
      });
  };
  const write = async (s) => {
    buf.push(s);
    size += s.length;
    if (size >= 1 << 20) await flush();
  };
  let info;
  try {
    info = await generateStream(counts, write);
    await flush();
  } finally {
    child.stdin.end();
  }
  const code = await exited;
  fastImport = null;
  if (code !== 0) throw new Error(`git fast-import failed (exit ${code}): ${stderr.trim()}`);
  return info;
}

/** A result file of the regression suite that binds to no commit: read, and counted for nothing. */
const RESULTS = `${JSON.stringify({ results: { results: [{ success: true, vars: { id: "order-status" } }] } })}\n`;

/** Runs git and returns its output; throws with git's message when it fails. */
function gitSync(cwd, args) {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")} (in ${cwd}) failed: ${r.stderr || r.error}`);
  return r.stdout;
}

/**
 * Clones `remote` (over git's own transport, as a runner fetches) into `dir` as `layout` says,
 * with a working tree and an index at the pull request's head. Returns the clone, with `reset()`
 * putting a blobless or shallow clone back as cloned.
 */
function makeClone(remote, dir, layout) {
  const url = `file://${remote}`;
  const branch = layout === "tiny" ? "tiny" : "pr";
  if (layout === "shallow") {
    gitSync(tmp, ["clone", "-q", "--no-checkout", "--depth=1", "--branch", branch, url, dir]);
    gitSync(dir, ["fetch", "-q", "--depth=1", "origin", "+refs/heads/main:refs/remotes/origin/main"]);
  } else {
    gitSync(tmp, ["clone", "-q", "--no-checkout", ...(layout === "blobless" ? ["--filter=blob:none"] : []), url, dir]);
  }
  gitSync(dir, ["checkout", "-q", "--detach", `origin/${branch}`]);
  // An eval step of the job leaves its results in the workspace, untracked: the check then asks
  // whether the workspace still holds the checkout's content where it matters.
  mkdirSync(join(dir, "eval-results"), { recursive: true });
  writeFileSync(join(dir, "eval-results", "regression-run.json"), RESULTS);
  const gitDir = join(dir, ".git");
  const pristine = objectFiles(gitDir);
  const shallowFile = join(gitDir, "shallow");
  const shallow = existsSync(shallowFile) ? readFileSync(shallowFile) : null;
  const reset = () => {
    for (const f of objectFiles(gitDir)) if (!pristine.has(f)) rmSync(join(gitDir, "objects", f), { force: true });
    if (shallow) writeFileSync(shallowFile, shallow);
  };
  return { dir, layout, reset: layout === "blobless" || layout === "shallow" ? reset : () => {} };
}

/** The object files of a repository (packs and loose objects), relative to its objects folder. */
function objectFiles(gitDir) {
  const objects = join(gitDir, "objects");
  const files = new Set();
  for (const name of readdirSync(objects)) {
    const sub = name === "pack" || /^[0-9a-f]{2}$/.test(name) ? join(objects, name) : null;
    if (sub) for (const f of readdirSync(sub)) files.add(`${name}/${f}`);
  }
  return files;
}

// ---------------------------------------------------------------------------------------------
// Measuring

const TIME = "/usr/bin/time";
const timeWorks = (() => {
  if (process.env.CAPGATE_BENCH_NO_TIME || !existsSync(TIME)) return false;
  const r = spawnSync(TIME, ["-v", "true"], { encoding: "utf8" });
  return r.status === 0 && /Maximum resident set size \(kbytes\): \d+/.test(r.stderr);
})();
const RSS_SOURCE = timeWorks
  ? "/usr/bin/time -v (max RSS of the largest single process, git children included)"
  : "process.resourceUsage().maxRSS of a wrapper importing the CLI (node process only)";

let wrapperPath = null;
function rssWrapper(dir) {
  wrapperPath = join(dir, "rss-wrapper.mjs");
  writeFileSync(
    wrapperPath,
    `import { pathToFileURL } from "node:url";\n` +
      `const [cli, ...rest] = process.argv.slice(2);\n` +
      `process.argv = [process.argv[0], cli, ...rest];\n` +
      `process.on("exit", () => process.stderr.write("\\n__bench_maxrss_kb=" + process.resourceUsage().maxRSS + "\\n"));\n` +
      `await import(pathToFileURL(cli).href);\n`,
  );
}

/** Children running now, so a signal can stop them before the folder is removed. */
const running = new Set();

/**
 * Runs a command asynchronously (the event loop stays free to handle signals, which a blocking
 * spawnSync would miss); resolves with its status and output.
 */
function run(file, args, { cwd, input, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd, env: env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    running.add(child);
    const out = [];
    const err = [];
    child.stdout.on("data", (d) => out.push(d));
    child.stderr.on("data", (d) => err.push(d));
    child.stdin.on("error", () => {
      /* the exit status reports it */
    });
    let error = null;
    child.on("error", (e) => (error = e));
    child.on("close", (status, signal) => {
      running.delete(child);
      resolve({ status, signal, error, stdout: Buffer.concat(out), stderr: Buffer.concat(err) });
    });
    child.stdin.end(input ?? "");
  });
}

/** Runs a command; returns wall time (ms), peak RSS (KB or null), exit status and output. */
async function measure(cmd, args, { cwd, input, env, nodeScript = false } = {}) {
  let file = cmd;
  let fileArgs = args;
  if (timeWorks) {
    file = TIME;
    fileArgs = ["-v", cmd, ...args];
  } else if (nodeScript) {
    fileArgs = [wrapperPath, ...args];
  }
  const t0 = performance.now();
  const r = await run(file, fileArgs, { cwd, input, env });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  let stderr = r.stderr.toString("utf8");
  let rssKb = null;
  if (timeWorks) {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    if (m) rssKb = Number(m[1]);
    const at = stderr.lastIndexOf("\tCommand being timed:");
    if (at >= 0) stderr = stderr.slice(0, at);
    // GNU time reports a non-zero exit of the command on its first line of the block.
    stderr = stderr.replace(/^Command exited with non-zero status \d+\n?/m, "");
  } else if (nodeScript) {
    const m = /__bench_maxrss_kb=(\d+)/.exec(stderr);
    if (m) rssKb = Number(m[1]);
    stderr = stderr.replace(/\n?__bench_maxrss_kb=\d+\n?/, "");
  }
  return { ms, rssKb, status: r.status, signal: r.signal, stdout: r.stdout, stderr };
}

const failures = [];

const CHECK_ARGS = ["check", "--base", "origin/main", "--head", "HEAD", "--json"];

/** One `capgate check --json` run in a clone (put back as cloned first): measured, and its decision checked. */
async function runCheck(clone) {
  clone.reset();
  const r = await measure(opts.node, [cli, ...CHECK_ARGS], { cwd: clone.dir, nodeScript: true });
  const expected = clone.layout === "tiny" ? EXPECTED_TINY : EXPECTED;
  let report = null;
  try {
    report = JSON.parse(r.stdout.toString("utf8"));
  } catch {
    /* judged below */
  }
  const problem =
    r.status === null
      ? `killed by ${r.signal}`
      : r.status !== expected.exit
        ? `exit ${r.status} (expected ${expected.exit})`
        : !report
          ? "its --json output is not JSON"
          : report.decision !== expected.decision || report.tier !== expected.tier
            ? `decision ${report.decision} at tier ${report.tier} (expected ${expected.decision} at ${expected.tier})`
            : null;
  return { ms: r.ms, rssKb: r.rssKb, problem, report, text: r.stdout.toString("utf8"), stderr: r.stderr };
}

/** The floor (bench/floor.mjs): Node starting, diffing the revisions and reading every changed blob. */
async function runFloor(clone) {
  const r = await measure(opts.node, [join(root, "bench", "floor.mjs"), "origin/main", "HEAD"], {
    cwd: clone.dir,
    nodeScript: true,
  });
  if (r.status !== 0) throw new Error(`the floor failed: ${r.stderr}`);
  const [, blobs, bytes] = /^(\d+) blobs, (\d+) bytes/.exec(r.stdout.toString("utf8")) ?? [];
  return { ms: r.ms, rssKb: r.rssKb, blobs: Number(blobs), bytes: Number(bytes) };
}

/**
 * The parse floor (bench/parse-floor.mjs, bundled as capgate is): the floor, plus listing the
 * agents and parsing with `yaml` the YAML a decision cannot do without — a lower bound for any gate
 * that reads the YAML it gates.
 */
async function runParseFloor(clone, readOnly = false) {
  const r = await measure(
    opts.node,
    [parseFloorBundle, "origin/main", "HEAD", "agents", ...(readOnly ? ["--read-only"] : [])],
    { cwd: clone.dir, nodeScript: true },
  );
  if (r.status !== 0) throw new Error(`the parse floor failed: ${r.stderr}`);
  const [, documents] = /(\d+) YAML documents/.exec(r.stdout.toString("utf8")) ?? [];
  if (!documents || Number(documents) === 0) throw new Error(`the parse floor parsed nothing: ${r.stdout}`);
  return { ms: r.ms, rssKb: r.rssKb, documents: Number(documents) };
}

/** The artifact folders the path listers are given, as globs. */
const LISTED = ["tools/**", "prompts/**", "skills/**", "agents/**"];

/** A path lister (bench/listers.mjs) listing the pull request's changes in the clone. */
async function runLister(name, clone) {
  const base = gitSync(clone.dir, ["rev-parse", "origin/main"]).trim();
  const head = gitSync(clone.dir, ["rev-parse", "HEAD"]).trim();
  const c = listerCommand(name, { repo: clone.dir, scratch: tmp, base, head, globs: LISTED });
  const r = await measure(opts.node, c.args, { cwd: clone.dir, env: c.env });
  const output = readFileSync(c.output, "utf8");
  if (r.status !== 0 || !output.includes("true"))
    throw new Error(`${name} failed (exit ${r.status}): ${r.stderr.toString().slice(-2000)}`);
  return { ms: r.ms, rssKb: r.rssKb };
}

/** Bare Node: `node -e 0`, the least any Node program costs. */
async function runBareNode(clone) {
  return measure(opts.node, ["-e", "0"], { cwd: clone.dir });
}

/** The git processes one check starts itself, counted from git's own trace. */
async function gitProcesses(clone, dir) {
  const trace = join(dir, `trace2-${basename(dirname(clone.dir))}-${clone.layout}.json`);
  rmSync(trace, { force: true });
  clone.reset();
  await run(opts.node, [cli, ...CHECK_ARGS], {
    cwd: clone.dir,
    env: { ...process.env, GIT_TRACE2_EVENT: trace },
  });
  const procs = readTrace2(trace);
  rmSync(trace, { force: true });
  return procs;
}

/** Node's own start-up plus loading the bundle: `capgate --help`, for context. */
async function runStartup(clone) {
  return measure(opts.node, [cli, "--help"], { cwd: clone.dir, nodeScript: true });
}

function median(xs) {
  const v = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * What is measured on a clone: the check always; on a full or tiny clone the floor too; on the
 * reference's full clone the parse floors, the path listers and the start-up as well.
 */
function measurementsOf(label, clone) {
  const m = { check: () => runCheck(clone) };
  if (clone.layout === "full" || clone.layout === "tiny") m.floor = () => runFloor(clone);
  if (clone.layout === "full") {
    m.parseFloor = () => runParseFloor(clone);
    m.readFloor = () => runParseFloor(clone, true);
  }
  if (label === "reference" && clone.layout === "full") {
    for (const name of Object.keys(LISTERS)) m[name] = () => runLister(name, clone);
    m.startup = () => runStartup(clone);
    m.bare = () => runBareNode(clone);
  }
  return m;
}

/**
 * Measures every clone `opts.runs` times, taking the clones in turn within each round, so that a
 * machine that slows down or speeds up during the benchmark shifts every figure alike and the
 * ratios between them hold.
 */
async function benchAll(clones) {
  const live = [];
  for (const { label, clone } of clones) {
    const m = measurementsOf(label, clone);
    const warm = {};
    for (const [k, f] of Object.entries(m)) warm[k] = await f();
    if (warm.check.problem) {
      failures.push(`${label} ${clone.layout}: check ${warm.check.problem}\n${warm.check.stderr.trim()}`);
      continue;
    }
    live.push({ label, clone, m, warm, runs: Object.fromEntries(Object.keys(m).map((k) => [k, []])) });
  }
  for (let i = 0; i < opts.runs; i++) {
    for (const r of live) {
      for (const [k, f] of Object.entries(r.m)) {
        const x = await f();
        if (k === "check" && x.problem)
          failures.push(`${r.label} ${r.clone.layout}: run ${i + 1}: check ${x.problem}\n${x.stderr.trim()}`);
        r.runs[k].push(x);
      }
    }
  }
  return live.map(({ label, clone, warm, runs }) => {
    const med = Object.fromEntries(
      Object.entries(runs).map(([k, xs]) => [
        k,
        { ms: median(xs.map((x) => x.ms)), rssKb: median(xs.map((x) => x.rssKb)) },
      ]),
    );
    const checks = runs.check.map((c) => c.ms);
    return {
      label,
      clone,
      ...med,
      series: Object.fromEntries(Object.entries(runs).map(([k, xs]) => [k, xs.map((x) => x.ms)])),
      checkRange: [Math.min(...checks), Math.max(...checks)],
      report: warm.check.report,
      text: warm.check.text,
      blobs: warm.floor?.blobs,
      blobBytes: warm.floor?.bytes,
      documents: warm.parseFloor?.documents,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Profiling (--profile)

/** Original names of the bundle's functions, from esbuild's keepNames calls `helper(fn,"name")`. */
function bundleNames(bundlePath) {
  const src = readFileSync(bundlePath, "utf8");
  const helper = /var ([\w$]+)=\(([\w$]+),([\w$]+)\)=>[\w$]+\(\2,"name",\{value:\3,configurable:!0\}\)/.exec(src);
  const names = new Map();
  if (!helper) return names;
  const re = new RegExp(`[^\\w$.]${helper[1].replace(/\$/g, "\\$")}\\(([\\w$]+),"([^"]+)"\\)`, "g");
  for (const m of src.matchAll(re)) {
    const set = names.get(m[1]) ?? new Set();
    set.add(m[2]);
    names.set(m[1], set);
  }
  return names;
}

function summariseProfile(file, names, top = 20) {
  const prof = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map();
  const key = (id) => {
    let k = keyOf.get(id);
    if (k) return k;
    const cf = nodes.get(id).callFrame;
    let name = cf.functionName || "(anonymous)";
    const orig = names.get(cf.functionName);
    if (orig && cf.url.endsWith(basename(cli))) name = `${name}=${[...orig].slice(0, 3).join("|")}`;
    k = cf.url ? `${name}  ${basename(cf.url)}:${cf.lineNumber + 1}:${cf.columnNumber + 1}` : name;
    keyOf.set(id, k);
    return k;
  };
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; // time until the next sample, ms
    total += dt;
    const leaf = key(prof.samples[i]);
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    for (let id = prof.samples[i]; id !== undefined; id = parent.get(id)) {
      const k = key(id);
      if (seen.has(k)) continue; // recursion counts once
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const sorted = (m, filter = () => true) =>
    [...m.entries()]
      .filter(filter)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return {
    total,
    self: sorted(self),
    // The CLI's own functions (not node internals, not the root), by time including callees.
    inclusive: sorted(inclusive, ([k]) => k.includes(`${basename(cli)}:`)),
  };
}

function readTrace2(file) {
  const procs = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    let e;
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    if (e.event === "start") procs.set(e.sid, { argv: e.argv.slice(1).join(" "), at: Date.parse(e.time), ms: null });
    if (e.event === "exit" && procs.has(e.sid)) procs.get(e.sid).ms = e.t_abs * 1000;
  }
  // Only the git processes capgate started itself (not their own children), in start order.
  return [...procs.entries()]
    .filter(([sid, p]) => !sid.includes("/") && p.ms !== null)
    .map(([, p]) => p)
    .sort((a, b) => a.at - b.at);
}

async function profile(label, clone, dir) {
  const profDir = join(dir, "cpuprofile");
  const trace = join(dir, "trace2.json");
  const started = Date.now();
  clone.reset();
  const r = await run(opts.node, ["--cpu-prof", `--cpu-prof-dir=${profDir}`, cli, ...CHECK_ARGS], {
    cwd: clone.dir,
    env: { ...process.env, GIT_TRACE2_EVENT: trace },
  });
  const wall = Date.now() - started;
  if (r.status !== EXPECTED.exit) failures.push(`${label} (profiled): check exit ${r.status}: ${r.stderr}`);
  const file = readdirSync(profDir).find((f) => f.endsWith(".cpuprofile"));
  const p = summariseProfile(join(profDir, file), bundleNames(cli));
  console.log(`\nCPU profile of capgate check on the ${label} repository (${wall} ms wall under the profiler,`);
  console.log(`${fmt(p.total)} ms sampled on the main thread; minified names mapped to their original ones):`);
  console.log("\n  self ms   share  function (self time)");
  for (const [k, ms] of p.self) console.log(`  ${fmt(ms).padStart(7)}  ${pct(ms / p.total).padStart(6)}  ${k}`);
  console.log("\n  incl ms   share  function (time including callees; the CLI's own code)");
  for (const [k, ms] of p.inclusive) console.log(`  ${fmt(ms).padStart(7)}  ${pct(ms / p.total).padStart(6)}  ${k}`);
  if (existsSync(trace)) {
    const procs = readTrace2(trace);
    const sum = procs.reduce((s, x) => s + x.ms, 0);
    console.log(`\n  git processes capgate ran (${procs.length}, ${fmt(sum)} ms in all), by start time:`);
    console.log("  start ms     ms  command");
    for (const x of procs) {
      const cmd = x.argv.length > 100 ? x.argv.slice(0, 97) + "..." : x.argv;
      console.log(`  ${fmt(x.at - started).padStart(8)}  ${fmt(x.ms).padStart(5)}  git ${cmd}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The action's cold start

/**
 * A door's files: its start, the bundle the start loads and the code compiled for it (decision 24),
 * those that exist; a build from before the starts is its one bundle.
 */
function doorFiles(start) {
  const bundle = start.replace(/\.js$/, ".bundle.js");
  const compiled = start.replace(/\.js$/, ".bundle.cache");
  return existsSync(bundle) ? [start, bundle, ...(existsSync(compiled) ? [compiled] : [])] : [start, start];
}

/** Milliseconds from spawning `node args` to its first byte of output (or its exit, for `-e 0`). */
function firstOutput(node, args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(node, args, { cwd: tmp, env });
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(performance.now() - start);
    };
    child.stdout.once("data", finish);
    child.on("error", reject);
    child.on("close", finish);
  });
}

/** The bundled action from spawn to its first log line, on Node 24 (GitHub's runtime) and this Node. */
async function actionColdStart() {
  const bundle = join(root, "dist", "index.js");
  const event = join(tmp, "cold-event.json");
  writeFileSync(event, "{}");
  writeFileSync(join(tmp, "cold-out"), "");
  const env = {
    PATH: process.env.PATH,
    GITHUB_REPOSITORY: "o/r",
    GITHUB_EVENT_NAME: "unsupported_event",
    GITHUB_EVENT_PATH: event,
    GITHUB_OUTPUT: join(tmp, "cold-out"),
    INPUT_TOKEN: "x",
    GITHUB_WORKSPACE: tmp,
  };
  const runtimes = [["this Node", process.execPath]];
  const node24 = join(root, "node_modules", "node", "bin", "node");
  if (existsSync(node24)) runtimes.unshift(["Node 24", node24]);
  const [, code, compiled] = doorFiles(bundle);
  const sizes = `${mb(statSync(code).size / 1024)} MB${compiled ? `, compiled code ${mb(statSync(compiled).size / 1024)} MB` : ""}`;
  console.log(`\nthe action's cold start (dist/index.js, ${sizes}), medians of 15:`);
  for (const [name, node] of runtimes) {
    const med = async (args) => {
      await firstOutput(node, args, env);
      const xs = [];
      for (let i = 0; i < 15; i++) xs.push(await firstOutput(node, args, env));
      return median(xs);
    };
    const action = await med([bundle]);
    const bare = await med(["-e", "0"]);
    console.log(
      `  ${name}: first log line after ${fmt(action)} ms; node -e 0 ${fmt(bare)} ms (${fmt(action / bare, 2)}×)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function fmt(x, digits = 0) {
  return x === null || x === undefined || Number.isNaN(x) ? "n/a" : x.toFixed(digits);
}
function mb(kb) {
  return kb === null || kb === undefined ? "n/a" : (kb / 1024).toFixed(1);
}
function pct(x) {
  return `${(x * 100).toFixed(1)}%`;
}
function ratio(a, b) {
  return a === null || b === null || b === 0 ? null : a / b;
}

/**
 * The ratio of two measurements taken in the same rounds: the median of each round's own ratio.
 * A round takes every measurement in turn, so the two figures of a round were taken seconds
 * apart, and a host that slows down or speeds up between rounds moves both alike.
 */
function pairedRatio(a, b) {
  if (!a || !b) return null;
  return median(a.map((x, i) => ratio(x, b[i] ?? null)));
}
function du(path) {
  const r = spawnSync("du", ["-sk", path], { encoding: "utf8" });
  return r.status === 0 ? Number(r.stdout.split(/\s/)[0]) : null;
}
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("   "),
    )
    .join("\n");
}

// ---------------------------------------------------------------------------------------------
// Main

/**
 * Removes the folders of earlier runs that were killed outright (SIGKILL leaves no chance to clean
 * up): each run records its pid in `.owner`; a folder whose owner is no longer alive is removed.
 */
function sweepStale() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("capgate-bench-")) continue;
    const dir = join(tmpdir(), name);
    let pid;
    try {
      pid = Number(readFileSync(join(dir, ".owner"), "utf8"));
    } catch {
      continue; // not ours to judge
    }
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 0);
      continue; // still running
    } catch (e) {
      if (e.code === "EPERM") continue;
    }
    rmSync(dir, { recursive: true, force: true });
    console.log(`bench: removed ${dir}, left by an earlier run that was killed`);
  }
}

sweepStale();
const tmp = mkdtempSync(join(tmpdir(), "capgate-bench-"));
let parseFloorBundle = null;

/** bench/parse-floor.mjs bundled the way capgate's CLI is, so that loading `yaml` costs what it costs capgate. */
async function bundleParseFloor(dir) {
  const { build } = await import("esbuild");
  const outfile = join(dir, "parse-floor.bundle.mjs");
  await build({
    entryPoints: [join(root, "bench", "parse-floor.mjs")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
    outfile,
    mainFields: ["module", "main"],
    banner: { js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);" },
    logLevel: "silent",
  });
  return outfile;
}
writeFileSync(join(tmp, ".owner"), String(process.pid));
let cleaned = false;
let stopping = false; // a signal arrived: what fails from here on is our own doing
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (opts.keep) {
    // A kept folder has no owner any more: later runs leave it alone.
    rmSync(join(tmp, ".owner"), { force: true });
    console.log(`\nbench: kept ${tmp}`);
  } else rmSync(tmp, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(sig, () => {
    stopping = true;
    for (const child of running) child.kill("SIGKILL");
    if (fastImport) fastImport.kill("SIGKILL");
    // Give the killed children a moment to let go of the folder, then remove it.
    setTimeout(() => {
      cleanup();
      process.exit(sig === "SIGINT" ? 130 : 143);
    }, 200);
  });

const shapeKey = (name) => name.replace(/ /g, "-");
const unknown = (opts.only ?? []).filter((n) => !SHAPES.some(([name]) => shapeKey(name) === n));
if (unknown.length) usage(`--only names ${SHAPES.map(([n]) => shapeKey(n)).join(", ")}, not ${unknown.join(", ")}`);
if (opts.only && opts.smallOnly) usage("--only and --small-only are one choice");
const shapes = opts.smallOnly
  ? SHAPES.slice(0, 1)
  : opts.only
    ? SHAPES.filter(([name]) => opts.only.includes(shapeKey(name)))
    : SHAPES;
let exitCode = 0;
try {
  if (!timeWorks) rssWrapper(tmp);
  const cliHash = doorFiles(cli)
    .reduce((h, f) => h.update(readFileSync(f)), createHash("sha256"))
    .digest("hex")
    .slice(0, 12);
  const nodeVersion = spawnSync(opts.node, ["--version"], { encoding: "utf8" }).stdout.trim();
  console.log(`capgate bench: ${cli} (sha256 ${cliHash}…, built ${statSync(cli).mtime.toISOString()})`);
  console.log(
    `node ${nodeVersion} (${opts.node}), ${spawnSync("git", ["--version"], { encoding: "utf8" }).stdout.trim()}`,
  );
  console.log(`peak RSS: ${RSS_SOURCE}`);
  console.log(`runs per measurement: ${opts.runs} (after one warm-up), medians reported`);
  console.log(
    `pull request: ${ARTIFACTS_CHANGED} artifacts changed (${DIFF.toolsModified.length} tool files modified, ` +
      `${DIFF.toolsAdded} added, ${DIFF.promptsModified.length} prompts, ` +
      `${DIFF.skillsModified.length + DIFF.skillFilesModified.length} skill files, ${DIFF.agentsModified.length} agents) ` +
      `+ ${DIFF.ordinaryModified.length + DIFF.ordinaryAdded + DIFF.ordinaryDeleted.length} ordinary files; ` +
      `tiny pull request: 1 tool, 1 prompt, 1 ordinary file`,
  );
  console.log(
    "floor: bench/floor.mjs — Node starting, git diff-tree of the two revisions (no index), one cat-file of every changed blob",
  );
  console.log(
    "parse floor: bench/parse-floor.mjs — the floor, the agents listed and read, and the YAML of every changed file " +
      "and of every manifest naming one parsed with `yaml` (no decision)",
  );
  console.log(`path listers: ${Object.keys(LISTERS).join(", ")} (bench/listers/), as published`);
  parseFloorBundle = await bundleParseFloor(tmp);

  const clones = [];
  const sizes = {};
  for (const [label, counts, layouts] of shapes) {
    const dir = join(tmp, label.replace(/\W+/g, "-"));
    const t0 = performance.now();
    const { baseFiles } = await buildRepo(join(dir, "remote.git"), counts);
    const genMs = performance.now() - t0;
    sizes[label] = { files: baseFiles, counts };
    for (const layout of layouts) {
      const t1 = performance.now();
      clones.push({ label, clone: makeClone(join(dir, "remote.git"), join(dir, layout), layout) });
      console.log(`[${label}] ${layout} clone in ${fmt((performance.now() - t1) / 1000, 1)} s`);
    }
    console.log(
      `[${label}] generated ${baseFiles.toLocaleString("en-US")} files ` +
        `(${counts.tools} tool files, ${counts.prompts} prompts, ${counts.skills} skills, ${counts.agents} agents) ` +
        `in ${fmt(genMs / 1000, 1)} s; ${mb(du(dir))} MB on disk with its clones`,
    );
  }
  console.log(`\nmeasuring: ${opts.runs} rounds, each running every measurement in turn`);
  const measured = await benchAll(clones);
  const byKey = new Map(measured.map((r) => [`${r.label}/${r.clone.layout}`, r]));
  for (const r of measured) {
    r.procs = await gitProcesses(r.clone, tmp);
    const full = byKey.get(`${r.label}/full`);
    // A clone of another shape checks the same pull request: its report must be the full clone's.
    if (r.clone.layout !== "full" && r.clone.layout !== "tiny" && full && r.text !== full.text)
      failures.push(`${r.label} ${r.clone.layout}: the report differs from the full clone's`);
    const head = `[${r.label} ${r.clone.layout}]`;
    console.log(
      `\n${head} decision ${r.report.decision}, tier ${r.report.tier}, ${r.report.changes.length} gated changes, ` +
        `${r.report.escalations.length} escalations; ${r.procs.length} git processes per check` +
        (r.clone.layout === "blobless" || r.clone.layout === "shallow"
          ? `; report ${full && r.text === full.text ? "identical to" : "DIFFERENT from"} the full clone's`
          : ""),
    );
    console.log(
      `${head} check ${fmt(r.check.ms)} ms (runs ${fmt(r.checkRange[0])}–${fmt(r.checkRange[1])}), ${mb(r.check.rssKb)} MB` +
        (r.floor ? `; floor ${fmt(r.floor.ms, 1)} ms (${r.blobs} blobs, ${fmt(r.blobBytes / 1024)} KB)` : "") +
        (r.parseFloor ? `; parse floor ${fmt(r.parseFloor.ms, 1)} ms (${r.documents} YAML documents)` : ""),
    );
    console.log(`${head} git: ${r.procs.map((p) => p.argv.split(" ").slice(0, 2).join(" ")).join(", ")}`);
  }

  if (opts.profile) {
    const ref = byKey.get("reference/full");
    if (ref) await profile("reference", ref.clone, tmp);
  }

  const rows = [["", "layout", "files", "check ms", "check MB", "floor ms", "check/floor", "git processes"]];
  for (const r of measured) {
    const floorOf = r.floor ? r : byKey.get(`${r.label}/full`);
    const floor = floorOf?.floor?.ms ?? null;
    rows.push([
      r.label,
      r.clone.layout,
      sizes[r.label].files.toLocaleString("en-US"),
      fmt(r.check.ms),
      mb(r.check.rssKb),
      fmt(floor, 1),
      fmt(pairedRatio(r.series.check, floorOf?.series.floor), 2),
      r.procs.length,
    ]);
  }
  const ref = byKey.get("reference/full");
  if (ref) {
    for (const name of Object.keys(LISTERS))
      rows.push([
        name,
        "full",
        sizes.reference.files.toLocaleString("en-US"),
        fmt(ref[name].ms),
        mb(ref[name].rssKb),
        fmt(ref.floor.ms, 1),
        fmt(pairedRatio(ref.series[name], ref.series.floor), 2),
        "",
      ]);
    rows.push([
      "parse floor",
      "full",
      "",
      fmt(ref.parseFloor.ms),
      mb(ref.parseFloor.rssKb),
      fmt(ref.floor.ms, 1),
      fmt(pairedRatio(ref.series.parseFloor, ref.series.floor), 2),
      "",
    ]);
  }
  console.log("\nResults (medians; a ratio is the median of the rounds' own ratios)\n");
  console.log(table(rows));
  const summary = [["figure", "value", "target", "met"]];
  const target = (label, value, bound, digits = 2) =>
    summary.push([label, fmt(value, digits), `≤ ${bound}`, value !== null && value <= bound ? "yes" : "NO"]);
  const tiny = byKey.get("reference/tiny");
  const blobless = byKey.get("reference/blobless");
  const files10 = byKey.get("10x files/full");
  const agents10 = byKey.get("10x agents/full");
  if (ref) {
    const checks = (r) => pairedRatio(r.series.check, ref.series.check);
    target("check/floor (reference pull request)", pairedRatio(ref.series.check, ref.series.floor), 3.0);
    if (tiny) target("check/floor (tiny pull request)", pairedRatio(tiny.series.check, tiny.series.floor), 3.0);
    if (files10) target("10× files, same diff: check time ratio", checks(files10), 1.2);
    if (agents10) target("10× agents, same diff: check time ratio", checks(agents10), 1.2);
    if (blobless) target("blobless clone / full clone: check time ratio", checks(blobless), 1.5);
    target(
      "git processes per check (full clones)",
      Math.max(...measured.filter((r) => ["full", "tiny"].includes(r.clone.layout)).map((r) => r.procs.length)),
      6,
      0,
    );
    target("peak RSS (MB)", Math.max(...measured.map((r) => r.check.rssKb ?? 0)) / 1024, 100, 1);
    for (const name of Object.keys(LISTERS))
      summary.push([
        `${name}/floor (reference pull request)`,
        fmt(pairedRatio(ref.series[name], ref.series.floor), 2),
        "",
        "",
      ]);
    summary.push([
      "parse floor/floor (a gate reading its YAML with yaml goes no lower)",
      fmt(pairedRatio(ref.series.parseFloor, ref.series.floor), 2),
      "",
      "",
    ]);
    if (agents10)
      summary.push([
        "10× agents: ms that only listing and reading the 9,000 more manifests add",
        fmt(agents10.readFloor.ms - ref.readFloor.ms),
        "",
        "",
      ]);
    summary.push(["capgate --help (start-up and bundle load)", `${fmt(ref.startup.ms)} ms`, "", ""]);
    summary.push(["node -e 0", `${fmt(ref.bare.ms)} ms`, "", ""]);
  }
  console.log("");
  console.log(table(summary));
  await actionColdStart();
} catch (e) {
  if (!stopping) console.error(`bench: ${e?.stack ?? e}`);
  exitCode = 2;
} finally {
  cleanup();
}

if (failures.length && !stopping) {
  console.error(`\nbench: the check did not decide as expected:\n${failures.map((f) => `  - ${f}`).join("\n")}`);
  exitCode = exitCode || 1;
}
process.exitCode = exitCode;
