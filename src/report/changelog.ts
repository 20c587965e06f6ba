import type { Decision } from "../decision/decide.js";
import { code, inert } from "./inert.js";

/** Release-note Markdown: what the product can do now that it could not before, and what it lost. */
export function toChangelog(d: Decision, from: string, to: string): string {
  const lines = [`## Capability changes (${inert(from)} → ${inert(to)})`, ""];
  if (d.changes.length === 0) {
    lines.push("No prompts, skills, tools, MCP configs, agents or eval suites changed.");
    return lines.join("\n") + "\n";
  }
  lines.push(`Highest tier touched: **${d.tier ?? "none"}**`, "");
  if (d.escalations.length) {
    lines.push("### New capabilities", "");
    for (const e of d.escalations)
      lines.push(
        `- **${inert(e.agent)}** ${e.from ?? "(new)"} → ${e.to}: ${inert(e.reason.split(": ").slice(2).join(": ") || e.reason)}`,
      );
    lines.push("");
  }
  const lowered = d.agentChanges.filter(
    (a) => a.base && (a.head === null || a.head !== a.base) && !d.escalations.some((e) => e.path === a.path),
  );
  if (lowered.length) {
    lines.push("### Reduced or removed", "");
    for (const a of lowered) lines.push(`- **${inert(a.name)}** ${a.base} → ${a.head ?? "removed"}`);
    lines.push("");
  }
  const agents = d.agentChanges.filter((a) => a.head !== null);
  if (agents.length) {
    lines.push("### Agents affected", "", "| agent | before | after |", "| --- | --- | --- |");
    for (const a of agents) lines.push(`| ${inert(a.name)} | ${a.base ?? "(new)"} | ${a.head} |`);
    lines.push("");
  }
  lines.push("### Changed artifacts", "");
  for (const c of d.changes) {
    const path = c.oldPath !== c.path ? `${code(c.oldPath)} → ${code(c.path)}` : code(c.path);
    lines.push(`- ${c.status} ${path} (${c.kind}${c.tier && c.tier !== c.kind ? `, tier ${c.tier}` : ""})`);
  }
  if (d.config.source === "file")
    lines.push(
      "",
      `_Made with a trial config read from disk (${inert(d.config.file ?? d.config.path)}), not the base's._`,
    );
  return lines.join("\n") + "\n";
}
