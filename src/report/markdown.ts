import type { Decision } from "../decision/decide.js";
import type { Requirement } from "../requirement/types.js";

/** Marks capgate's pull-request comment, so a later run updates it instead of adding another. */
export const COMMENT_MARKER = "<!-- capgate:report -->";

const ICON: Record<Requirement["status"], string> = { met: "✅", missing: "⏳", failed: "❌" };

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * The report as Markdown, for the job summary and the pull-request comment. `limit` bounds its
 * length in characters; past it the detail is cut and `moreAt` (the full report) is linked.
 */
export function toMarkdown(d: Decision, opts: { limit?: number; moreAt?: string; heading?: string } = {}): string {
  const lines: string[] = [];
  const verdict = d.decision === "pass" ? "✅ **capgate: pass**" : "❌ **capgate: blocked**";
  lines.push(opts.heading ?? COMMENT_MARKER);
  lines.push(`${verdict} — ${d.tier ? `highest tier touched: \`${d.tier}\`` : "nothing gated changed"}`, "");
  const unmet = d.requirements.filter((r) => r.status !== "met");
  if (unmet.length) {
    lines.push("**To unblock:**", "");
    for (const r of unmet) lines.push(`- ${ICON[r.status]} **${r.kind}** — ${cell(r.detail)}`);
    lines.push("");
  }
  if (d.escalations.length) {
    lines.push("**Escalations:**", "");
    for (const e of d.escalations) lines.push(`- ⚠️ ${cell(e.reason)}`);
    lines.push("");
  }
  if (d.requirements.length) {
    lines.push("| | requirement | tiers | detail |", "| --- | --- | --- | --- |");
    for (const r of d.requirements) {
      lines.push(`| ${ICON[r.status]} | ${r.kind}: ${cell(r.summary)} | ${r.tiers.join(", ")} | ${cell(r.detail)} |`);
    }
    lines.push("");
  }
  if (d.changes.length) {
    lines.push("<details><summary>Gated changes (" + d.changes.length + ")</summary>", "");
    lines.push("| status | path | kind | tier | why |", "| --- | --- | --- | --- | --- |");
    for (const c of d.changes) {
      const path = c.oldPath !== c.path ? `${c.oldPath} → ${c.path}` : c.path;
      lines.push(`| ${c.status} | \`${cell(path)}\` | ${c.kind} | ${c.tier ?? ""} | ${cell(c.why)} |`);
    }
    lines.push("", "</details>", "");
  }
  lines.push(
    `<sub>${d.base.slice(0, 7)} → ${d.head.slice(0, 7)} · config \`${d.config.path}\` from ${d.config.source}${d.notes.length ? ` · ${d.notes.map(cell).join(" · ")}` : ""}</sub>`,
  );
  const text = lines.join("\n") + "\n";
  const limit = opts.limit;
  if (limit === undefined || text.length <= limit) return text;
  const tail = `\n\n…the report is cut here.${opts.moreAt ? ` [Full report](${opts.moreAt})` : ""}\n`;
  return text.slice(0, Math.max(0, limit - tail.length)) + tail;
}
