import type { Analysis } from "../capability/analyze.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { DecisionInput, FileState } from "../decision/input.js";
import type { Tier } from "../tier/ladder.js";
import { approvalRequirements, ruleId, type ApprovalRule } from "./approvals.js";
import { evalRequirement, type BindingContext } from "./evals.js";
import type { Requirement } from "./types.js";

/**
 * Every requirement of every touched tier, each tier's own list (PRODUCT §1), plus the rules that
 * hold whatever the tier: readable artifacts, version discipline, holdout integrity.
 */
export function collectRequirements(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  headFile: (path: string) => FileState | { state: "pending" },
  notes: string[],
): Requirement[] {
  const reqs: Requirement[] = [];
  for (const e of analysis.errors) {
    const r: Requirement = {
      kind: "artifact",
      id: `artifact:${e.path}`,
      status: "failed",
      tiers: [],
      summary: `${e.path} can be read and is valid`,
      detail: `${e.path}${e.line ? `:${e.line}` : ""}: ${e.reason}`,
      path: e.path,
    };
    if (e.line) r.line = e.line;
    reqs.push(r);
  }

  const suites = new Map<string, Tier[]>();
  const rules = new Map<string, ApprovalRule>();
  const files = new Map<string, Tier[]>();
  for (const { tier } of analysis.touched) {
    const t = config.raw.tiers?.[tier];
    if (!t) {
      notes.push(`tier ${tier} has no requirements in ${config.path}`);
      continue;
    }
    for (const s of t.evals ?? []) suites.set(s, [...(suites.get(s) ?? []), tier]);
    const list = t.approvals === undefined ? [] : Array.isArray(t.approvals) ? t.approvals : [t.approvals];
    for (const raw of list) {
      const rule = typeof raw === "number" ? { count: raw, from: [] } : { count: raw.count, from: [...raw.from] };
      const id = ruleId(rule);
      const existing = rules.get(id);
      if (existing) existing.tiers.push(tier);
      else rules.set(id, { ...rule, tiers: [tier] });
    }
    for (const f of t.files ?? []) files.set(f, [...(files.get(f) ?? []), tier]);
  }

  const ctx: BindingContext = {
    evidence: input.evidence,
    head: input.head.sha,
    headFile,
    isGated: analysis.isGated,
    changes: analysis.changes,
    tiersRequiring: (suite) =>
      Object.entries(config.raw.tiers ?? {})
        .filter(([, t]) => t?.evals?.includes(suite))
        .map(([t]) => t as Tier),
  };
  for (const [name, tiers] of suites) {
    const suite = config.suites.get(name);
    if (!suite) continue;
    reqs.push(evalRequirement(suite, tiers, ctx));
    if (suite.config.holdout) reqs.push(holdoutRequirement(name, tiers, config, analysis));
  }

  reqs.push(
    ...approvalRequirements(
      [...rules.values()],
      input.evidence.approvals,
      input.evidence.approvalsError,
      config,
      input.evidence.approvals?.approvedHead ?? input.head.sha,
      analysis.isGated,
      analysis.touched.map((t) => t.tier),
    ),
  );

  for (const [path, tiers] of files) {
    const f = headFile(path);
    const present = f.state === "file" && f.text.trim().length > 0;
    reqs.push({
      kind: "file",
      id: `file:${path}`,
      status: present ? "met" : "missing",
      tiers,
      summary: `${path} exists at head`,
      detail: present
        ? `${path} is present`
        : f.state === "error"
          ? `${path} cannot be read (${f.reason}); commit it as a regular file`
          : f.state === "file"
            ? `${path} is empty; write it`
            : `add ${path} to the change or the base branch`,
      path,
    });
  }

  for (const v of analysis.versions) {
    reqs.push({
      kind: "version",
      id: `version:${v.path}`,
      status: v.ok ? "met" : "failed",
      tiers: [],
      summary: `${v.path} carries ${v.need === "major" ? "a major version bump" : "a higher version"}`,
      detail: v.detail,
      path: v.path,
    });
  }
  return reqs;
}

function holdoutRequirement(name: string, tiers: Tier[], config: ResolvedConfig, analysis: Analysis): Requirement {
  const gatedTiers = Object.entries(config.raw.tiers ?? {})
    .filter(([, t]) => t?.evals?.includes(name))
    .map(([t]) => t as Tier);
  const changedFiles = analysis.suiteChanges.get(name) ?? [];
  const gatedChanged = gatedTiers.filter((t) => analysis.nonEvalTiers.has(t));
  const broken = changedFiles.length > 0 && gatedChanged.length > 0;
  return {
    kind: "holdout",
    id: `holdout:${name}`,
    status: broken ? "failed" : "met",
    tiers,
    summary: `holdout suite ${name} does not change together with what it gates`,
    detail: broken
      ? `${changedFiles.join(", ")} changed in the same change as artifacts at tier ${gatedChanged.join(", ")} that ${name} gates: split the suite change into its own pull request`
      : changedFiles.length > 0
        ? `${changedFiles.join(", ")} changed, but nothing ${name} gates changed with it`
        : `suite ${name} unchanged`,
  };
}
