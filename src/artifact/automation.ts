import type { AgentManifest, Hook } from "./types.js";

/**
 * What an agent's declaration runs without asking anyone and without the model choosing it —
 * hooks, settings that run a command, the environment the session is given: automation, like
 * CI. Any change to it is governance.
 */
export interface Automation {
  /** What it is, in words: the event or key, and what it runs. */
  what: string;
  /** The file that declares it. */
  where: string;
}

/** A hook in words: its event, matcher and condition, and what it runs. */
export function hookInWords(h: Hook): string {
  const matcher = h.matcher && h.matcher !== "*" ? ` (matcher \`${h.matcher}\`)` : "";
  const when = h.when ? ` if \`${h.when}\`` : "";
  return `${h.event} hook${matcher}${when}: ${h.runs}`;
}

/** Everything a declaration runs unasked, as its runtime reads it. */
export function automationOf(m: AgentManifest | null): Automation[] {
  const rt = m?.runtime;
  if (!rt) return [];
  const out: Automation[] = (rt.hooks ?? []).map((h) => ({ what: hookInWords(h), where: h.where }));
  for (const r of rt.settings?.runners ?? []) out.push({ what: `${r.key}: ${r.runs}`, where: r.where });
  for (const e of rt.settings?.env ?? []) out.push({ what: `env ${e.name}=${e.value.slice(0, 200)}`, where: e.where });
  return out;
}
