import type { Tier } from "../config/ladder.js";
import type { ChangeAnalysis } from "../tier/changes.js";

/** Changes that say the same thing: the files of one skill folder, or of one reason, reaching the same agents. */
export interface ChangeGroup {
  kind: string;
  tier: Tier | null;
  touches: readonly Tier[];
  why: string;
  agents: readonly string[];
  /** Each of `agents`' head tier, in the same order. */
  agentTiers: readonly Tier[];
  /** What the group is, in words: `skill x`, a path, or "N files". */
  label: string;
  changes: ChangeAnalysis[];
}

/**
 * Groups changes that a reader would read as one: every file of a skill folder is the skill's,
 * and files that share their kind, tier, reason and agents say one thing once.
 */
export function groupChanges(changes: readonly ChangeAnalysis[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>();
  for (const c of changes) {
    const key = [
      c.kind,
      c.tier,
      c.touches.join(","),
      c.skill ?? "",
      c.why,
      c.agents.join(","),
      c.agentTiers.join(","),
    ].join("\0");
    let g = groups.get(key);
    if (!g) {
      g = {
        kind: c.kind,
        tier: c.tier,
        touches: c.touches,
        why: c.why,
        agents: c.agents,
        agentTiers: c.agentTiers,
        label: "",
        changes: [],
      };
      groups.set(key, g);
    }
    g.changes.push(c);
  }
  for (const g of groups.values()) {
    const skill = g.changes[0]!.skill;
    const n = g.changes.length;
    g.label = skill ? `skill ${skill} (${n} file${n === 1 ? "" : "s"})` : n === 1 ? g.changes[0]!.path : `${n} files`;
    // The label names the skill already.
    if (skill && g.why.startsWith(`skill ${skill}: `)) g.why = g.why.slice(`skill ${skill}: `.length);
  }
  return [...groups.values()];
}

/** A change's paths as a line: `a → b` for a move. */
export function pathOf(c: Pick<ChangeAnalysis, "path" | "oldPath">): string {
  return c.oldPath !== c.path ? `${c.oldPath} → ${c.path}` : c.path;
}

/** What one unmet requirement asks for, and what would meet it: one line of "To unblock". */
export function unblockLine(r: { summary: string; detail: string }): string {
  return r.detail.startsWith(r.summary) ? r.detail : `${r.summary} — ${r.detail}`;
}
