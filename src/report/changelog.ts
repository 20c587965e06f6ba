import type { Changelog, ToolEntry } from "../analysis/changelog.js";
import { code, inert } from "./inert.js";

/** The markers the release body's capgate section sits between. */
export const CHANGELOG_START = "<!-- capgate:changelog -->";
export const CHANGELOG_END = "<!-- /capgate:changelog -->";
/** How the changelog begins: with the markers, how capgate knows its own section. */
const HEADING = "## Capability changes (";

/**
 * Release notes: what the product can do now that it could not before, and what it lost, in
 * sections that appear only when they have something to say. Repository text is rendered inert.
 */
export function toChangelog(c: Changelog, from: string, to: string, opts: { trial?: string } = {}): string {
  const lines = [`${HEADING}${inert(from)} → ${inert(to)})`, ""];
  const empty =
    c.agents.length +
    c.breaking.length +
    c.versions.length +
    c.servers.length +
    c.locked.length +
    c.evals.length +
    c.governance.length +
    c.artifacts.length;
  if (empty === 0) {
    lines.push(
      c.tier === null
        ? "No prompts, skills, tools, MCP configs, agents or eval suites changed."
        : `Gated artifacts changed (highest tier **${c.tier}**); no agent's capabilities changed.`,
    );
  } else {
    lines.push(`Highest tier touched: **${c.tier ?? "none"}**`, "");
    section(lines, "Agents", c.agents.map(agentLine));
    section(lines, "Prompts, skills and tools no agent uses", c.artifacts.map(artifactLine));
    section(
      lines,
      "Breaking tool changes",
      c.breaking.map((b) => `- ${code(b.path)}: ${inert(b.change)}`),
    );
    section(
      lines,
      "MCP servers",
      c.servers.map((s) => {
        const pin = s.pinned === false ? " — **not pinned to a version**" : s.pinned ? " (pinned)" : "";
        const what = s.status === "changed" ? `${code(s.from ?? "")} → ${code(s.to ?? "")}` : code((s.to ?? s.from)!);
        return `- ${s.status} **${inert(s.name)}** in ${code(s.path)}: ${what}${s.status === "removed" ? "" : pin}`;
      }),
    );
    section(
      lines,
      "MCP servers' locked tools (capgate.lock)",
      c.locked.map((l) => {
        const what =
          l.status === "locked"
            ? "locked"
            : l.status === "unlocked"
              ? "no longer locked"
              : [...l.tools.map((t) => t.said), ...l.other.map((o) => `${o} changed`)].join("; ");
        return `- **${inert(l.name)}** in ${code(l.config)}: ${inert(what, 1000)}`;
      }),
    );
    section(
      lines,
      "Eval suites",
      c.evals.map((e) => {
        const t = e.thresholds.map((x) => `${x.field} ${shown(x.from)} → ${shown(x.to)}`);
        const files = e.files.length
          ? `${e.files.length} definition file${e.files.length === 1 ? "" : "s"} changed`
          : "";
        return `- **${inert(e.suite)}**: ${[...t, files].filter(Boolean).join("; ")}`;
      }),
    );
    section(
      lines,
      "Versions",
      c.versions.map((v) => `- ${code(v.path)} ${inert(v.from)} → ${inert(v.to)}`),
    );
    section(
      lines,
      "Governance",
      c.governance.map((g) => `- ${g.status} ${code(g.path)}`),
    );
  }
  if (opts.trial) lines.push("", `_Made with a trial config read from disk (${inert(opts.trial)}), not the base's._`);
  return lines.join("\n").trimEnd() + "\n";
}

/** The changelog between the markers, ready for a release body (`--format github`). */
export function toReleaseSection(c: Changelog, from: string, to: string): string {
  return `${CHANGELOG_START}\n${toChangelog(c, from, to)}${CHANGELOG_END}\n`;
}

function section(lines: string[], title: string, items: string[]): void {
  if (items.length === 0) return;
  lines.push(`### ${title}`, "", ...items, "");
}

