import { DEFAULT_AGENT_GLOBS, DEFAULT_ARTIFACT_GLOBS } from "./defaults.js";
import { AGENT_SOURCES, ARTIFACT_KINDS, type ConfiguredSource, type Config } from "./schema.js";

/** Why the baseline applies, as the report says it. */
export const BASELINE_REASON = "no config at base: the built-in baseline applies";

/**
 * The built-in baseline policy. With no config at base, the pull request's own config
 * is only the head's claim: it adds its requirements, and this policy applies as well. It sees
 * every artifact the defaults or that config name (a config can widen what is gated, never narrow
 * it), keeps the config's `writing` classification but none of its `read_only` one, orders the
 * tiers the built-in way, and asks of reviewers other than the author, not bots: 1 approval for
 * `chat`, `tools` and `governance`, 2 for `write` and `autonomous`.
 */
export function baselinePolicy(head: Config | null): Config {
  const artifacts: NonNullable<Config["artifacts"]> = {};
  for (const kind of ARTIFACT_KINDS) {
    if (kind === "agent") continue;
    artifacts[kind] = [...new Set([...DEFAULT_ARTIFACT_GLOBS[kind], ...(head?.artifacts?.[kind] ?? [])])];
  }
  const given = head?.artifacts?.agent;
  const agent: Record<ConfiguredSource, string[]> = { ...DEFAULT_AGENT_GLOBS };
  for (const s of AGENT_SOURCES) {
    const theirs = Array.isArray(given) ? (s === "capgate" ? given : []) : (given?.[s] ?? []);
    agent[s] = [...new Set([...DEFAULT_AGENT_GLOBS[s], ...theirs])];
  }
  artifacts.agent = agent;
  const writing = head?.classify?.writing;
  return {
    version: 1,
    artifacts,
    ...(writing?.length ? { classify: { writing } } : {}),
    tiers: {
      chat: { approvals: 1 },
      tools: { approvals: 1 },
      write: { approvals: 2 },
      autonomous: { approvals: 2 },
      governance: { approvals: 1 },
    },
  };
}
