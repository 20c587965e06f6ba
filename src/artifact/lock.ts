import * as z from "zod";
import { compareText } from "../common/order.js";
import { sha256 } from "../common/digest.js";
import { parseWith } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import { hintsOf } from "./tool.js";
import type { Launch, McpServer, ToolDef } from "./types.js";

/**
 * `capgate.lock`: what each MCP server of the repository gave when it was last pinned — per
 * server what starts it (never an environment value or a header's value), the package and version
 * it runs, the protocol version and server info, its instructions, and each tool's definition with
 * a digest. Written by `capgate pin`, read by the gate as the servers' declared tools.
 */
export const LOCK_PATH = "capgate.lock";
export const LOCK_FORMAT = "lock/v1";

/** Bounds on what a server may answer: its answers are hostile input like any file. */
export const LOCK_LIMITS = {
  tools: 1000,
  pages: 100,
  /** Characters of one tool's description, or of a server's instructions. */
  text: 64 * 1024,
  /** Bytes of one tool's schemas and annotations, written out. */
  definition: 256 * 1024,
  name: 256,
} as const;

const hint = z.boolean().optional();
const annotations = z.looseObject({
  title: z.string().max(LOCK_LIMITS.name).optional(),
  readOnlyHint: hint,
  destructiveHint: hint,
  idempotentHint: hint,
  openWorldHint: hint,
});
const jsonObject = z.record(z.string(), z.unknown());
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "a sha256: digest");

const toolSchema = z.strictObject({
  name: z.string().min(1).max(LOCK_LIMITS.name),
  title: z.string().max(LOCK_LIMITS.name).optional(),
  description: z.string().max(LOCK_LIMITS.text).optional(),
  inputSchema: jsonObject,
  outputSchema: jsonObject.optional(),
  annotations: annotations.optional(),
  digest,
});

const launchSchema = z.strictObject({
  transport: z.enum(["stdio", "http", "sse"]),
  command: z.string().optional(),
  url: z.string().optional(),
  cwd: z.string().optional(),
  args: z.array(z.string()).optional(),
  /** The names of the variables it is started with; their values are never written. */
  env: z.array(z.string()).optional(),
  /** The names of the headers it is reached with; their values are never written. */
  headers: z.array(z.string()).optional(),
  /** A digest of how the config starts it, values included, as written: a changed start is not this entry. */
  digest,
});

const entrySchema = z.strictObject({
  config: z.string().min(1),
  /** Other files that start the server the same way. */
  also: z.array(z.string().min(1)).optional(),
  name: z.string().min(1),
  launch: launchSchema,
  package: z.strictObject({ name: z.string(), version: z.string() }).optional(),
  protocolVersion: z.string().max(64),
  serverInfo: z.looseObject({ name: z.string().max(LOCK_LIMITS.name), version: z.string().max(LOCK_LIMITS.name) }),
  instructions: z.string().max(LOCK_LIMITS.text).optional(),
  tools: z.array(toolSchema).max(LOCK_LIMITS.tools),
});

const lockSchema = z.strictObject({
  capgate: z.literal(LOCK_FORMAT),
  servers: z.array(entrySchema),
});

export type LockedTool = z.infer<typeof toolSchema>;
export type LockedLaunch = z.infer<typeof launchSchema>;
export type LockEntry = z.infer<typeof entrySchema>;
export type LockDoc = z.infer<typeof lockSchema>;

/** Reads `capgate.lock`: every entry well formed, named once per config, each tool once and its digest its own. */
export function parseLock(path: string, text: string): Parsed<LockDoc> {
  const r = parseWith(path, text, lockSchema, `capgate lock (${LOCK_FORMAT})`);
  if (!r.ok) return r;
  const seen = new Set<string>();
  for (const e of r.value.servers) {
    const key = `${e.config}\0${e.name}`;
    if (seen.has(key)) return fail(path, `server "${e.name}" of ${e.config} is locked twice`);
    seen.add(key);
    const tools = new Set<string>();
    for (const t of e.tools) {
      if (tools.has(t.name)) return fail(path, `server "${e.name}": tool "${t.name}" is locked twice`);
      tools.add(t.name);
      // A hand-edited definition whose digest was not rewritten is not what `capgate pin` wrote.
      if (toolDigest(t) !== t.digest)
        return fail(path, `server "${e.name}": tool "${t.name}" does not match its digest; run \`capgate pin\``);
    }
  }
  return ok(r.value);
}

/** JSON with every object's keys sorted: the same value is always the same text. */
export function canonicalJson(value: unknown, indent?: number): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort(compareText)) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value), null, indent);
}

/** The digest of a tool's definition: everything the model is shown of it and every hint. */
export function toolDigest(t: Omit<LockedTool, "digest">): string {
  const { name, title, description, inputSchema, outputSchema, annotations } = t;
  return sha256(canonicalJson({ name, title, description, inputSchema, outputSchema, annotations }));
}

/** The digest of how a config starts or reaches a server, every part as written (no variable expanded). */
export function launchDigest(launch: Launch): string {
  return sha256(canonicalJson(launch));
}

/** The transport a client uses for a server, as the lock names it. */
export function transportOf(launch: Launch): LockedLaunch["transport"] {
  if (launch.url === null) return "stdio";
  return launch.type === "sse" ? "sse" : "http";
}