function artifactLine(a: Changelog["artifacts"][number]): string {
  const parts: string[] = [];
  if (a.gained.length) parts.push(`gains ${a.gained.map(hinted).join(", ")}`);
  if (a.lost.length) parts.push(`loses ${a.lost.map((t) => code(t.name)).join(", ")}`);
  const what = a.kind === "tool" ? "tool file" : a.kind;
  return `- ${a.status} ${what} ${code(a.path)} (${a.tier ?? "no tier"})${parts.length ? `: ${parts.join("; ")}` : ""}`;
}

/** What a tool's annotations say it is. */
function hintKinds(t: { writing: boolean; hints?: ToolEntry["hints"] }): string[] {
  return t.hints
    ? [
        t.hints.readOnly ? "read-only" : "writing",
        ...(t.hints.destructive ? ["destructive"] : []),
        ...(t.hints.openWorld ? ["open-world"] : []),
      ]
    : [t.writing ? "writing" : "read-only"];
}

/** A tool by what its annotations say. */
function hinted(t: { name: string; writing: boolean; hints?: ToolEntry["hints"] }): string {
  return `${code(t.name)} (${hintKinds(t).join(", ")})`;
}

function agentLine(a: Changelog["agents"][number]): string {
  const tiers =
    a.from === null
      ? `new at ${a.to}`
      : a.to === null
        ? `removed (was ${a.from})`
        : a.from === a.to
          ? a.to
          : `${a.from} → ${a.to}`;
  const parts: string[] = [];
  if (a.gained.length) parts.push(`gains ${a.gained.map(tool).join(", ")}`);
  if (a.lost.length) parts.push(`loses ${a.lost.map((t) => code(t.name)).join(", ")}`);
  for (const c of a.changed) parts.push(`${tool(c.from)} is now (${toolKinds(c.to)})`);
  if (a.confirmation.removed.length)
    parts.push(`${a.confirmation.removed.map((n) => code(n)).join(", ")} no longer asked for`);
  if (a.confirmation.added.length) parts.push(`${a.confirmation.added.map((n) => code(n)).join(", ")} now asked for`);
  if (a.steps) parts.push(`steps ${a.steps.from ?? "unlimited"} → ${a.steps.to ?? "unlimited"}`);
  const why = a.escalation && a.why.length ? ` — ${inert(a.why.join("; "))}` : "";
  const where = a.runtime ? `${code(a.path)}, ${inert(a.runtime)}` : code(a.path);
  return `- ${a.escalation ? "⚠️ " : ""}**${inert(a.name)}** (${where}): ${tiers}${parts.length ? `; ${parts.join("; ")}` : ""}${why}`;
}

/** What an agent's tool is: its annotations, and whether it runs unconfirmed. */
function toolKinds(t: ToolEntry): string {
  return [...hintKinds(t), ...(t.writing && !t.confirmed ? ["unconfirmed"] : [])].join(", ");
}

function tool(t: ToolEntry): string {
  return `${code(t.name)} (${toolKinds(t)})`;
}

function shown(v: unknown): string {
  return v === null || v === undefined ? "none" : inert(typeof v === "string" ? v : JSON.stringify(v));
}

/**
 * A release body with capgate's section in it: the text between its markers replaced, or the
 * section appended when the body has none. Every other byte of the body stays as it was. A body
 * edited on GitHub's web page has CRLF line endings (capgate's own section too, once edited there):
 * the section is found whatever ends its lines.
 */
export function spliceSection(body: string, section: string): string {
  // capgate's own section opens with its marker and its heading: a marker an author quotes in
  // prose, before or after it, is the author's text.
  let start = -1;
  let opening = 0;
  for (const m of body.matchAll(OPENING)) [start, opening] = [m.index, m[0].length];
  const end = start < 0 ? -1 : body.indexOf(CHANGELOG_END, start + opening);
  const own = section.endsWith("\n") ? section.slice(0, -1) : section;
  if (start >= 0 && end >= 0) return body.slice(0, start) + own + body.slice(end + CHANGELOG_END.length);
  if (body === "") return section;
  return body + (/[\r\n]$/.test(body) ? "\n" : "\n\n") + section;
}

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** capgate's opening marker and heading, on consecutive lines ended by any line ending. */
const OPENING = new RegExp(`${escaped(CHANGELOG_START)}(?:\r\n|\n|\r)${escaped(HEADING)}`, "g");
