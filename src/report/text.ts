import type { AgentAtRevision } from "../agent/evaluate.js";
import type { Decision } from "../decision/decide.js";
import type { Requirement } from "../requirement/types.js";
import { groupChanges, pathOf, unblockLine } from "./groups.js";
import { oneLine } from "./inert.js";
import { plain, type Style, type Tone } from "./style.js";
import { compareText } from "../common/order.js";
import { listed } from "../tier/changes.js";
import { pushTo } from "../common/maps.js";
import { isObjectId } from "../common/ids.js";

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
      // Under each tier, only the agents at that tier.
      const at = (g: (typeof groups)[number]) => g.agents.filter((_, i) => g.agentTiers[i] === t.tier);
      const said = by.map((g) => (at(g).length ? `${g.label} → ${listed(at(g))}` : `${g.label} (${g.why})`));
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
    // Each thing to do once, saying what it is for.
    for (const line of new Set(unmet.map(unblockLine))) lines.push([`  - ${line}`]);
  }
  // The headline already says when nothing gated changed.
  const notes = d.notes.filter((n) => n !== "nothing gated changed");
  if (notes.length) lines.push([], ...notes.map((n): Piece[] => [["dim", `note: ${n}`]]));
  return render(lines, style);
}

/** How `capgate tiers` names each source's agents. */
const SOURCE_HEADINGS: Record<string, string> = {
  "capgate agent manifest": "capgate agent manifests",
  "Claude Code subagent": "Claude Code subagents",
  "the repository's Claude Code session": "Claude Code project settings",
  "Copilot custom agent": "Copilot custom agents",
  "Copilot chat mode": "Copilot chat modes",
  "Copilot prompt file": "Copilot prompt files",
};

/** Each runtime found, with what it holds: `Claude Code (158 agents, 10 plugins)`. */
export function runtimesInWords(
  runtimes: readonly { name: string; agents: readonly string[]; plugins: readonly string[] }[],
): string[] {
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  return runtimes.map((r) => {
    const held = [count(r.agents.length, "agent"), ...(r.plugins.length ? [count(r.plugins.length, "plugin")] : [])];
    return `${r.name} (${held.join(", ")})`;
  });
}

/** `capgate tiers`: every agent, grouped by where it is declared, then what no agent references. */
export function agentsText(
  found: {
    agents: readonly AgentAtRevision[];
    unreferenced?: { skills: Owned[]; tools: Owned[]; servers: Owned[] };
    runtimes?: readonly { name: string; agents: readonly string[]; plugins: readonly string[] }[];
    unseen?: readonly { path: string; why: string }[];
  },
  /** The commit read, or how else the files were read ("the working tree"). */
  where: string,
  notes: readonly string[] = [],
  style: Style = plain,
): string {
  const { agents } = found;
  const at = isObjectId(where) ? `at ${where.slice(0, 7)}` : `in ${where}`;
  const lines: Piece[][] = [];
  if (found.runtimes) {
    const each = runtimesInWords(found.runtimes);
    lines.push([["strong", "Runtimes found: "], each.length ? each.join(", ") : "none"]);
    for (const u of found.unseen ?? [])
      lines.push([["warn", `  cannot be seen, judged as the worst case: ${u.path} ${u.why}`]]);
    lines.push([]);
  }
  lines.push([["strong", `Agents ${at} (${agents.length}):`]]);
  const bySource = new Map<string, AgentAtRevision[]>();
  for (const a of agents) {
    const what = a.manifest?.runtime?.what ?? "capgate agent manifest";
    pushTo(bySource, what, a);
  }
  const tone = (tier: string): Tone => (tier === "autonomous" ? "warn" : "strong");
  for (const [what, list] of [...bySource].sort(([a], [b]) => compareText(a, b))) {
    lines.push([`  ${SOURCE_HEADINGS[what] ?? what} (${list.length}):`]);
    for (const a of [...list].sort((x, y) => compareText(x.name, y.name))) {
      lines.push([`    ${a.name} (${a.path}): `, [tone(a.tier), a.tier]]);
      for (const r of a.reasons) lines.push([["dim", `        ${r}`]]);
      for (const e of a.errors) lines.push([["block", `        error: ${e.path}: ${e.reason}`]]);
    }
  }
  const rest = found.unreferenced;
  for (const [heading, list] of [
    ["Skills no agent references", rest?.skills ?? []],
    ["Tool files no agent references", rest?.tools ?? []],
    ["MCP servers no agent references", rest?.servers ?? []],
  ] as const) {
    if (list.length === 0) continue;
    lines.push([], [["strong", `${heading} (${list.length}):`]]);
    for (const u of list)
      lines.push([
        `  ${u.name}${u.name !== u.path ? ` (${u.path})` : ""}: `,
        [tone(u.tier), u.tier],
        ["dim", ` — ${u.why}`],
      ]);
  }
  if (notes.length) lines.push([], ...notes.map((n): Piece[] => [["dim", `note: ${n}`]]));
  return render(lines, style);
}

/** An artifact listed with its own tier. */
interface Owned {
  name: string;
  path: string;
  tier: string;
  why: string;
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

/** What `capgate init` found, a line per source or kind that it found something of. */
export function foundText(found: {
  agents: Record<string, { what: string; paths: string[]; defaults: boolean }>;
  kinds: Record<string, { what: string; paths: string[]; defaults: boolean }>;
  runtimes?: readonly { name: string; agents: readonly string[]; plugins: readonly string[] }[];
  /** The runtimes capgate knows that the repository holds no agents of. */
  runtimesMissing?: readonly string[];
  suites?: readonly { name: string; why: string }[];
  notSuites?: readonly { folder: string; why: string }[];
}): string {
  const rows = [...Object.values(found.agents), ...Object.values(found.kinds)].filter((f) => f.paths.length > 0);
  const runtimes = runtimesInWords(found.runtimes ?? []);
  const said = (text: string) => oneLine(text, 1000) + "\n";
  const line =
    (runtimes.length ? said(`runtimes found: ${runtimes.join(", ")}`) : "") +
    (found.runtimesMissing?.length ? said(`runtimes not found: ${found.runtimesMissing.join(", ")}`) : "") +
    (found.suites ?? []).map((s) => said(`eval suite proposed: ${s.name} (${s.why})`)).join("") +
    (found.suites && found.suites.length === 0
      ? "no eval suite proposed: no eval definitions or results found\n"
      : "") +
    (found.notSuites ?? []).map((s) => said(`not an eval suite: ${s.folder} (${s.why})`)).join("");
  if (rows.length === 0)
    return line + (runtimes.length ? "" : "found no agents, skills, tools, MCP configs or prompts yet\n");
  return (
    line +
    "found:\n" +
    rows
      .map(
        (f) =>
          `  ${f.what}: ${f.paths.length}${f.defaults ? "" : " (globs written for the folders the defaults miss)"}\n`,
      )
      .map((l) => oneLine(l.trimEnd(), 1000) + "\n")
      .join("")
  );
}
