import type { AgentAtRevision } from "../capability/agent.js";
import type { Decision } from "../decision/decide.js";
import type { Requirement } from "../requirement/types.js";
import { oneLine } from "./inert.js";

const MARK: Record<Requirement["status"], string> = { met: "✓", missing: "…", failed: "✗" };

/** The readable report `capgate check` prints: the decision first, then what would unblock it. */
export function toText(d: Decision): string {
  const lines: string[] = [];
  const verdict = d.decision === "pass" ? "PASS" : "BLOCK";
  lines.push(`capgate: ${verdict}${d.tier ? ` — highest tier touched: ${d.tier}` : " — nothing gated changed"}`);
  lines.push(`  ${d.base.slice(0, 7)} → ${d.head.slice(0, 7)} · config ${d.config.path} (from ${d.config.source})`);
  if (d.escalations.length) {
    lines.push("", "Escalations:");
    for (const e of d.escalations) lines.push(`  ▲ ${e.reason}`);
  }
  if (d.touched.length) {
    lines.push("", "Tiers touched:");
    for (const t of d.touched)
      lines.push(
        `  ${t.tier}: ${t.because.slice(0, 6).join("; ")}${t.because.length > 6 ? `; … ${t.because.length - 6} more` : ""}`,
      );
  }
  if (d.changes.length) {
    lines.push("", `Gated changes (${d.changes.length}):`);
    for (const c of d.changes.slice(0, 50)) {
      const path = c.oldPath !== c.path ? `${c.oldPath} → ${c.path}` : c.path;
      lines.push(`  ${c.status.padEnd(8)} ${path} [${c.kind}] ${c.tier ?? "no tier"} — ${c.why}`);
    }
    if (d.changes.length > 50) lines.push(`  … ${d.changes.length - 50} more`);
  }
  if (d.requirements.length) {
    lines.push("", "Requirements:");
    for (const r of d.requirements) {
      lines.push(
        `  ${MARK[r.status]} ${r.status.padEnd(7)} ${r.kind}: ${r.summary}${r.tiers.length ? ` (${r.tiers.join(", ")})` : ""}`,
      );
      lines.push(`      ${r.detail}`);
    }
  }
  const unmet = d.requirements.filter((r) => r.status !== "met");
  if (unmet.length) {
    lines.push("", "To unblock:");
    for (const detail of new Set(unmet.map((r) => r.detail))) lines.push(`  - ${detail}`);
  }
  if (d.notes.length) {
    lines.push("", ...d.notes.map((n) => `note: ${n}`));
  }
  return terminalSafe(lines);
}

export function agentsText(agents: readonly AgentAtRevision[], rev: string): string {
  const lines = [`Agents at ${rev.slice(0, 7)} (${agents.length}):`];
  for (const a of [...agents].sort((x, y) => x.name.localeCompare(y.name))) {
    lines.push(`  ${a.name} (${a.path}): ${a.tier}`);
    for (const r of a.reasons) lines.push(`      ${r}`);
    for (const e of a.errors) lines.push(`      error: ${e.path}: ${e.reason}`);
  }
  return terminalSafe(lines);
}

/** Repository text printed to a terminal breaks no line and sends no control sequence. */
function terminalSafe(lines: readonly string[]): string {
  return lines.map((l) => oneLine(l, 100_000)).join("\n") + "\n";
}
