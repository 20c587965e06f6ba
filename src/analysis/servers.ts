import type { McpServer } from "../artifact/types.js";
import { compareText } from "../common/order.js";
import type { Views } from "../snapshot/view.js";

/** A server an MCP config change adds, removes or changes, with how it is started before and after. */
export interface ServerEntry {
  name: string;
  path: string;
  status: "added" | "removed" | "changed";
  from: string | null;
  to: string | null;
  pinned: boolean | null;
}

/** The servers a change to an MCP config adds, removes or starts otherwise. */
export function serverEntries(oldPath: string, path: string, status: string, views: Views): ServerEntry[] {
  const read = (view: Views["head"], p: string): Map<string, McpServer> => {
    const doc = view.mcp(p);
    return new Map(doc.state === "parsed" && doc.result.ok ? doc.result.value.servers.map((s) => [s.name, s]) : []);
  };
  const before = status === "added" ? new Map<string, McpServer>() : read(views.base, oldPath);
  const after = status === "deleted" ? new Map<string, McpServer>() : read(views.head, path);
  const out: ServerEntry[] = [];
  // How it is started, whole: an argument or a variable (`--read-only`, `READ_ONLY=1`) can be its capability.
  const said = (s: McpServer) =>
    [
      s.transport,
      ...s.launch.args,
      ...(s.launch.env.length ? [`(env ${s.launch.env.join(" ")})`] : []),
      ...(s.launch.headers.length ? [`(headers ${s.launch.headers.join("; ")})`] : []),
      ...(s.disabled ? ["(disabled)"] : []),
      ...(s.tools ? [`(tools: ${s.tools.join(", ")})`] : []),
    ].join(" ");
  for (const [name, s] of after) {
    const b = before.get(name);
    if (!b) out.push({ name, path, status: "added", from: null, to: said(s), pinned: s.pinned });
    else if (said(b) !== said(s) || b.trusted !== s.trusted || b.pinned !== s.pinned)
      out.push({ name, path, status: "changed", from: said(b), to: said(s), pinned: s.pinned });
  }
  for (const [name, b] of before)
    if (!after.has(name))
      out.push({ name, path: oldPath, status: "removed", from: said(b), to: null, pinned: b.pinned });
  return out.sort((a, b) => compareText(a.name, b.name));
}
