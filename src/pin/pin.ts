import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  launchDigest,
  LOCK_FORMAT,
  LOCK_PATH,
  lockText,
  parseLock,
  toolDifferences,
  type LockDoc,
  type LockEntry,
  type ToolDifference,
} from "../artifact/lock.js";
import { compareText } from "../common/order.js";
import { UsageError, messageOf } from "../common/errors.js";
import { openRepository } from "../gather/open.js";
import { listServer, type ListOptions, type PinTarget } from "./live.js";
import { workingServers } from "./servers.js";

/** How many servers are started at once. */
export const PIN_CONCURRENCY = 4;
export { DEFAULT_PIN_TIMEOUT_S } from "./defaults.js";

export interface PinOptions {
  cwd: string;
  configFile?: string;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  concurrency?: number;
  /** Servers, by name, not to start here: `pin` keeps their entries from the lock on disk, `--check` leaves them out. */
  skip?: readonly string[];
}

/** A server that could not be started or listed: who, why, and the tail of what it printed. */
export interface PinFailure {
  config: string;
  name: string;
  reason: string;
  stderr: string;
}

/** What listing the working tree's servers came to, whether to pin them or to check them. */
export interface PinRun {
  /** `capgate.lock` at the top of the repository. */
  lock: string;
  failures: PinFailure[];
  /** Servers a client does not start, left out. */
  disabled: { config: string; name: string }[];
  /** Servers `--skip` left unstarted, and whether the lock on disk's entry of each was kept. */
  skipped: { config: string; name: string; kept: boolean }[];
  notes: string[];
}

export interface PinResult extends PinRun {
  /** The entries listed, one per server of each config. */
  entries: LockEntry[];
  /** Whether `capgate.lock` was written (every server listed). */
  written: boolean;
}

/**
 * `capgate pin`: starts every server of the working tree's MCP configs, lists its tools, and
 * writes `capgate.lock` — only when every server was listed, so a lock never holds half of them.
 */
export async function runPin(opts: PinOptions): Promise<PinResult> {
  const listed = await listWorking(opts);
  const lock = join(listed.top, LOCK_PATH);
  // A server skipped here keeps what the lock on disk says of it, as it is started now.
  const before = opts.skip?.length ? readLockFile(lock) : null;
  const kept = listed.skipped.map(
    (t) => before?.servers.find((e) => e.name === t.name && e.config === t.config) ?? null,
  );
  const skipped = listed.skipped.map((t, i) => ({ config: t.config, name: t.name, kept: kept[i] !== null }));
  const result: PinResult = { lock, ...listed, skipped, written: false };
  if (listed.failures.length > 0) return result;
  const servers = [...listed.entries, ...kept.filter((e): e is LockEntry => e !== null)];
  const text = lockText({ capgate: LOCK_FORMAT, servers });
  // What is written must read back as the gate reads it.
  const again = parseLock(LOCK_PATH, text);
  if (!again.ok) throw new Error(`the lock written would not read back: ${again.error.reason}`);
  const tmp = `${lock}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, lock);
  return { ...result, written: true };
}

/** One difference between the lock and the live servers, in words. */
export interface Drift {
  config: string;
  name: string;
  /** The tool that changed, when one did, and how. */
  tool?: string;
  change?: ToolDifference["change"];
  parts?: string[];
  said: string;
}

export interface PinCheckResult extends PinRun {
  drift: Drift[];
  /** Servers that matched the lock. */
  matched: number;
}

/**
 * `capgate pin --check`: lists the live servers again and names every difference from the lock —
 * a tool added, removed, or whose description, schemas or annotations changed; a server started
 * otherwise, missing from the lock, or locked but no longer declared. No lock is bad usage.
 */
export async function runPinCheck(opts: PinOptions): Promise<PinCheckResult> {
  const lock = await readLock(opts.cwd);
  const listed = await listWorking(opts);
  const drift: Drift[] = [];
  const locked = new Map(lock.doc.servers.map((e) => [`${e.config}\0${e.name}`, e]));
  const live = new Set<string>();
  for (const e of listed.entries) {
    const key = `${e.config}\0${e.name}`;
    live.add(key);
    const before = locked.get(key);
    drift.push(...entryDrift(before ?? null, e));
  }
  for (const f of [...listed.failures, ...listed.skipped]) live.add(`${f.config}\0${f.name}`);
  for (const [key, e] of locked)
    if (!live.has(key))
      drift.push({ config: e.config, name: e.name, said: `is locked, but ${e.config} no longer starts it` });
  const matched = listed.entries.filter((e) => !drift.some((d) => d.config === e.config && d.name === e.name)).length;
  const { failures, disabled, skipped, notes } = listed;
  return { lock: lock.path, drift, failures, disabled, skipped, notes, matched };
}

function entryDrift(before: LockEntry | null, after: LockEntry): Drift[] {
  const at = { config: after.config, name: after.name };
  if (!before) return [{ ...at, said: "is not in the lock" }];
  if (before.launch.digest !== after.launch.digest)
    return [{ ...at, said: "is started otherwise than when it was pinned" }];
  const out: Drift[] = toolDifferences(before.tools, after.tools).map((d) => ({
    ...at,
    tool: d.tool,
    change: d.change,
    parts: d.parts,
    said: d.said,
  }));
  if ((before.instructions ?? "") !== (after.instructions ?? "")) out.push({ ...at, said: "its instructions changed" });
  return out;
}

/** The lock on disk, or null when there is none that reads. */
function readLockFile(path: string): LockDoc | null {
  try {
    const doc = parseLock(LOCK_PATH, readFileSync(path, "utf8"));
    return doc.ok ? doc.value : null;
  } catch {
    return null;
  }
}

/** The lock on disk, read as the gate reads it; none, or one that cannot be read, is bad usage. */
async function readLock(cwd: string): Promise<{ path: string; doc: LockDoc }> {
  const { top } = await openRepository(cwd);
  const path = join(top, LOCK_PATH);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(
      `no ${LOCK_PATH} at ${top} (${messageOf(e)}): run \`capgate pin\` and commit it first`,
      "bad_input",
    );
  }
  const doc = parseLock(LOCK_PATH, text);
  if (!doc.ok) throw new UsageError(`${LOCK_PATH} cannot be read: ${doc.error.reason}`, "bad_input");
  return { path, doc: doc.value };
}

