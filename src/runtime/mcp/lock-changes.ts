import { compareText } from "../../common/order.js";
import { canonicalJson, toolDifferences, type LockEntry, type ToolDifference } from "../../artifact/lock.js";
import type { RevisionView, Views } from "../../snapshot/view.js";

/** A server whose entry in `capgate.lock` a change adds, removes or changes. */
export interface LockChange {
  config: string;
  name: string;
  before: LockEntry | null;
  after: LockEntry | null;
  /** Its tools added, removed, or whose definitions changed. */
  tools: ToolDifference[];
  /** What else changed of it: `instructions`, `serverInfo`, `launch`, `package`, `protocolVersion`. */
  other: string[];
}

/** The entries of `capgate.lock` that differ between the two revisions (a lock that cannot be read holds none). */
export function lockChanges(views: Views): LockChange[] {
  const entries = (view: RevisionView): Map<string, LockEntry> => {
    const lock = view.lock();
    if (lock.state === "absent" || !lock.result.ok) return new Map();
    return new Map(lock.result.value.servers.map((e) => [`${e.config}\0${e.name}`, e]));
  };
  const before = entries(views.base);
  const after = entries(views.head);
  const out: LockChange[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key) ?? null;
    const a = after.get(key) ?? null;
    const tools = toolDifferences(b?.tools ?? null, a?.tools ?? null);
    const other = b && a ? otherChanges(b, a) : [];
    if (b && a && tools.length === 0 && other.length === 0) continue;
    const [config, name] = key.split("\0") as [string, string];
    out.push({ config, name, before: b, after: a, tools, other });
  }
  return out.sort((x, y) => compareText(x.name, y.name) || compareText(x.config, y.config));
}

function otherChanges(b: LockEntry, a: LockEntry): string[] {
  const parts = ["instructions", "serverInfo", "launch", "package", "protocolVersion"] as const;
  return parts.filter((p) => canonicalJson(b[p] ?? null) !== canonicalJson(a[p] ?? null));
}

/** A lock change in words: "server docs: adds tool write_page (not read-only); tool search: description changed". */
export function lockChangeSaid(c: LockChange): string {
  const n = c.after?.tools.length ?? 0;
  if (!c.before) return `locks server ${c.name} of ${c.config} (${n} tool${n === 1 ? "" : "s"})`;
  if (!c.after) return `unlocks server ${c.name} of ${c.config}`;
  const said = [...c.tools.map((t) => t.said), ...c.other.map((o) => `${o} changed`)];
  return `server ${c.name}: ${said.join("; ")}`;
}
