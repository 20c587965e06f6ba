import type { Changelog } from "../analysis/changelog.js";
import { changelog } from "../decision/decide.js";
import { gatherInput } from "./check.js";

/**
 * What a range of history did to capability: the same read stages as a check (no results or
 * reviews), then the changelog of what they read.
 */
export async function runChangelog(opts: {
  cwd: string;
  from: string;
  to: string;
  configPath?: string;
  configFile?: string;
  flags?: { base: string; head: string };
}): Promise<{ changelog: Changelog; trial: string | null }> {
  const { input } = await gatherInput({
    cwd: opts.cwd,
    base: opts.from,
    head: opts.to,
    flags: opts.flags ?? { base: "--from", head: "--to" },
    ...(opts.configPath ? { configPath: opts.configPath } : {}),
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
    approvals: { kind: "none", why: "release notes read no reviews" },
    skipEvidence: true,
  });
  const trial = input.config.source === "file" ? (input.config.file ?? input.config.path) : null;
  return { changelog: changelog(input), trial };
}
