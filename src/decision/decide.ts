import { baselinePolicy } from "../config/baseline.js";
import { resolveConfig, type ResolvedConfig } from "../config/resolve.js";
import type { ConfigInput, DecisionInput } from "../input/types.js";
import { auditRequirement } from "../requirement/audit.js";
import { collectRequirements } from "../requirement/collect.js";
import { RevisionView } from "../snapshot/view.js";
import { changelogOf, type Changelog } from "../analysis/changelog.js";
import { analyze, newCache, type Analysis, type AnalysisCache } from "../analysis/analyze.js";
import { baselineNamed, centralPolicy, withOtherPolicy, type OtherPolicy } from "./baseline.js";
import { sortRequirements, type Decision } from "./decision.js";

export type { Decision } from "./decision.js";

/** A policy that judges the change beside the config, with how the decision names its rules. */
interface Beside {
  config: ResolvedConfig;
  named: OtherPolicy;
}

/**
 * The policies a decision is judged by: the config first, then the central policy it extends,
 * then the built-in baseline when the config is the head's.
 */
function policyList(input: ConfigInput): [ResolvedConfig, ...Beside[]] {
  const config = resolveConfig(input.path, input.raw);
  const beside: Beside[] = [];
  // A central policy the config extends applies as well: the config adds to it, never weakens it.
  if (input.policy)
    beside.push({ config: resolveConfig(input.policy.ref, input.policy.raw), named: centralPolicy(input.policy.ref) });
  // A config the pull request wrote sets no bar on its own: the built-in baseline applies as well.
  if (input.source === "head")
    beside.push({ config: resolveConfig(input.path, baselinePolicy(input.raw)), named: baselineNamed(config) });
  return [config, ...beside];
}

/** The policies a decision is judged by (`policyList`), the config first. */
export function policiesOf(input: ConfigInput): ResolvedConfig[] {
  const [config, ...beside] = policyList(input);
  return [config, ...beside.map((b) => b.config)];
}

/**
 * The decision as a function of plain data. Total: it reads only
 * `input`, and a path the input lacks is a bug in the gathering, thrown (the top level blocks).
 */
export function decide(input: DecisionInput, cache: AnalysisCache = newCache()): Decision {
  const [config, ...beside] = policyList(input.config);
  let decision = decideUnder(input, config, cache);
  for (const b of beside) decision = withOtherPolicy(decision, decideUnder(input, b.config, cache), config, b.named);
  return decision;
}

/** What the input's range did to capability (`capgate changelog`), under the config that judges it. */
export function changelog(input: DecisionInput, cache: AnalysisCache = newCache()): Changelog {
  const [config] = policiesOf(input.config);
  return changelogOf(input, config!, analyze(input, config!, cache), cache.parsed);
}

function decideUnder(input: DecisionInput, config: ResolvedConfig, cache: AnalysisCache): Decision {
  const analysis = analyze(input, config, cache);
  const headView = new RevisionView("head", input.head);
  const { requirements, notes } = input.audit
    ? { requirements: analysis.tier ? [auditRequirement(input.audit, analysis.tier, input.head.sha)] : [], notes: [] }
    : collectRequirements(input, config, analysis, (p) => headView.file(p));
  return assemble(input, config, analysis, sortRequirements(requirements), notes);
}

function assemble(
  input: DecisionInput,
  config: ResolvedConfig,
  analysis: Analysis,
  requirements: Decision["requirements"],
  notes: string[],
): Decision {
  if (input.config.source === "file")
    notes.unshift(
      `trial config: read from ${input.config.file ?? config.path} on disk, not from the base revision; in CI the gate reads the base's config`,
    );
  if (analysis.tier === null && analysis.changes.length === 0) notes.push("nothing gated changed");
  if (analysis.ungated.length > 0) {
    const some = analysis.ungated.slice(0, 3).join(", ");
    const more = analysis.ungated.length > 3 ? ` and ${analysis.ungated.length - 3} more` : "";
    notes.push(`${analysis.ungated.length} changed file(s) are not gated artifacts: ${some}${more}`);
  }
  // Compared from the merge base: a head the base already contains has nothing new in it.
  const tip = (input.evidence.baseCommits ?? []).find((c) => c !== input.base.sha);
  if (input.base.sha === input.head.sha && tip !== undefined)
    notes.push(
      `the base ${tip.slice(0, 7)} already contains the head, so nothing in it is new (are the base and head swapped?)`,
    );
  return {
    decision: requirements.some((r) => r.status !== "met") ? "block" : "pass",
    tier: analysis.tier,
    touched: analysis.touched,
    escalations: analysis.escalations,
    changes: analysis.changes,
    requirements,
    agents: analysis.headAgents,
    agentChanges: analysis.agentChanges,
    notes,
    base: input.base.sha,
    head: input.head.sha,
    config: {
      path: config.path,
      source: input.config.source,
      ...(input.config.file !== undefined ? { file: input.config.file } : {}),
    },
  };
}
