import type { ToolDef } from "../artifact/types.js";

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
