import { CODEOWNERS_PATHS } from "./codeowners.js";
import { globMatcher, type Matcher } from "./glob.js";
import { parseWith } from "../parse/document.js";
import type { Parsed } from "../parse/result.js";
import { Ladder, type CapabilityTier } from "./ladder.js";
import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS, DEFAULT_PINS, GOVERNANCE_GLOBS } from "./defaults.js";
import {
  AGENT_SOURCES,
  ARTIFACT_KINDS,
  configSchema,
  type AgentSource,
  type ConfiguredSource,
  type Config,
  type ConfiguredArtifactKind,
  type SuiteConfig,
} from "./schema.js";

export { globMatcher, type Matcher };

export interface ResolvedSuite {
  name: string;
  config: SuiteConfig;
  files: Matcher;
  results: string[];
  baseline: string[];
  resultsMatch: Matcher;
  baselineMatch: Matcher;
}

/** A validated config with its defaults filled in and its globs compiled. */
export interface ResolvedConfig {
  path: string;
  raw: Config;
  ladder: Ladder;
  /** Per kind; for agents, every source's globs together. */
  artifactGlobs: Record<ConfiguredArtifactKind, string[]>;
  artifact: Record<ConfiguredArtifactKind, Matcher>;
  /** The globs of each agent source. */
  agentGlobs: Record<ConfiguredSource, string[]>;
  /** Which source declares the agent at a path (the first whose globs match), or null. */
  agentSource(path: string): AgentSource | null;
  governance: Matcher;
  suites: Map<string, ResolvedSuite>;
  groups: Map<string, string[]>;
  /** The groups defined as `codeowners`: each changed gated file's owners, by CODEOWNERS at base. */
  codeowners: ReadonlySet<string>;
  /** Tool-name classification; `writing` wins over `read_only`. */
  isClassifiedReadOnly: Matcher;
  isClassifiedWriting: Matcher;
  /** The lowest tier whose servers must be pinned (`pins`, `write` by default), or null (`pins: none`). */
  pins: CapabilityTier | null;
}

export function parseConfig(path: string, text: string): Parsed<ResolvedConfig> {
  const parsed = parseWith(path, text, configSchema, "capgate config");
  if (!parsed.ok) return parsed;
  return { ok: true, value: resolveConfig(path, parsed.value) };
}

export function resolveConfig(path: string, raw: Config): ResolvedConfig {
  const agentGlobs = agentGlobsOf(raw);
  const artifactGlobs = {} as Record<ConfiguredArtifactKind, string[]>;
  const artifact = {} as Record<ConfiguredArtifactKind, Matcher>;
  for (const kind of ARTIFACT_KINDS) {
    artifactGlobs[kind] =
      kind === "agent"
        ? [...new Set(AGENT_SOURCES.flatMap((s) => agentGlobs[s]))]
        : (raw.artifacts?.[kind] ?? DEFAULT_ARTIFACT_GLOBS[kind]);
    artifact[kind] = globMatcher(artifactGlobs[kind]);
  }
  const bySource = AGENT_SOURCES.map((s) => [s, globMatcher(agentGlobs[s])] as const);
  const suites = new Map<string, ResolvedSuite>();
  for (const [name, config] of Object.entries(raw.suites ?? {})) {
    const results = asList(config.results);
    const baseline = config.baseline === undefined ? [] : asList(config.baseline);
    suites.set(name, {
      name,
      config,
      files: globMatcher(config.files),
      results,
      baseline,
      resultsMatch: globMatcher(results),
      baselineMatch: globMatcher(baseline),
    });
  }
  const codeowners = new Set(
    Object.entries(raw.groups ?? {})
      .filter(([, m]) => m === "codeowners")
      .map(([g]) => g),
  );
  const governanceMatcher = globMatcher(GOVERNANCE_GLOBS);
  return {
    path,
    raw,
    ladder: new Ladder(raw.ladder),
    artifactGlobs,
    artifact,
    agentGlobs,
    agentSource: (p) => bySource.find(([, match]) => match(p))?.[0] ?? null,
    // Owners a config gives approval to are governance: a CODEOWNERS change is one.
    governance: (p) => p === path || governanceMatcher(p) || (codeowners.size > 0 && CODEOWNERS_PATHS.includes(p)),
    suites,
    groups: new Map(Object.entries(raw.groups ?? {}).map(([g, m]) => [g, m === "codeowners" ? [] : m])),
    codeowners,
    isClassifiedReadOnly: globMatcher(raw.classify?.read_only ?? []),
    isClassifiedWriting: globMatcher(raw.classify?.writing ?? []),
    pins: raw.pins === "none" ? null : (raw.pins ?? DEFAULT_PINS),
  };
}

/** Each source's agent globs: a list sets capgate's own; a map sets the sources it names. */
function agentGlobsOf(raw: Config): Record<ConfiguredSource, string[]> {
  const given = raw.artifacts?.agent;
  const out = { ...DEFAULT_AGENT_GLOBS };
  if (Array.isArray(given)) out.capgate = given;
  else if (given) for (const s of AGENT_SOURCES) if (given[s] !== undefined) out[s] = given[s];
  return out;
}

function asList(v: string | string[]): string[] {
  return typeof v === "string" ? [v] : v;
}
