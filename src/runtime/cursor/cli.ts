import { builtinTable, type Builtin } from "../../capability/tools.js";
import type { AgentManifest, PolicyRule, ToolPolicy } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { ok, type Parsed } from "../../parse/result.js";
import { manifest, stringsOf, worstCase } from "../declare.js";
import { rule } from "../policy.js";

/**
 * Cursor's CLI agent under a project's `.cursor/cli.json`, as Cursor reads it
 * (cursor.com/docs/cli/reference/permissions; the permission engine of `@cursor/sdk`): plain JSON
 * whose only project key is `permissions`. `allow` and `deny` hold `Shell(cmd)` (its first word, or
 * `cmd:args`), `Read(glob)`, `Write(glob)`, `WebFetch(domain)` and `Mcp(server:tool)`; deny wins.
 * With no rule, a command and a server's tool ask, and a file in the workspace is written without
 * asking (the engine's default; the docs do not say otherwise, so the worst case).
 */
const TOOLS: Record<string, Builtin> = {
  Read: { kind: "read-only", does: "reads files" },
  Grep: { kind: "read-only", does: "searches files" },
  Glob: { kind: "read-only", does: "finds files" },
  Write: { kind: "edit", does: "writes files" },
  Shell: { kind: "writing", does: "runs shell commands" },
  WebFetch: { kind: "writing", does: "fetches URLs (it can send what it read)" },
};

export const CURSOR = builtinTable(TOOLS);

const WHAT = "the repository's Cursor CLI agent";
const TOKEN = /^\s*(Shell|Bash|Read|Write|WebFetch|Mcp)\s*\((.*)\)\s*$/s;
/** A pattern that matches everything (`*`, `**`, `*:*`). */
const ALL = /^[*/]*(:[*]*)?$/;

export function parseCursorCli(path: string, text: string): Parsed<AgentManifest> {
  const data = parseJsonc(path, text, { strict: true, repeatedKeys: "last" });
  if (!data.ok || !isMap(data.value))
    return ok(
      worstCase(
        "cursor",
        WHAT,
        path,
        `${data.ok ? "not a JSON object" : data.error.reason}: Cursor sets it aside`,
        path,
      ),
    );
  const perms = isMap(data.value.permissions) ? data.value.permissions : {};
  const list = (k: string) => stringsOf(perms[k]);
  const policy: ToolPolicy = {
    source: path,
    tools: {
      Shell: rule("ask", "a command no allow rule names asks"),
      WebFetch: rule("ask", "a fetch no allow rule names asks"),
      Write: rule("allow", "a file in the workspace is written without asking unless a rule says otherwise"),
    },
    otherwise: {
      edit: rule("allow", "a file in the workspace is written without asking"),
      writing: rule("ask", "no allow rule names it"),
      mcp: rule("ask", "a server's tool no allow rule names asks"),
    },
    commands: [],
  };
  for (const t of list("allow")) apply(policy, t, "allow");
  for (const t of list("deny")) apply(policy, t, "deny");
  return ok(
    manifest(path, {
      kind: "cursor",
      what: WHAT,
      toolNames: null,
      removed: [],
      permissionMode: null,
      inlineServers: [],
      allServers: true,
      loop: "Cursor's agent loop (no limit is declared)",
      policy,
    }),
  );
}

/** One `allow` or `deny` entry; a deny of part of a tool narrows it and is not counted. */
function apply(policy: ToolPolicy, token: string, answer: "allow" | "deny"): void {
  const m = TOKEN.exec(token);
  if (!m) return;
  const [, kind, inner = ""] = m;
  const whole = ALL.test(inner.trim());
  const why = `permissions.${answer} ${token}`;
  const set = (name: string, r: PolicyRule) => {
    if (answer === "deny" || policy.tools[name]?.answer !== "deny") policy.tools[name] = r;
  };
  if (kind === "Shell" || kind === "Bash") {
    if (whole) set("Shell", rule(answer, why));
    else if (answer === "allow") {
      const [cmd, args] = inner.split(":", 2) as [string, string | undefined];
      // `Shell(git)` is the command's first word: every git command.
      policy.commands.push({ rule: token, command: `${cmd.trim()} ${args ?? "*"}` });
    }
  } else if (kind === "Write" && (whole || answer === "allow")) set("Write", rule(answer, why));
  else if (kind === "WebFetch" && (whole || answer === "allow")) set("WebFetch", rule(answer, why));
  else if (kind === "Mcp") {
    const [server = "*", tool = "*"] = inner.split(":", 2).map((x) => x.trim());
    if (server === "*" || server === "**") policy.otherwise.mcp = rule(answer, why);
    else set(`${server}/${tool === "*" ? "*" : tool}`, rule(answer, why));
  }
}
