import type { Tier } from "../config/ladder.js";
import type { ResolvedConfig } from "../config/resolve.js";
import type { Analysis } from "../analysis/analyze.js";
import type { DecisionInput, FileState } from "../input/types.js";
import { approvalRequirements, ruleId, type ApprovalRule } from "./approvals.js";
import { evalRequirement, type BindingContext } from "./evals.js";
import type { Requirement } from "./types.js";
import { pinRequirement } from "./pins.js";

/** What the touched tiers ask for, each tier's own list, merged by what is asked. */
interface Asked {
  suites: Map<string, Tier[]>;
  rules: Map<string, ApprovalRule>;
  files: Map<string, Tier[]>;
  /** Touched tiers the config asks nothing of. */
  without: Tier[];
}

/**
 * Every requirement of every touched tier, each tier's own list, plus the rules that hold
 * whatever the tier: readable artifacts, version discipline, holdout integrity.
 */
export function collectRequirements(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  headFile: (path: string) => FileState,
): { requirements: Requirement[]; notes: string[] } {
  const asked = askedOf(config, analysis);
  const ctx: BindingContext = {
    evidence: input.evidence,
    head: input.head.sha,
    headFile,
    gated: analysis.gated,
    changes: analysis.changes,
    tiersRequiring: (suite) => tiersRequiring(config, suite),
  };
  const requirements: Requirement[] = [...artifactRequirements(analysis)];
  for (const [name, tiers] of asked.suites) {
    const suite = config.suites.get(name);
    if (!suite) continue;
    requirements.push(evalRequirement(suite, tiers, ctx));
    if (suite.config.holdout) requirements.push(holdoutRequirement(name, tiers, config, analysis));
  }
  const approvals = input.evidence.approvals;
  requirements.push(
    ...approvalRequirements(
      [...asked.rules.values()],
      approvals,
      config,
      (approvals.ok ? approvals.approvedHead : undefined) ?? input.head.sha,
      analysis.gated,
      analysis.touched.map((t) => t.tier),
      {
        files: [...new Set(analysis.changes.flatMap((c) => [c.path, c.oldPath]))],
        codeowners: input.codeowners ?? null,
      },
    ),
    ...fileRequirements(asked.files, headFile),
    ...versionRequirements(analysis),
    ...analysis.pins.map(pinRequirement),
  );
  return { requirements, notes: asked.without.map((t) => `tier ${t} has no requirements in ${config.path}`) };
}

function askedOf(config: ResolvedConfig, analysis: Analysis): Asked {
  const asked: Asked = { suites: new Map(), rules: new Map(), files: new Map(), without: [] };
  for (const { tier } of analysis.touched) {
    const t = config.raw.tiers?.[tier];
    if (!t) {
      asked.without.push(tier);
      continue;
    }
    for (const s of t.evals ?? []) asked.suites.set(s, [...(asked.suites.get(s) ?? []), tier]);
    const list = t.approvals === undefined ? [] : Array.isArray(t.approvals) ? t.approvals : [t.approvals];
    for (const raw of list) {
      const rule = typeof raw === "number" ? { count: raw, from: [] } : { count: raw.count, from: [...raw.from] };
      const existing = asked.rules.get(ruleId(rule));
      if (existing) existing.tiers.push(tier);
      else asked.rules.set(ruleId(rule), { ...rule, tiers: [tier] });
    }
    for (const f of t.files ?? []) asked.files.set(f, [...(asked.files.get(f) ?? []), tier]);
  }
  return asked;
}

/** The tiers whose requirements name a suite. */
export function tiersRequiring(config: ResolvedConfig, suite: string): Tier[] {
  return Object.entries(config.raw.tiers ?? {})
    .filter(([, t]) => t?.evals?.includes(suite))
    .map(([t]) => t as Tier);
}

function artifactRequirements(analysis: Analysis): Requirement[] {
  return analysis.errors.map((e) => ({
    kind: "artifact",
    id: `artifact:${e.path}`,
    status: "failed",
    tiers: [],
    summary: `${e.path} can be read and is valid`,
    detail: `${e.path}${e.line ? `:${e.line}` : ""}: ${e.reason}`,
    path: e.path,
    ...(e.line ? { line: e.line } : {}),
  }));
}

function fileRequirements(files: ReadonlyMap<string, Tier[]>, headFile: (path: string) => FileState): Requirement[] {
  return [...files].map(([path, tiers]) => {
    const f = headFile(path);
    const present = (f.state === "file" && f.text.trim().length > 0) || f.state === "opaque";
    return {
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
    };
  });
}

function versionRequirements(analysis: Analysis): Requirement[] {
  return analysis.versions.map((v) => ({
    kind: "version",
    id: `version:${v.path}`,
    status: v.ok ? "met" : "failed",
    tiers: [],
    summary: `${v.path} carries ${v.need === "major" ? "a major version bump" : "a higher version"}`,
    detail: v.detail,
    path: v.path,
  }));
}

function holdoutRequirement(name: string, tiers: Tier[], config: ResolvedConfig, analysis: Analysis): Requirement {
  const changedFiles = analysis.suiteChanges.get(name) ?? [];
  const gatedChanged = tiersRequiring(config, name).filter((t) => analysis.nonEvalTiers.has(t));
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
