import type { Decision } from "../decision/decide.js";
import type { Requirement } from "../requirement/types.js";
import { BoundedMarkdown, code, inert } from "./inert.js";
import { groupChanges, unblockLine } from "./groups.js";

/** Marks capgate's pull-request comment, so a later run updates it instead of adding another. */
export const COMMENT_MARKER = "<!-- capgate:report -->";

const ICON: Record<Requirement["status"], string> = { met: "✅", missing: "⏳", failed: "❌" };

/**
 * The report as Markdown, for the job summary, the pull-request comment and the check run.
 * Everything from the repository is rendered inert; `limit` bounds the length in characters, and
 * past it whole lines are left out (open elements closed) and `moreAt` (the full report) linked.
 */
export function toMarkdown(d: Decision, opts: { limit?: number; moreAt?: string; heading?: string } = {}): string {
  const more = opts.moreAt ? ` [Full report](${encodeURI(opts.moreAt)})` : "";
  const doc = new BoundedMarkdown(opts.limit ?? Infinity, `…the report is cut here.${more}`);
  const verdict = d.decision === "pass" ? "✅ **capgate: pass**" : "❌ **capgate: blocked**";
  const heading = opts.heading ?? COMMENT_MARKER;
  if (heading) doc.line(heading);
  doc.line(`${verdict} — ${d.tier ? `highest tier touched: \`${d.tier}\`` : "nothing gated changed"}`);
  doc.line();
  if (d.config.source === "file") {
    doc.line(
      `> ⚠️ **Trial:** decided with a trial config read from the workspace (${code(d.config.file ?? d.config.path)}), not the base's committed one. This run gates nothing.`,
    );
    doc.line();
  }
  const unmet = d.requirements.filter((r) => r.status !== "met");
  if (unmet.length) {
    doc.line("**To unblock:**");
    doc.line();
    // Each thing to do once, however many requirements it would meet.
    const said = new Set<string>();
    for (const r of unmet) {
      const line = unblockLine(r);
      if (said.has(line)) continue;
      said.add(line);
      doc.line(`- ${ICON[r.status]} **${r.kind}** — ${inert(line)}`);
    }
    doc.line();
  }
  if (d.escalations.length) {
    doc.line("**Escalations:**");
    doc.line();
    for (const e of d.escalations) doc.line(`- ⚠️ ${inert(e.reason)}`);
    doc.line();
  }
  if (d.requirements.length) {
    doc.line("| | requirement | tiers | detail |");
    doc.line("| --- | --- | --- | --- |");
    for (const r of d.requirements) {
      doc.line(`| ${ICON[r.status]} | ${r.kind}: ${inert(r.summary)} | ${r.tiers.join(", ")} | ${inert(r.detail)} |`);
    }
    doc.line();
  }
  if (d.changes.length && doc.open(`<details><summary>Gated changes (${d.changes.length})</summary>`, "\n</details>")) {
    doc.line();
    doc.line("| status | path | kind | tier | why |");
    doc.line("| --- | --- | --- | --- | --- |");
    const cell = (p: string) => code(p, { inTable: true });
    for (const g of groupChanges(d.changes)) {
      const paths = g.changes
        .slice(0, 20)
        .map((c) => (c.oldPath !== c.path ? `${cell(c.oldPath)} → ${cell(c.path)}` : cell(c.path)));
      const rest = g.changes.length > 20 ? ` … ${g.changes.length - 20} more` : "";
      const status = [...new Set(g.changes.map((c) => c.status))].join(", ");
      const label = g.changes.length > 1 ? `${inert(g.label)}: ` : "";
      doc.line(`| ${status} | ${label}${paths.join(", ")}${rest} | ${g.kind} | ${g.tier ?? ""} | ${inert(g.why)} |`);
    }
    doc.close();
    doc.line();
  }
  doc.line(
    `<sub>${d.base.slice(0, 7)} → ${d.head.slice(0, 7)} · config ${code(d.config.path)} from ${d.config.source}${d.notes.length ? ` · ${d.notes.map((n) => inert(n)).join(" · ")}` : ""}</sub>`,
  );
  return doc.toString();
}
