import { globMatcher, type Matcher } from "./glob.js";
import { parseWith } from "../parse/document.js";
import type { Parsed } from "../parse/result.js";
import { Ladder } from "./ladder.js";
import { DEFAULT_ARTIFACT_GLOBS, GOVERNANCE_GLOBS } from "./defaults.js";
import { ARTIFACT_KINDS, configSchema, type Config, type ConfiguredArtifactKind, type SuiteConfig } from "./schema.js";

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
  artifactGlobs: Record<ConfiguredArtifactKind, string[]>;
  artifact: Record<ConfiguredArtifactKind, Matcher>;
  governance: Matcher;
  suites: Map<string, ResolvedSuite>;
  groups: Map<string, string[]>;
  /** Tool-name classification; `writing` wins over `read_only`. */
  isClassifiedReadOnly: Matcher;
  isClassifiedWriting: Matcher;
}

export function parseConfig(path: string, text: string): Parsed<ResolvedConfig> {
  const parsed = parseWith(path, text, configSchema, "capgate config");
  if (!parsed.ok) return parsed;
  return { ok: true, value: resolveConfig(path, parsed.value) };
}

export function resolveConfig(path: string, raw: Config): ResolvedConfig {
  const artifactGlobs = {} as Record<ConfiguredArtifactKind, string[]>;
  const artifact = {} as Record<ConfiguredArtifactKind, Matcher>;
  for (const kind of ARTIFACT_KINDS) {
    artifactGlobs[kind] = raw.artifacts?.[kind] ?? DEFAULT_ARTIFACT_GLOBS[kind];
    artifact[kind] = globMatcher(artifactGlobs[kind]);
  }
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
  const governanceMatcher = globMatcher(GOVERNANCE_GLOBS);
  return {
    path,
    raw,
    ladder: new Ladder(raw.ladder),
    artifactGlobs,
    artifact,
    governance: (p) => p === path || governanceMatcher(p),
    suites,
    groups: new Map(Object.entries(raw.groups ?? {})),
    isClassifiedReadOnly: globMatcher(raw.classify?.read_only ?? []),
    isClassifiedWriting: globMatcher(raw.classify?.writing ?? []),
  };
}

function asList(v: string | string[]): string[] {
  return typeof v === "string" ? [v] : v;
}
