import type { Decision } from "../decision/decision.js";
import type { RequirementKind } from "../requirement/types.js";
import { oneLine } from "./inert.js";

/**
 * SARIF 2.1.0 for GitHub code scanning (PRODUCT §5, "Where teams look"): one result per
 * escalation and per unmet requirement, each at the file (relative to the repository's root) and
 * line it is about, a rule per requirement kind with its help, `error` where the decision blocks.
 * A pass with nothing escalated has no results. A message is one line of at most 400 characters,
 * its controls made visible: code scanning shows messages as plain text.
 */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: SarifRun[];
}

interface SarifRun {
  tool: { driver: { name: string; version: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { description: { text: string } }>;
  results: SarifResult[];
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: "error" | "warning" };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: "error" | "warning";
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: "%SRCROOT%" };
      region: { startLine: number };
    };
  }[];
  properties: Record<string, unknown>;
}

/** Where in a file a result is about: the first line holding one of the needles, else line 1. */
export type LineOf = (path: string, needles: readonly string[]) => number;

/** The rules: what each kind of finding means and what clears it. */
const RULES: Record<RequirementKind | "escalation", [name: string, short: string, help: string]> = {
  escalation: [
    "CapabilityEscalation",
    "An agent can do more than it could before the change",
    "The change raises the capability tier an agent runs at (chat < tools < write < autonomous): it can call more tools, write, or act without asking. The tier's controls apply: its eval suites, approvals and files. Lower the tier (confirm the tool, drop the permission) or meet the controls.",
  ],
  artifact: [
    "UnreadableArtifact",
    "A gated file cannot be read or parsed",
    "capgate could not read or parse a file the change touches, so it judges it at the worst case and blocks. Fix the file (the message names the reason and line).",
  ],
  version: [
    "VersionNotBumped",
    "A versioned artifact changed without the version bump it needs",
    "A prompt, tool file, skill or agent that declares a version changed without a bump (a breaking change needs a major one). Bump the version in the file.",
  ],
  holdout: [
    "HoldoutExposed",
    "A holdout eval suite's cases are exposed to the change",
    "The change touches a holdout suite's cases or the results of one. Keep holdout cases out of the pull request.",
  ],
  pin: [
    "UnpinnedMcpServer",
    "An MCP server the change touches is not pinned",
    "The server is started by a launcher that can change under the lock (no exact version, a tag, a remote URL). Pin it (an exact version, `==`, an image digest) or lock its tools with `capgate pin`.",
  ],
  eval: [
    "EvalResultsMissing",
    "Eval results for exactly this content are missing or failing",
    "The touched tier needs results of this eval suite produced for the head's content (bound to its commit or digests), meeting the suite's bar. Run the suite on this commit and keep its results where the config's `results` glob finds them.",
  ],
  approval: [
    "ApprovalMissing",
    "The approvals the touched tier needs are missing",
    "The touched tier needs approvals from the groups the config names, on the head commit. Ask the named people or teams to review.",
  ],
  file: [
    "RequiredFileMissing",
    "A file the touched tier requires is missing",
    "The touched tier requires a file to exist at head (a rollback plan, a model card). Add it.",
  ],
};

const KINDS = Object.keys(RULES) as (RequirementKind | "escalation")[];

export function toSarif(d: Decision, lineOf: LineOf, version: string): SarifLog {
  const blocks = d.decision === "block";
  const level = blocks ? "error" : "warning";
  const results: SarifResult[] = [];
  // What the change as a whole owes is the config's to say: it is shown there.
  const fallback = d.config.path;
  for (const e of d.escalations)
    results.push(
      result("escalation", level, e.reason, e.path, lineOf(e.path, needlesOf(e.causes.join(" "))), {
        agent: e.agent,
        from: e.from,
        to: e.to,
      }),
    );
  for (const r of d.requirements) {
    if (r.status === "met") continue;
    const path = r.path ?? fallback;
    const line =
      r.path && r.line ? r.line : lineOf(path, r.path ? needlesOf(r.detail) : [r.id.slice(r.id.indexOf(":") + 1)]);
    results.push(
      result(r.kind, level, `${r.summary}: ${r.detail}`, path, line, { id: r.id, status: r.status, tiers: r.tiers }),
    );
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "capgate",
            version,
            rules: KINDS.map((k) => rule(k)),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { description: { text: "The repository's root" } } },
        results,
      },
    ],
  };
}

function rule(kind: RequirementKind | "escalation"): SarifRule {
  const [name, short, help] = RULES[kind];
  return {
    id: `capgate/${kind}`,
    name,
    shortDescription: { text: short },
    fullDescription: { text: `${short}.` },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: "error" },
  };
}

function result(
  kind: RequirementKind | "escalation",
  level: "error" | "warning",
  text: string,
  path: string,
  line: number,
  properties: Record<string, unknown>,
): SarifResult {
  return {
    ruleId: `capgate/${kind}`,
    ruleIndex: KINDS.indexOf(kind),
    level,
    message: { text: oneLine(text) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(path), uriBaseId: "%SRCROOT%" },
          region: { startLine: Math.max(1, line) },
        },
      },
    ],
    properties,
  };
}

/** A repository path as a relative URI reference: each segment percent-encoded, `/` kept. */
export function uriOf(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** The names a reason quotes (tools, servers, permissions): what its line in the file holds. */
function needlesOf(text: string): string[] {
  const quoted = [...text.matchAll(/`([^`\n]{2,200})`/g)].map((m) => m[1]!);
  const names = [...text.matchAll(/\b[A-Za-z][\w.-]*(?:__|_)[\w.-]+\b/g)].map((m) => m[0]);
  return [...new Set([...quoted, ...names])];
}

/**
 * Lines from the texts the decision read: the first line of a file holding one of the needles,
 * else line 1. `texts` gives a file's text at head (or at base, for a deleted one), if read.
 */
export function lineFinder(texts: (path: string) => string | null): LineOf {
  return (path, needles) => {
    const text = texts(path);
    if (text === null) return 1;
    const lines = text.split(/\r\n|\n|\r/);
    for (const needle of needles) {
      if (!needle) continue;
      const at = lines.findIndex((l) => l.includes(needle));
      if (at >= 0) return at + 1;
    }
    return 1;
  };
}
