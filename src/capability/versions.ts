import semver from "semver";
import type { ToolDef } from "../artifact/types.js";
import { normalizeVersion } from "../artifact/version.js";
import type { DecisionInput } from "../decision/input.js";
import type { FileError } from "../parse/result.js";
import type { PathKind } from "./classify.js";
import type { Escalation } from "./escalation.js";
import type { RevisionView } from "./view.js";

export interface VersionCheck {
  path: string;
  from: string;
  to: string | null;
  need: "higher" | "major";
  ok: boolean;
  /** What the rule found and what would satisfy it. */
  detail: string;
}

type Change = DecisionInput["changes"][number];

interface Versioned {
  version?: string;
}

/**
 * Version discipline (PRODUCT §4): a versioned artifact whose content changed carries a higher
 * semver; an escalating agent or a breaking tool change needs a major bump.
 */
export function versionChecks(
  classified: readonly { change: Change; kind: PathKind | null; skill?: string }[],
  views: { base: RevisionView; head: RevisionView },
  escalations: readonly Escalation[],
  errors: FileError[],
): VersionCheck[] {
  const checks: VersionCheck[] = [];
  const skillsDone = new Set<string>();
  const headToolNames = new Set<string>();
  for (const c of classified) {
    if (c.kind !== "tool" || c.change.status === "deleted") continue;
    const t = views.head.tools(c.change.path);
    if (t.state === "parsed" && t.result.ok) t.result.value.tools.forEach((x) => headToolNames.add(x.name));
  }

  for (const { change, kind, skill } of classified) {
    if (change.status === "added" || change.status === "deleted") continue;
    if (kind === "skill" && skill) {
      if (skillsDone.has(skill)) continue;
      skillsDone.add(skill);
      const md = `${skill}/SKILL.md`;
      const b = views.base.skill(md);
      const h = views.head.skill(md);
      if (b.state !== "parsed" || !b.result.ok || h.state !== "parsed") continue;
      const headVersion = h.result.ok ? h.result.value.version : undefined;
      const check = compare(
        md,
        b.result.value,
        h.result.ok ? { version: headVersion } : {},
        false,
        "the skill changed",
        errors,
      );
      if (check) checks.push(check);
      continue;
    }
    if (!change.contentChanged) continue;
    let pair: [Versioned, Versioned] | null = null;
    let major = false;
    let why = "its content changed";
    if (kind === "prompt") pair = parsedPair(views.base.prompt(change.oldPath), views.head.prompt(change.path));
    else if (kind === "agent") {
      pair = parsedPair(views.base.agent(change.oldPath), views.head.agent(change.path));
      const esc = escalations.find((e) => e.path === change.path);
      if (esc) {
        major = true;
        why = `the agent escalates ${esc.from ?? "(new)"} → ${esc.to}`;
      }
    } else if (kind === "tool") {
      const b = views.base.tools(change.oldPath);
      const h = views.head.tools(change.path);
      pair = parsedPair(b, h);
      if (b.state === "parsed" && b.result.ok && h.state === "parsed" && h.result.ok) {
        const breaking = breakingChanges(b.result.value.tools, h.result.value.tools, headToolNames);
        if (breaking.length > 0) {
          major = true;
          why = `breaking change: ${breaking.join("; ")}`;
        }
      }
    }
    if (!pair) continue;
    const check = compare(change.path, pair[0], pair[1], major, why, errors);
    if (check) checks.push(check);
  }
  // An agent that escalates through what it references, its own manifest untouched, still owes
  // its version a major bump.
  for (const esc of escalations) {
    if (esc.from === null) continue;
    if (classified.some((c) => c.kind === "agent" && c.change.path === esc.path && c.change.contentChanged)) continue;
    const a = views.head.agent(esc.path);
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
      detail: `the agent escalates ${esc.from} → ${esc.to} through what it references, but its manifest is unchanged: raise its version ${version} to at least ${semver.inc(from, "major")!}`,
    });
  }
  return checks;
}

function parsedPair<T extends Versioned>(
  b: { state: string; result?: { ok: boolean; value?: T } },
  h: { state: string; result?: { ok: boolean; value?: T } },
): [Versioned, Versioned] | null {
  if (b.state !== "parsed" || !b.result?.ok || !b.result.value) return null;
  // A head that cannot be read is an artifact error already; its version cannot be judged.
  if (h.state !== "parsed" || !h.result?.ok || !h.result.value) return null;
  return [b.result.value, h.result.value];
}

