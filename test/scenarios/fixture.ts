import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Files, TestRepo } from "../helpers/repo.js";

export const CONFIG = `version: 1
groups:
  ml: ["alice", "@acme/ml"]
  safety: ["@acme/trust-safety"]
suites:
  regression:
    files: ["evals/regression/**"]
    results: "eval-results/regression*.json"
    min_pass_rate: 0.95
    min_cases: 20
  redteam:
    files: ["evals/redteam/**"]
    results: "eval-results/redteam*.json"
    min_pass_rate: 0.98
    canaries: true
    slices: { by: locale, min_pass_rate: 0.9 }
    metrics: { ece: { max: 0.1 } }
    holdout: true
tiers:
  chat:       { evals: [regression], approvals: 1 }
  tools:      { evals: [regression], approvals: { count: 1, from: [ml] } }
  write:      { evals: [regression, redteam], approvals: [{ count: 1, from: [ml] }, { count: 1, from: [safety] }], files: [docs/rollback.md] }
  autonomous: { evals: [regression, redteam], approvals: [{ count: 2, from: [safety] }], files: [docs/rollback.md] }
  governance: { approvals: [{ count: 1, from: [safety] }] }
`;

export const TEAMS = { "@acme/ml": ["alice", "bob"], "@acme/trust-safety": ["carol", "erin"] };

export function tool(
  name: string,
  annotations?: Record<string, unknown>,
  props: Record<string, unknown> = { id: { type: "string" } },
) {
  return {
    name,
    description: `${name} tool`,
    inputSchema: { type: "object", properties: props, required: Object.keys(props) },
    ...(annotations ? { annotations } : {}),
  };
}

export function toolFile(...tools: unknown[]): string {
  return JSON.stringify({ tools }, null, 2);
}

export function agent(fields: {
  name?: string;
  version?: string;
  prompt?: string;
  tools?: unknown[];
  skills?: string[];
  servers?: unknown[];
  maxSteps?: number;
  confirm?: string[];
}): string {
  const doc: Record<string, unknown> = { name: fields.name ?? "support-bot" };
  if (fields.version) doc.version = fields.version;
  doc.prompt = fields.prompt ?? "prompts/support/system.md";
  if (fields.tools) doc.tools = fields.tools;
  if (fields.skills) doc.skills = fields.skills;
  if (fields.servers) doc.mcp_servers = fields.servers;
  const autonomy: Record<string, unknown> = {};
  if (fields.maxSteps !== undefined) autonomy.max_steps = fields.maxSteps;
  if (fields.confirm) autonomy.confirm = fields.confirm;
  if (Object.keys(autonomy).length) doc.autonomy = autonomy;
  return JSON.stringify(doc, null, 2);
}

export function skill(name: string, allowedTools?: string, version?: string): string {
  return [
    "---",
    `name: ${name}`,
    `description: The ${name} skill. Use it when the task needs ${name}.`,
    ...(allowedTools !== undefined ? [`allowed-tools: ${allowedTools}`] : []),
    ...(version ? ["metadata:", `  version: "${version}"`] : []),
    "---",
    `Instructions for ${name}.`,
    "",
  ].join("\n");
}

/** The base branch every scenario starts from: a read-only support agent at `tools`. */
export const BASE: Files = {
  ".github/capgate.yml": CONFIG,
  ".github/workflows/ci.yml": "name: ci\non: [push]\njobs: {}\n",
  "agents/support.yaml": agent({ version: "1.4.0", tools: ["tools/orders.json"], maxSteps: 8 }),
  "prompts/support/system.md": "---\nid: support-system\nversion: 1.0.0\n---\nYou are a support assistant.\n",
  "prompts/standalone.md": "Summarise the text you are given.\n",
  "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true })),
  "tools/lookup.json": toolFile(tool("lookup_sku", { readOnlyHint: true })),
  "skills/faq/SKILL.md": skill("faq", "Read Grep"),
  "skills/faq/notes.md": "FAQ notes.\n",
  "evals/regression/cases.yaml": "- id: r1\n",
  "evals/redteam/cases.yaml": "- id: t1\n",
  "docs/rollback.md": "# Rollback\nRevert the manifest.\n",
  "README.md": "# product\n",
};

export interface SuiteResult {
  pass?: number;
  fail?: number;
  canaryFail?: number;
  commit?: string;
  suite?: string;
  digests?: Record<string, string>;
  locales?: boolean;
  ece?: number;
}

/** A native results file for a suite: `pass` passing and `fail` failing cases. */
export function results(suite: string, r: SuiteResult, head: string | undefined): string {
  const cases: unknown[] = [];
  const locales = ["de", "en", "fr"];
  for (let i = 0; i < (r.pass ?? 25); i++) {
    cases.push({
      id: `${suite}-p${i}`,
      pass: true,
      tags: i === 0 ? ["canary"] : [],
      slice: { locale: locales[i % 3] },
    });
  }
  for (let i = 0; i < (r.fail ?? 0); i++) cases.push({ id: `${suite}-f${i}`, pass: false, slice: { locale: "xx" } });
  for (let i = 0; i < (r.canaryFail ?? 0); i++)
    cases.push({ id: `${suite}-c${i}`, pass: false, tags: ["canary"], slice: { locale: "en" } });
  const doc: Record<string, unknown> = {
    capgate: "results/v1",
    suite: r.suite ?? suite,
    cases,
    metrics: { ece: r.ece ?? 0.03 },
  };
  const commit = r.commit ?? head;
  if (commit) doc.commit = commit;
  if (r.digests) doc.digests = r.digests;
  return JSON.stringify(doc);
}

/** Writes untracked result files into the workspace, as an eval step of the job would. */
export function writeResults(repo: { dir: string }, files: Record<string, string | Buffer>): void {
  for (const [path, text] of Object.entries(files)) {
    const abs = join(repo.dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

/** Teams as the API stand-in serves them ("org/slug"), matching TEAMS. */
export const API_TEAMS = { "acme/ml": ["alice", "bob"], "acme/trust-safety": ["carol", "erin"] };

/** The pull request that gives support-bot a confirmed refund tool: `write`, with a major bump. */
export function confirmedRefund(): Files {
  return {
    "tools/refunds.json": toolFile(tool("issue_refund")),
    "agents/support.yaml": agent({
      version: "2.0.0",
      tools: ["tools/orders.json", "tools/refunds.json"],
      maxSteps: 8,
      confirm: ["issue_refund"],
    }),
  };
}

/**
 * A repository with a pull request on branch `pr`, checked out at its head with passing results
 * for both suites in the workspace, as an eval step of the job would leave them.
 */
export function pullRequestRepo(
  repo: TestRepo,
  head: Files = confirmedRefund(),
  baseFiles: Files = BASE,
): { base: string; head: string } {
  const base = repo.commit(baseFiles, "base");
  repo.branch("pr");
  const headSha = repo.commit(head, "pull request");
  writeResults(repo, {
    "eval-results/regression.json": results("regression", {}, headSha),
    "eval-results/redteam.json": results("redteam", {}, headSha),
  });
  return { base, head: headSha };
}
