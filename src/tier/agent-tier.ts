import { isConfirmed, type Capability } from "../capability/tools.js";
import type { CapabilityTier } from "../config/ladder.js";
import { pushTo } from "../common/maps.js";

/**
 * An agent's tier from what it can do and how freely (README, "Artifacts and how tiers are
 * inferred"): no tools is `chat`; read-only tools only, `tools`; writing tools each confirmed by a
 * human, or a single step, `write`; a writing tool it may call unconfirmed in a loop, `autonomous`.
 */
export function tierOf(
  caps: readonly Capability[],
  maxSteps: number | null,
  confirm: readonly string[],
  loop: string = loopOf(maxSteps),
): { tier: CapabilityTier; reasons: string[] } {
  const writing = caps.filter((c) => c.writing);
  if (caps.length === 0) return { tier: "chat", reasons: ["no tools"] };
  if (writing.length === 0) {
    return { tier: "tools", reasons: [`read-only tools only: ${names(caps)}`] };
  }
  const unconfirmed = writing.filter((c) => !isConfirmed(c, confirm));
  if (unconfirmed.length === 0) {
    return { tier: "write", reasons: [`writing tools ${names(writing)}, each call confirmed by a human`] };
  }
  if (maxSteps === 1) {
    return { tier: "write", reasons: [`writing tools ${names(writing)} in a single step (${loop})`] };
  }
  // A runtime's tools are grouped by why nothing is asked: one reason per rule or mode.
  const byWhy = new Map<string, Capability[]>();
  const reasons: string[] = [];
  for (const c of unconfirmed) {
    if (!c.confirmation)
      reasons.push(`${c.name} (${c.source}; ${c.why}) can be called without confirmation in ${loop}`);
    else pushTo(byWhy, c.confirmation.why, c);
  }
  for (const [why, caps] of byWhy) {
    const one = caps.length === 1 ? caps[0]! : null;
    const what = one ? `${one.name} (${one.source}; ${one.why}) runs` : `${names(caps)} run`;
    reasons.push(`${what} without asking (${why}) in ${loop}`);
  }
  return { tier: "autonomous", reasons };
}

/** The loop an agent runs in, in words. */
export function loopOf(maxSteps: number | null): string {
  if (maxSteps === 1) return "max_steps: 1";
  return maxSteps === null ? "an unlimited loop (no max_steps)" : `a loop of up to ${maxSteps} steps`;
}

function names(caps: readonly Capability[]): string {
  return [...new Set(caps.map((c) => c.name))].join(", ");
}
