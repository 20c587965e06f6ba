import type { AgentAtRevision } from "../agent/evaluate.js";
import type { Decision } from "../decision/decide.js";
import type { Requirement } from "../requirement/types.js";
import { groupChanges, pathOf } from "./groups.js";
import { oneLine } from "./inert.js";
import { plain, type Style, type Tone } from "./style.js";

const MARK: Record<Requirement["status"], string> = { met: "✓", missing: "…", failed: "✗" };
const MARK_TONE: Record<Requirement["status"], Tone> = { met: "pass", missing: "warn", failed: "block" };

/** A line of the text report: plain text, and pieces of it with a tone. */
type Piece = string | [Tone, string];

/** The readable report `capgate check` prints: the decision first, then what would unblock it. */
export function toText(d: Decision, style: Style = plain): string {
  const lines: Piece[][] = [];
  const verdict: Piece = d.decision === "pass" ? ["pass", "PASS"] : ["block", "BLOCK"];
  lines.push(["capgate: ", verdict, d.tier ? ` — highest tier touched: ${d.tier}` : " — nothing gated changed"]);
  const config =
    d.config.source === "file"
      ? `${d.config.file ?? d.config.path} (a trial config read from disk, not the base's)`
      : `${d.config.path} (from ${d.config.source})`;
  lines.push([["dim", `  ${d.base.slice(0, 7)} → ${d.head.slice(0, 7)} · config ${config}`]]);
  if (d.escalations.length) {
    lines.push([], [["strong", "Escalations:"]]);
    for (const e of d.escalations) lines.push([["warn", "  ▲ "], e.reason]);
  }
  const groups = groupChanges(d.changes);
  if (d.touched.length) {
    lines.push([], [["strong", "Tiers touched:"]]);
    for (const t of d.touched) {
      const by = groups.filter((g) => g.touches.includes(t.tier));
      const said = by.map((g) => (g.agents.length ? `${g.label} → ${g.agents.join(", ")}` : `${g.label} (${g.why})`));
      lines.push([
        `  ${t.tier}: ${said.slice(0, 6).join("; ")}${said.length > 6 ? `; … ${said.length - 6} more` : ""}`,
      ]);
    }
  }
  if (d.changes.length) {
    lines.push([], [["strong", `Gated changes (${d.changes.length}):`]]);
    let shown = 0;
    for (const g of groups) {
      if (shown >= 50) break;
      const one = g.changes.length === 1 ? g.changes[0]! : null;
      if (one) lines.push([`  ${one.status.padEnd(8)} ${pathOf(one)} [${g.kind}] ${g.tier ?? "no tier"} — ${g.why}`]);
      else {
        lines.push([`  ${g.label} [${g.kind}] ${g.tier ?? "no tier"} — ${g.why}`]);
        const listed = g.changes.slice(0, 10).map((c) => `${c.status} ${pathOf(c)}`);
        lines.push([
          ["dim", `      ${listed.join(", ")}${g.changes.length > 10 ? `, … ${g.changes.length - 10} more` : ""}`],
        ]);
      }
      shown += g.changes.length;
    }
    if (d.changes.length > shown) lines.push([`  … ${d.changes.length - shown} more`]);
  }
  if (d.requirements.length) {
    lines.push([], [["strong", "Requirements:"]]);
    for (const r of d.requirements) {
      lines.push([
        "  ",
        [MARK_TONE[r.status], `${MARK[r.status]} ${r.status.padEnd(7)}`],
        ` ${r.kind}: ${r.summary}${r.tiers.length ? ` (${r.tiers.join(", ")})` : ""}`,
      ]);
      lines.push([["dim", `      ${r.detail}`]]);
    }
  }
  const unmet = d.requirements.filter((r) => r.status !== "met");
  if (unmet.length) {
    lines.push([], [["strong", "To unblock:"]]);
    for (const detail of new Set(unmet.map((r) => r.detail))) lines.push([`  - ${detail}`]);
  }
  if (d.notes.length) lines.push([], ...d.notes.map((n): Piece[] => [["dim", `note: ${n}`]]));
  return render(lines, style);
}

export function agentsText(
  agents: readonly AgentAtRevision[],
  /** The commit read, or how else the files were read ("the working tree"). */
  where: string,
  notes: readonly string[] = [],
  style: Style = plain,
): string {
  const at = /^[0-9a-f]{40,64}$/.test(where) ? `at ${where.slice(0, 7)}` : `in ${where}`;
  const lines: Piece[][] = [[["strong", `Agents ${at} (${agents.length}):`]]];
  for (const a of [...agents].sort((x, y) => x.name.localeCompare(y.name))) {
    lines.push([`  ${a.name} (${a.path}): `, [a.tier === "autonomous" ? "warn" : "strong", a.tier]]);
    for (const r of a.reasons) lines.push([["dim", `      ${r}`]]);
    for (const e of a.errors) lines.push([["block", `      error: ${e.path}: ${e.reason}`]]);
  }
  if (notes.length) lines.push([], ...notes.map((n): Piece[] => [["dim", `note: ${n}`]]));
  return render(lines, style);
}

/**
 * Repository text printed to a terminal breaks no line and sends no control sequence: every
 * piece is made one line first, and only then dressed by the style.
 */
function render(lines: readonly Piece[][], style: Style): string {
  return (
    lines
      .map((pieces) =>
        pieces.map((p) => (typeof p === "string" ? oneLine(p, 100_000) : style(p[0], oneLine(p[1], 100_000)))).join(""),
      )
      .join("\n") + "\n"
  );
}