function compare(
  path: string,
  base: Versioned,
  head: Versioned,
  major: boolean,
  why: string,
  errors: FileError[],
): VersionCheck | null {
  if (base.version === undefined) return null;
  const from = normalizeVersion(base.version);
  const need = major ? "major" : "higher";
  if (from === null) return null;
  if (head.version === undefined) {
    return {
      path,
      from: base.version,
      to: null,
      need,
      ok: false,
      detail: `${why}, but the version ${base.version} was removed; keep a version and raise it`,
    };
  }
  const to = normalizeVersion(head.version);
  if (to === null) {
    errors.push({ path, reason: `version "${head.version}" is not a semantic version` });
    return {
      path,
      from: base.version,
      to: head.version,
      need,
      ok: false,
      detail: `"${head.version}" is not a semantic version`,
    };
  }
  const wanted = major ? semver.inc(from, "major")! : semver.inc(from, "patch")!;
  const okay = major ? semver.major(to) > semver.major(from) : semver.gt(to, from);
  return {
    path,
    from: base.version,
    to: head.version,
    need,
    ok: okay,
    detail: okay
      ? `${base.version} → ${head.version}`
      : `${why}: version ${base.version} → ${head.version} needs ${major ? "a major bump" : "a higher version"} (at least ${wanted})`,
  };
}

/** Changes to a tool file that can break its callers. Tools are identified by name. */
export function breakingChanges(
  base: readonly ToolDef[],
  head: readonly ToolDef[],
  movedTo: ReadonlySet<string>,
): string[] {
  const out: string[] = [];
  const byName = new Map(head.map((t) => [t.name, t]));
  for (const b of base) {
    const h = byName.get(b.name);
    if (!h) {
      if (!movedTo.has(b.name)) out.push(`tool ${b.name} removed`);
      continue;
    }
    const bRO = b.annotations.readOnlyHint === true;
    const hRO = h.annotations.readOnlyHint === true;
    if (bRO && !hRO) out.push(`${b.name} is no longer read-only`);
    const destructive = (t: ToolDef) => t.annotations.readOnlyHint !== true && t.annotations.destructiveHint !== false;
    if (!destructive(b) && destructive(h)) out.push(`${b.name} became destructive`);
    out.push(...schemaBreaks(b.name, b.inputSchema, h.inputSchema));
  }
  return out;
}

/** Deepest level of nested schemas compared; deeper differences are not looked for. */
const MAX_SCHEMA_DEPTH = 32;

/**
 * What a callers' input valid under `base` may no longer be under `head`, at every level of nested
 * objects and array items: a property removed or newly required, a type or an enum narrowed.
 */
function schemaBreaks(where: string, base: unknown, head: unknown, depth = 0): string[] {
  const out: string[] = [];
  if (depth > MAX_SCHEMA_DEPTH) return out;
  const bt = types(base);
  const ht = types(head);
  // No type accepts anything: gaining one narrows, losing one widens.
  if (depth > 0 && ht && (!bt || bt.some((t) => !ht.includes(t) && !(t === "integer" && ht.includes("number")))))
    out.push(`${where} type narrowed (${bt?.join("|") ?? "any"} → ${ht.join("|")})`);
  const be = enumOf(base);
  const he = enumOf(head);
  if (depth > 0 && he && (!be || be.some((v) => !he.some((x) => JSON.stringify(x) === JSON.stringify(v)))))
    out.push(`${where} enum narrowed`);
  const bReq = new Set(required(base));
  for (const r of required(head)) if (!bReq.has(r)) out.push(`${where}.${r} is now required`);
  const hp = props(head);
  for (const [name, bs] of Object.entries(props(base))) {
    const hs = hp[name];
    if (hs === undefined) out.push(`${where}.${name} removed`);
    else out.push(...schemaBreaks(`${where}.${name}`, bs, hs, depth + 1));
  }
  const bi = itemsOf(base);
  const hi = itemsOf(head);
  if (bi !== null && hi !== null) out.push(...schemaBreaks(`${where}[]`, bi, hi, depth + 1));
  return out;
}

function itemsOf(schema: unknown): unknown {
  if (schema && typeof schema === "object" && "items" in schema) {
    const i = (schema as { items: unknown }).items;
    if (i && typeof i === "object" && !Array.isArray(i)) return i;
  }
  return null;
}

function props(schema: unknown): Record<string, unknown> {
  if (schema && typeof schema === "object" && "properties" in schema) {
    const p = (schema as { properties: unknown }).properties;
    if (p && typeof p === "object" && !Array.isArray(p)) return p as Record<string, unknown>;
  }
  return {};
}
function required(schema: unknown): string[] {
  if (schema && typeof schema === "object" && "required" in schema) {
    const r = (schema as { required: unknown }).required;
    if (Array.isArray(r)) return r.filter((x): x is string => typeof x === "string");
  }
  return [];
}
function types(s: unknown): string[] | null {
  if (!s || typeof s !== "object" || !("type" in s)) return null;
  const t = (s as { type: unknown }).type;
  if (typeof t === "string") return [t];
  if (Array.isArray(t)) return t.filter((x): x is string => typeof x === "string");
  return null;
}
function enumOf(s: unknown): unknown[] | null {
  if (!s || typeof s !== "object" || !("enum" in s)) return null;
  const e = (s as { enum: unknown }).enum;
  return Array.isArray(e) ? e : null;
}
