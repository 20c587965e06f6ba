import type { AgentAtRevision } from "../agent/evaluate.js";
import { isConfirmed, type Capability } from "../capability/tools.js";
import type { CapabilityTier, Ladder } from "../config/ladder.js";
import { loopOf } from "../tier/agent-tier.js";
import { listed } from "../tier/changes.js";
import { pushTo } from "../common/maps.js";

export interface Escalation {
  agent: string;
  path: string;
  from: CapabilityTier | null;
  to: CapabilityTier;
  /** Why, in words: "support-bot: tools → autonomous: issue_refund no longer needs confirmation". */
  reason: string;
  /** The causes the reason lists, each on its own. */
  causes: string[];
}

/** An agent whose head tier is above its base tier, or a new agent above chat, with the reason. */
export function escalationOf(base: AgentAtRevision | null, head: AgentAtRevision, ladder: Ladder): Escalation | null {
  if (base === null) {
    if (ladder.compare(head.tier, "chat") <= 0) return null;
    const causes = head.reasons.length ? head.reasons : [`new agent at ${head.tier}`];
    return {
      agent: head.name,
      path: head.path,
      from: null,
      to: head.tier,
      reason: `${head.name}: new agent at ${head.tier}: ${causes.join("; ")}`,
      causes,
    };
  }
  if (ladder.compare(head.tier, base.tier) <= 0) return null;
  const causes = explain(base, head);
  return {
    agent: head.name,
    path: head.path,
    from: base.tier,
    to: head.tier,
    reason: `${head.name}: ${base.tier} → ${head.tier}: ${causes.join("; ")}`,
    causes,
  };
}

function explain(base: AgentAtRevision, head: AgentAtRevision): string[] {
  const before = new Map<string, Capability>();
  for (const c of base.capabilities) before.set(c.name, c);
  const causes: string[] = [];
  const headWriting = head.capabilities.filter((c) => c.writing);
  if (head.tier === "autonomous") {
    const loop = head.manifest?.runtime?.loop ?? loopOf(head.maxSteps);
    // Tools one rule or mode lets through unasked are said together, a handful by name.
    const nowUnasked = new Map<string, string[]>();
    for (const c of headWriting.filter((c) => !isConfirmed(c, head.confirm))) {
      const b = before.get(c.name);
      const unasked = c.confirmation ? `runs without asking (${c.confirmation.why})` : "without confirmation";
      if (!b) causes.push(`gains ${c.name} (${c.source}; ${c.why}) ${unasked} in ${loop}`);
      else if (!b.writing) causes.push(`${c.name} is no longer read-only (${c.why}) and runs unconfirmed in ${loop}`);
      else if (isConfirmed(b, base.confirm)) {
        if (c.confirmation) pushTo(nowUnasked, c.confirmation.why, c.name);
        else causes.push(`${c.name} no longer needs confirmation`);
      }
    }
    for (const [why, names] of nowUnasked)
      causes.push(`${listed(names)} now ${names.length === 1 ? "runs" : "run"} without asking: ${why}`);
    if (base.maxSteps === 1 && head.maxSteps !== 1) {
      const field = head.manifest?.runtime ? "maxTurns" : "max_steps";
      causes.push(`${field} ${base.maxSteps} → ${head.maxSteps ?? "unlimited"}`);
    }
  } else if (head.tier === "write") {
    for (const c of headWriting) {
      const b = before.get(c.name);
      if (!b) causes.push(`gains writing tool ${c.name} (${c.source}; ${c.why})`);
      else if (!b.writing) causes.push(`${c.name} is no longer read-only (${c.why})`);
    }
  } else if (head.tier === "tools") {
    for (const c of head.capabilities) if (!before.has(c.name)) causes.push(`gains tool ${c.name} (${c.source})`);
  }
  if (causes.length === 0) causes.push(...head.reasons);
  if (head.errors.length > 0 && head.manifest === null) causes.push("its manifest cannot be read");
  return causes;
}
