import type { SkillDoc } from "../artifact/types.js";
import { baseToolName, WRITES, type Capability } from "../capability/tools.js";
import type { ResolvedConfig } from "../config/resolve.js";
import { CLAUDE_CODE } from "./claude-code/tools.js";

/**
 * What a skill's `allowed-tools` give. The names are Claude Code's, where Agent Skills and their
 * `allowed-tools` come from: `Read`, `Grep`, `Glob` and `LS` are read-only, and every other name
 * is writing unless the config classifies it. A skill without them gives no tool of its own.
 */
export function skillCapabilities(skill: SkillDoc, folder: string, config: ResolvedConfig): Capability[] {
  const source = `skill ${folder}`;
  // Without allowed-tools a skill pre-approves nothing: it is instructions and files for the agents that load it.
  if (skill.allowedTools === null) return [];
  return skill.allowedTools.map((entry) => {
    const base = baseToolName(entry);
    if (config.isClassifiedWriting(entry) || config.isClassifiedWriting(base)) {
      return { name: entry, source, writing: true, why: "classified writing by the config", confirmable: true };
    }
    const builtin = CLAUDE_CODE.builtin(base);
    if (builtin && !WRITES.has(builtin.kind)) {
      return { name: entry, source, writing: false, why: `${base} ${builtin.does}`, confirmable: true };
    }
    if (config.isClassifiedReadOnly(entry) || config.isClassifiedReadOnly(base)) {
      return { name: entry, source, writing: false, why: "classified read-only by the config", confirmable: true };
    }
    return { name: entry, source, writing: true, why: `${base} is not a known read-only tool`, confirmable: true };
  });
}