/** How a server is started, as the lock says it: names only where a value could be a secret. */
export function lockedLaunch(launch: Launch): LockedLaunch {
  const names = (pairs: readonly string[], sep: string) => pairs.map((p) => p.slice(0, p.indexOf(sep))).sort();
  return {
    transport: transportOf(launch),
    ...(launch.command !== null ? { command: launch.command } : {}),
    ...(launch.url !== null ? { url: launch.url } : {}),
    ...(launch.cwd !== null ? { cwd: launch.cwd } : {}),
    ...(launch.args.length ? { args: [...launch.args] } : {}),
    ...(launch.env.length ? { env: names(launch.env, "=") } : {}),
    ...(launch.headers.length ? { headers: names(launch.headers, ": ") } : {}),
    digest: launchDigest(launch),
  };
}

/**
 * The lock's text: entries by config and name, tools by name, each entry's fields in one order a
 * reviewer reads down (what starts it, what it is, then its tools), schemas with their keys
 * sorted; two-space indents and a final newline. The same servers always give the same bytes.
 */
export function lockText(doc: LockDoc): string {
  const sorted = (v: unknown) => (v === undefined ? undefined : (JSON.parse(canonicalJson(v)) as unknown));
  const servers = [...doc.servers]
    .sort((a, b) => compareText(a.config, b.config) || compareText(a.name, b.name))
    .map((e) => ({
      config: e.config,
      also: e.also && [...e.also].sort(compareText),
      name: e.name,
      launch: {
        transport: e.launch.transport,
        command: e.launch.command,
        url: e.launch.url,
        cwd: e.launch.cwd,
        args: e.launch.args,
        env: e.launch.env,
        headers: e.launch.headers,
        digest: e.launch.digest,
      },
      package: e.package && { name: e.package.name, version: e.package.version },
      protocolVersion: e.protocolVersion,
      serverInfo: sorted(e.serverInfo),
      instructions: e.instructions,
      tools: [...e.tools]
        .sort((a, b) => compareText(a.name, b.name))
        .map((t) => ({
          name: t.name,
          title: t.title,
          description: t.description,
          annotations: sorted(t.annotations),
          inputSchema: sorted(t.inputSchema),
          outputSchema: sorted(t.outputSchema),
          digest: t.digest,
        })),
    }));
  return `${JSON.stringify({ capgate: LOCK_FORMAT, servers }, null, 2)}\n`;
}

/**
 * The lock's entry for a server as a config starts it: one of its name whose start is the same,
 * values and all. A server started otherwise than when it was pinned is not the server pinned.
 */
export function lockEntryFor(doc: LockDoc, server: McpServer): LockEntry | null {
  const digest = launchDigest(server.launch);
  return doc.servers.find((e) => e.name === server.name && e.launch.digest === digest) ?? null;
}

/** A locked tool as a tool file declares one: classified by its annotations like any tool. */
export function toolDefOf(t: LockedTool): ToolDef {
  return { name: t.name, format: "mcp", annotations: hintsOf(t.annotations ?? {}), inputSchema: t.inputSchema };
}

/** What changed of one server's tools between two lockings, each difference in words. */
export interface ToolDifference {
  tool: string;
  change: "added" | "removed" | "changed";
  /** What changed of it: `description`, `inputSchema`, `outputSchema`, `annotations.readOnlyHint`, `title`. */
  parts: string[];
  /** In words, for reports: "loses readOnlyHint", `description changed to "…"`. */
  said: string;
}

/** Every tool added, removed, or whose definition changed between two entries of one server. */
export function toolDifferences(
  before: readonly LockedTool[] | null,
  after: readonly LockedTool[] | null,
): ToolDifference[] {
  const b = new Map((before ?? []).map((t) => [t.name, t]));
  const a = new Map((after ?? []).map((t) => [t.name, t]));
  const out: ToolDifference[] = [];
  for (const [name, t] of a) {
    const old = b.get(name);
    if (!old) out.push({ tool: name, change: "added", parts: [], said: `adds tool ${name}${hintsSaid(t)}` });
    else if (old.digest !== t.digest) {
      const parts = changedParts(old, t);
      out.push({ tool: name, change: "changed", parts, said: `tool ${name}: ${partsSaid(old, t, parts)}` });
    }
  }
  for (const name of b.keys())
    if (!a.has(name)) out.push({ tool: name, change: "removed", parts: [], said: `removes tool ${name}` });
  return out.sort((x, y) => compareText(x.tool, y.tool));
}

function changedParts(a: LockedTool, b: LockedTool): string[] {
  const parts: string[] = [];
  for (const k of ["title", "description", "inputSchema", "outputSchema"] as const)
    if (canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)) parts.push(k);
  const keys = new Set([...Object.keys(a.annotations ?? {}), ...Object.keys(b.annotations ?? {})]);
  for (const k of [...keys].sort(compareText))
    if (canonicalJson(a.annotations?.[k] ?? null) !== canonicalJson(b.annotations?.[k] ?? null))
      parts.push(`annotations.${k}`);
  return parts;
}

/** The start of a text, quoted, for a report line: the whole of it is in the lock. */
const excerpt = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 119)}…` : text);

const hintWord = (v: unknown) => (v === undefined ? "unset" : String(v));

const hintsSaid = (t: LockedTool) => (t.annotations?.readOnlyHint === true ? " (read-only)" : " (not read-only)");

function partsSaid(a: LockedTool, b: LockedTool, parts: readonly string[]): string {
  return parts
    .map((p) => {
      if (p === "annotations.readOnlyHint")
        return b.annotations?.readOnlyHint === true ? "gains readOnlyHint" : "loses readOnlyHint";
      if (p === "annotations.destructiveHint")
        return `destructiveHint ${hintWord(a.annotations?.destructiveHint)} → ${hintWord(b.annotations?.destructiveHint)}`;
      if (p === "description") return `description changed to ${excerpt(b.description ?? "")}`;
      if (p === "inputSchema" || p === "outputSchema") return `${p} changed`;
      return `${p} changed`;
    })
    .join(", ");
}
