import { isAbsolute, resolve } from "node:path";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { launcherPin } from "../artifact/launcher.js";
import {
  canonicalJson,
  LOCK_LIMITS,
  lockedLaunch,
  toolDigest,
  transportOf,
  type LockEntry,
  type LockedTool,
} from "../artifact/lock.js";
import type { Launch, McpServer } from "../artifact/types.js";
import { messageOf } from "../common/errors.js";
import { expandVariables } from "./expand.js";
import { Client, SSEClientTransport, StdioClientTransport, StreamableHTTPClientTransport } from "./mcp-sdk.js";

/** What the client says it is when it connects. */
const CLIENT = { name: "capgate-pin", version: "1" };
/** Bytes of one message a stdio server may send; the SDK drops the server past it. */
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** What is kept of a server's standard error: its tail, to say why it failed. */
const STDERR_TAIL = 4096;

/** A server of the repository to start and list: the config that declares it, and how it is started. */
export interface PinTarget {
  config: string;
  server: McpServer;
}

export type Listed = { ok: true; entry: LockEntry } | { ok: false; reason: string; stderr: string };

export interface ListOptions {
  /** The repository's top: where stdio servers start unless their config says otherwise. */
  top: string;
  env: NodeJS.ProcessEnv;
  /** How long a server may take to start and list its tools, in ms. */
  timeoutMs: number;
}

/**
 * Starts (or reaches) a server with the MCP SDK's client, lists every page of its tools, and
 * stops it: the lock's entry for it, or why it could not be listed with the tail of its standard
 * error. Bounded in time, in messages and in what is kept; the server's answers are checked like
 * any hostile input.
 */
export async function listServer(target: PinTarget, opts: ListOptions): Promise<Listed> {
  const stderr = new Tail(STDERR_TAIL);
  const unset = new Set<string>();
  // A variable the config names that is not set here is passed as written: said when the server fails.
  const failed = (reason: string): Listed => ({
    ok: false,
    reason: unset.size ? `${reason} (not set here: ${[...unset].sort().join(", ")})` : reason,
    stderr: stderr.text(),
  });
  let transport: Transport;
  try {
    transport = transportFor(target.server.launch, opts, stderr, unset);
  } catch (e) {
    return failed(messageOf(e));
  }
  let protocolVersion = "";
  // The stdio transport has no use for the negotiated version; the lock records it.
  const setVersion = transport.setProtocolVersion?.bind(transport);
  transport.setProtocolVersion = (v: string) => {
    protocolVersion = v;
    setVersion?.(v);
  };
  const client = new Client(CLIENT, { capabilities: {} });
  const deadline = new Deadline(opts.timeoutMs);
  try {
    await deadline.race(client.connect(transport, { timeout: opts.timeoutMs }));
    const tools = await deadline.race(listAllTools(client, opts.timeoutMs));
    if (typeof tools === "string") return failed(tools);
    const info = client.getServerVersion();
    const instructions = client.getInstructions();
    if (instructions !== undefined && instructions.length > LOCK_LIMITS.text)
      return failed(`its instructions are over ${LOCK_LIMITS.text} characters`);
    return { ok: true, entry: entryOf(target, protocolVersion, info, instructions, tools) };
  } catch (e) {
    return failed(deadline.expired ? `did not answer within ${opts.timeoutMs / 1000} s` : failureOf(e));
  } finally {
    deadline.clear();
    await client.close().catch(() => undefined);
  }
}

/** What went wrong, in a user's words where the SDK's are about its own plumbing. */
function failureOf(e: unknown): string {
  // `fetch failed` says nothing: its cause names the host or the refusal.
  const cause = (e as { cause?: unknown }).cause;
  const m = messageOf(e) + (cause ? ` (${messageOf(cause)})` : "");
  if (/Connection closed/i.test(m))
    return "it exited, or closed its output, before answering (its last output is below)";
  if (/ENOENT/.test(m) && /spawn/.test(m)) return `${m}: the command is not installed here`;
  return m;
}

function entryOf(
  target: PinTarget,
  protocolVersion: string,
  info: { name: string; version: string; title?: string } | undefined,
  instructions: string | undefined,
  tools: LockedTool[],
): LockEntry {
  const pin = launcherPin(target.server.launch);
  return {
    config: target.config,
    name: target.server.name,
    launch: lockedLaunch(target.server.launch),
    ...(pin.state === "exact" ? { package: { name: pin.name, version: pin.version } } : {}),
    protocolVersion: protocolVersion || "unknown",
    serverInfo: {
      name: info?.name ?? "",
      version: info?.version ?? "",
      ...(typeof info?.title === "string" ? { title: info.title } : {}),
    },
    ...(instructions ? { instructions } : {}),
    tools,
  };
}