/** Every server of the working tree listed, several at once; servers started the same way are started once. */
async function listWorking(opts: PinOptions): Promise<Omit<PinResult, "lock" | "written"> & { top: string }> {
  const found = await workingServers(opts.cwd, opts.configFile);
  const failures: PinFailure[] = found.problems.map((p) => ({
    config: p.path,
    name: "(every server)",
    reason: `${p.path} cannot be read: ${p.reason}`,
    stderr: "",
  }));
  const list: ListOptions = { top: found.top, env: opts.env, timeoutMs: opts.timeoutMs };
  const byLaunch = new Map<string, PinTarget[]>();
  const skip = new Set(opts.skip ?? []);
  const skipped: PinResult["skipped"] = [];
  for (const t of found.targets) {
    if (skip.has(t.server.name)) {
      skipped.push({ config: t.config, name: t.server.name, kept: false });
      continue;
    }
    const k = `${t.server.name}\0${launchDigest(t.server.launch)}`;
    byLaunch.set(k, [...(byLaunch.get(k) ?? []), t]);
  }
  const groups = [...byLaunch.values()];
  const results = await inParallel(groups, opts.concurrency ?? PIN_CONCURRENCY, (g) => listServer(g[0]!, list));
  const entries: LockEntry[] = [];
  groups.forEach((g, i) => {
    const r = results[i]!;
    // One server started the same way by several files (clients' configs, a plugin, Codex's roles) is one entry.
    const [config, ...also] = [...new Set(g.map((t) => t.config))].sort(compareText);
    if (r.ok) entries.push({ ...r.entry, config: config!, ...(also.length ? { also } : {}) });
    else failures.push({ config: config!, name: g[0]!.server.name, reason: r.reason, stderr: r.stderr });
  });
  const byName = (a: { config: string; name: string }, b: { config: string; name: string }) =>
    compareText(a.config, b.config) || compareText(a.name, b.name);
  return {
    top: found.top,
    entries: entries.sort(byName),
    failures: failures.sort(byName),
    disabled: found.disabled.map((t) => ({ config: t.config, name: t.server.name })).sort(byName),
    skipped: skipped.sort(byName),
    notes: [
      ...found.notes,
      ...[...skip]
        .filter((n) => !skipped.some((t) => t.name === n))
        .map((n) => `--skip ${n}: no config starts a server of that name`),
    ],
  };
}

/** Runs `work` over the items, at most `limit` at once, the results in the items' order. */
async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
