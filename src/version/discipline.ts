import inc from "semver/functions/inc.js";
import gt from "semver/functions/gt.js";
import major from "semver/functions/major.js";
import { normalizeVersion } from "../artifact/version.js";
import type { ClassifiedChange } from "../change/classify.js";
import type { Escalation } from "../escalation/escalation.js";
import type { FileError } from "../parse/result.js";
import type { Views } from "../snapshot/view.js";
import { agentAt } from "../runtime/registry.js";
import { breakingChanges } from "./breaking.js";

export interface VersionCheck {
  path: string;
  from: string;
  to: string | null;
  need: "higher" | "major";
  ok: boolean;
  /** What the rule found and what would satisfy it. */
  detail: string;
}

interface Versioned {
  version?: string;
}

/** What the rule asks of one file: its two versions, and why it must rise (by a major step or not). */
interface Owed {
  path: string;
  base: Versioned;
  head: Versioned;
  major: boolean;
  why: string;
}

/**
 * Version discipline: a versioned artifact whose content changed carries a higher semver; an
 * escalating agent or a breaking tool change needs a major bump, and so does an agent that
 * escalates through what it references while its own manifest is unchanged.
 */
export function versionChecks(
  classified: readonly ClassifiedChange[],
  views: Views,
  escalations: readonly Escalation[],
): { checks: VersionCheck[]; errors: FileError[] } {
  const owed: Owed[] = [];
  const skillsDone = new Set<string>();
  const headToolNames = new Set(
    classified
      .filter((c) => c.kind === "tool" && c.change.status !== "deleted")
      .flatMap((c) => {
        const t = views.head.tools(c.change.path);
        return t.state === "parsed" && t.result.ok ? t.result.value.tools.map((x) => x.name) : [];
      }),
  );
  for (const c of classified) {
    if (c.change.status === "added" || c.change.status === "deleted") continue;
    if (c.kind === "skill" && c.skill) {
      if (skillsDone.has(c.skill)) continue;
      skillsDone.add(c.skill);
      const o = skillOwes(c.skill, views);
      if (o) owed.push(o);
    } else if (c.change.contentChanged) {
      const o = changeOwes(c, views, escalations, headToolNames);
      if (o) owed.push(o);
    }
  }
  const checks: VersionCheck[] = [];
  const errors: FileError[] = [];
  for (const o of owed) {
    const judged = compare(o);
    if (!judged) continue;
    checks.push(judged.check);
    if (judged.error) errors.push(judged.error);
  }
  checks.push(...unchangedEscalations(classified, views, escalations));
  return { checks, errors };
}

function skillOwes(skill: string, views: Views): Owed | null {
  const md = `${skill}/SKILL.md`;
  const b = views.base.skill(md);
  const h = views.head.skill(md);
  if (b.state !== "parsed" || !b.result.ok || h.state !== "parsed") return null;
  const head: Versioned =
    h.result.ok && h.result.value.version !== undefined ? { version: h.result.value.version } : {};
  return { path: md, base: b.result.value, head, major: false, why: "the skill changed" };
}

function changeOwes(
  c: ClassifiedChange,
  views: Views,
  escalations: readonly Escalation[],
  headToolNames: ReadonlySet<string>,
): Owed | null {
  const { change, kind } = c;
  if (kind === "prompt") {
    const pair = parsedPair(views.base.prompt(change.oldPath), views.head.prompt(change.path));
    return pair && { path: change.path, ...pair, major: false, why: "its content changed" };
  }
  if (kind === "agent") {
    const pair = parsedPair(agentAt(views.base, change.oldPath), agentAt(views.head, change.path));
    const esc = escalations.find((e) => e.path === change.path);
    const why = esc ? `the agent escalates ${esc.from ?? "(new)"} → ${esc.to}` : "its content changed";
    return pair && { path: change.path, ...pair, major: esc !== undefined, why };
  }
  if (kind === "tool") {
    const b = views.base.tools(change.oldPath);
    const h = views.head.tools(change.path);
    const pair = parsedPair(b, h);
    if (!pair) return null;
    const breaking =
      b.state === "parsed" && b.result.ok && h.state === "parsed" && h.result.ok
        ? breakingChanges(b.result.value.tools, h.result.value.tools, headToolNames)
        : [];
    const why = breaking.length ? `breaking change: ${breaking.join("; ")}` : "its content changed";
    return { path: change.path, ...pair, major: breaking.length > 0, why };
  }
  return null;
}

/** An agent escalating through what it references, its manifest untouched, still owes a major bump. */
function unchangedEscalations(
  classified: readonly ClassifiedChange[],
  views: Views,
  escalations: readonly Escalation[],
): VersionCheck[] {
  const checks: VersionCheck[] = [];
  for (const esc of escalations) {
    if (esc.from === null) continue;
    if (classified.some((c) => c.kind === "agent" && c.change.path === esc.path && c.change.contentChanged)) continue;
    const a = agentAt(views.head, esc.path);
    if (a.state !== "parsed" || !a.result.ok || a.result.value.version === undefined) continue;
    const version = a.result.value.version;
    const from = normalizeVersion(version);
    if (from === null) continue;
    checks.push({
      path: esc.path,
      from: version,
      to: version,
      need: "major",
      ok: false,
      detail: `the agent escalates ${esc.from} → ${esc.to} through what it references, but its manifest is unchanged: raise its version ${version} to at least ${inc(from, "major")!}`,
    });
  }
  return checks;
}

type Parse<T> = { state: string; result?: { ok: boolean; value?: T } };

function parsedPair<T extends Versioned>(b: Parse<T>, h: Parse<T>): { base: Versioned; head: Versioned } | null {
  if (b.state !== "parsed" || !b.result?.ok || !b.result.value) return null;
  // A head that cannot be read is an artifact error already; its version cannot be judged.
  if (h.state !== "parsed" || !h.result?.ok || !h.result.value) return null;
  return { base: b.result.value, head: h.result.value };
}

function compare(o: Owed): { check: VersionCheck; error?: FileError } | null {
  const { path, base, head, major: needMajor, why } = o;
  if (base.version === undefined) return null;
  const from = normalizeVersion(base.version);
  const need = needMajor ? "major" : "higher";
  if (from === null) return null;
  if (head.version === undefined) {
    const detail = `${why}, but the version ${base.version} was removed; keep a version and raise it`;
    return { check: { path, from: base.version, to: null, need, ok: false, detail } };
  }
  const to = normalizeVersion(head.version);
  if (to === null) {
    const detail = `"${head.version}" is not a semantic version`;
    return {
      check: { path, from: base.version, to: head.version, need, ok: false, detail },
      error: { path, reason: `version "${head.version}" is not a semantic version` },
    };
  }
  const wanted = needMajor ? inc(from, "major")! : inc(from, "patch")!;
  const okay = needMajor ? major(to) > major(from) : gt(to, from);
  const detail = okay
    ? `${base.version} → ${head.version}`
    : `${why}: version ${base.version} → ${head.version} needs ${needMajor ? "a major bump" : "a higher version"} (at least ${wanted})`;
  return { check: { path, from: base.version, to: head.version, need, ok: okay, detail } };
}