/** Every page of the server's tools, each checked, or what is wrong with them. */
async function listAllTools(client: Client, timeoutMs: number): Promise<LockedTool[] | string> {
  const tools: LockedTool[] = [];
  const seen = new Set<string>();
  const cursors = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < LOCK_LIMITS.pages; page++) {
    const r = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: timeoutMs });
    for (const raw of r.tools) {
      const t = lockedTool(raw);
      if (typeof t === "string") return t;
      if (seen.has(t.name)) return `it lists tool "${t.name}" twice`;
      seen.add(t.name);
      tools.push(t);
      if (tools.length > LOCK_LIMITS.tools) return `it lists more than ${LOCK_LIMITS.tools} tools`;
    }
    if (!r.nextCursor) return tools;
    if (cursors.has(r.nextCursor)) return "its tool list pages in a loop (a cursor came back)";
    cursors.add(r.nextCursor);
    cursor = r.nextCursor;
  }
  return `its tool list has more than ${LOCK_LIMITS.pages} pages`;
}

/** One tool as the lock keeps it: what the model is shown of it and its hints, within bounds. */
function lockedTool(raw: Record<string, unknown>): LockedTool | string {
  const name = raw.name;
  if (typeof name !== "string" || name.length === 0 || name.length > LOCK_LIMITS.name)
    return `a tool's name is not a string of 1 to ${LOCK_LIMITS.name} characters`;
  const text = (k: string) => (typeof raw[k] === "string" ? (raw[k] as string) : undefined);
  const description = text("description");
  if (description !== undefined && description.length > LOCK_LIMITS.text)
    return `tool "${name}" has a description of ${description.length} characters, over the ${LOCK_LIMITS.text} the lock keeps`;
  const object = (k: string) =>
    raw[k] && typeof raw[k] === "object" && !Array.isArray(raw[k]) ? (raw[k] as Record<string, unknown>) : undefined;
  const annotations = object("annotations");
  for (const hint of ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"])
    if (annotations?.[hint] !== undefined && typeof annotations[hint] !== "boolean")
      return `tool "${name}" has annotation ${hint} that is not true or false`;
  if (
    annotations?.title !== undefined &&
    (typeof annotations.title !== "string" || annotations.title.length > LOCK_LIMITS.name)
  )
    return `tool "${name}" has an annotation title that is not a string of at most ${LOCK_LIMITS.name} characters`;
  const t = {
    name,
    ...(text("title") !== undefined ? { title: text("title")!.slice(0, LOCK_LIMITS.name) } : {}),
    ...(description !== undefined ? { description } : {}),
    inputSchema: object("inputSchema") ?? {},
    ...(object("outputSchema") ? { outputSchema: object("outputSchema")! } : {}),
    ...(annotations ? { annotations } : {}),
  };
  const size = canonicalJson([t.inputSchema, t.outputSchema ?? null, t.annotations ?? null]).length;
  if (size > LOCK_LIMITS.definition)
    return `tool "${name}" has schemas of ${size} bytes, over the ${LOCK_LIMITS.definition} the lock keeps`;
  return { ...t, digest: toolDigest(t) };
}

/** The client transport for a server as its config starts it, every variable expanded as the clients do. */
function transportFor(launch: Launch, opts: ListOptions, stderr: Tail, unset: Set<string>): Transport {
  const x = (s: string) => expandVariables(s, opts.env, opts.top, unset);
  const pairs = (list: readonly string[], sep: string) =>
    Object.fromEntries(list.map((p) => [p.slice(0, p.indexOf(sep)), x(p.slice(p.indexOf(sep) + sep.length))]));
  if (launch.url !== null) {
    const url = new URL(x(launch.url));
    const requestInit = { headers: pairs(launch.headers, ": ") };
    return transportOf(launch) === "sse"
      ? new SSEClientTransport(url, { requestInit })
      : new StreamableHTTPClientTransport(url, { requestInit });
  }
  if (launch.command === null) throw new Error("it names neither a command nor a URL");
  const cwd =
    launch.cwd === null ? opts.top : isAbsolute(x(launch.cwd)) ? x(launch.cwd) : resolve(opts.top, x(launch.cwd));
  const transport = new StdioClientTransport({
    command: x(launch.command),
    args: launch.args.map(x),
    // The SDK's safe inherited variables (PATH, HOME…) and the config's own, no other secret of the caller's.
    env: pairs(launch.env, "="),
    cwd,
    stderr: "pipe",
    maxBufferSize: MAX_MESSAGE_BYTES,
  } as ConstructorParameters<typeof StdioClientTransport>[0]);
  transport.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
  return transport;
}

/** Controls a terminal acts on, but line breaks: a server's output is shown, never obeyed. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The last bytes of a stream, as printable text. */
class Tail {
  private buf = Buffer.alloc(0);
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (this.buf.length > this.max) this.buf = this.buf.subarray(this.buf.length - this.max);
  }
  text(): string {
    return this.buf.toString("utf8").replace(CONTROLS, "\ufffd").trim();
  }
}

/** One time limit over several awaits: whichever runs when it expires is abandoned. */
class Deadline {
  expired = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly expiry: Promise<never>;
  constructor(ms: number) {
    this.expiry = new Promise<never>((_, reject) => {
      this.timer = setTimeout(() => {
        this.expired = true;
        reject(new Error(`did not answer within ${ms / 1000} s`));
      }, ms);
    });
    this.expiry.catch(() => undefined);
  }
  race<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.expiry]);
  }
  clear(): void {
    clearTimeout(this.timer);
  }
}
