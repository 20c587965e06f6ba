import { isMap } from "../../artifact/prompt.js";
import { serversOfMap } from "../../artifact/mcp.js";
import type { AgentManifest, PolicyRule, ToolPolicy } from "../../artifact/types.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { ok, type Parsed } from "../../parse/result.js";
import { commandHooks, manifest, stemOf, stringsOf, worstCase } from "../declare.js";
import { rule } from "../policy.js";
import { KIRO, TRUSTED } from "./tools.js";

/**
 * An agent of Kiro (`.kiro/agents/*.json`) or Amazon Q Developer CLI (`.amazonq/cli-agents/*.json`),
 * as they read it (amazon-q-developer-cli `docs/agent-format.md`, `agent/mod.rs`,
 * `util/tool_permission_checker.rs`; kiro.dev/docs/cli/custom-agents/configuration-reference):
 * strict JSON; `tools` left out is no tool, `*` every tool, `@builtin` every built-in, `@server`
 * a server's; `allowedTools` run without asking (`@builtin`, `@server`, globs); reading in the
 * folder and tools that change nothing run unasked, every other tool asks; `toolsSettings` runs
 * commands matching `allowedCommands` and writes under `allowedPaths` unasked; `permissions`
 * rules (Kiro's newer agents) resolve deny over ask over allow; `hooks` run commands unasked.
 */

const WHAT = { kiro: "Kiro agent", amazonq: "Amazon Q Developer agent" };
/** The keys of an Amazon Q Developer CLI agent (`struct Agent`). */
const AMAZONQ_KEYS = new Set([
  "$schema",
  "name",
  "description",
  "prompt",
  "mcpServers",
  "tools",
  "toolAliases",
  "allowedTools",
  "resources",
  "hooks",
  "toolsSettings",
  "useLegacyMcpJson",
  "model",
]);

/** Kiro's newer tags in `tools`, and the tools each stands for. */
const TAGS: Record<string, string[]> = {
  read: ["fs_read", "grep", "glob", "code"],
  write: ["fs_write"],
  shell: ["execute_bash"],
  web: ["web_search", "web_fetch"],
};

export function parseKiroAgent(path: string, text: string): Parsed<AgentManifest> {
  const what = /^\.amazonq\//i.test(path) ? WHAT.amazonq : WHAT.kiro;
  const data = parseJsonc(path, text, { strict: true, repeatedKeys: "last" });
  if (!data.ok) return ok(worstCase("kiro", what, path, `${data.error.reason}: the agent does not load`));
  const v = data.value;
  if (!isMap(v)) return ok(worstCase("kiro", what, path, "not a JSON object: the agent does not load"));
  const name = typeof v.name === "string" && v.name.trim() ? v.name.trim() : stemOf(path);
  // Amazon Q Developer CLI refuses an agent with a key it does not know (`deny_unknown_fields`).
  const unknownKeys = what === WHAT.amazonq ? Object.keys(v).filter((k) => !AMAZONQ_KEYS.has(k)) : [];
  const servers = isMap(v.mcpServers) ? serversOfMap("mcpServers", v.mcpServers) : [];
  if (typeof servers === "string") return ok(worstCase("kiro", what, path, servers, name));
  const listed = stringsOf(v.tools);
  const every = listed.includes("*");
  const tools = every ? null : [...new Set(listed.flatMap((t) => toolsOf(t)))];
  const policy = policyOf(path, v);
  return ok(
    manifest(name, {
      kind: "kiro",
      what,
      toolNames: tools,
      removed: [],
      permissionMode: null,
      inlineServers: servers,
      allServers: every || v.includeMcpJson === true || v.useLegacyMcpJson === true,
      loop: `${what.replace(/ agent$/, "")}'s agent loop (no limit is declared)`,
      policy,
      hooks: commandHooks(path, v.hooks, true),
      notes: ["Kiro loads a workspace's agents only once its user trusts the workspace: this is the workspace trusted"],
      ...(unknownKeys.length
        ? {
            notLoaded: `Amazon Q Developer CLI does not load an agent with keys it does not know (${unknownKeys.join(", ")})`,
          }
        : {}),
    }),
  );
}

/** A `tools` entry as the tools it gives: a built-in (under its one name), a tag, `@builtin`, a server's. */
function toolsOf(entry: string): string[] {
  if (entry === "@builtin") return KIRO.every().map((n) => KIRO.canonical(n));
  if (Object.hasOwn(TAGS, entry) && !KIRO.builtin(entry)) return TAGS[entry]!;
  if (entry.startsWith("@")) return [entry.includes("/") ? entry.slice(1) : `${entry.slice(1)}/*`];
  return [KIRO.canonical(entry)];
}

function policyOf(path: string, v: Record<string, unknown>): ToolPolicy {
  const policy: ToolPolicy = {
    source: path,
    tools: {},
    otherwise: {
      edit: rule("ask", "a tool allowedTools does not name asks"),
      writing: rule("ask", "a tool allowedTools does not name asks"),
      mcp: rule("ask", "a tool allowedTools does not name asks"),
    },
    commands: [],
  };
  const set = (tool: string, r: PolicyRule) => {
    for (const n of tool.includes("/") ? [tool] : KIRO.names(KIRO.canonical(tool))) policy.tools[n] = r;
  };
  for (const t of TRUSTED) set(t, rule("allow", `${t} runs without asking`));
  const settings = isMap(v.toolsSettings) ? v.toolsSettings : {};
  for (const [key, s] of Object.entries(settings)) {
    if (!isMap(s)) continue;
    const tool = KIRO.canonical(key);
    if (tool === "execute_bash")
      for (const re of stringsOf(s.allowedCommands))
        policy.commands.push({ rule: `${key}.allowedCommands ${re}`, command: commandOf(re) });
    if (tool === "fs_write" && stringsOf(s.allowedPaths).length)
      set(tool, rule("allow", `toolsSettings.${key}.allowedPaths writes there without asking`));
    if (tool === "use_aws" && (stringsOf(s.allowedServices).length || s.autoAllowReadonly === true))
      set(tool, rule("allow", `toolsSettings.${key} calls AWS without asking`));
    if (tool === "web_fetch" && stringsOf(s.trusted).length)
      set(tool, rule("allow", `toolsSettings.${key}.trusted fetches without asking`));
  }
  for (const entry of stringsOf(v.allowedTools)) {
    const why = rule("allow", `allowedTools names ${entry}`);
    if (/^@builtin(\/\*?)?$/.test(entry)) for (const n of KIRO.every()) set(n, why);
    else if (entry.startsWith("@")) set(entry.includes("/") ? entry.slice(1) : `${entry.slice(1)}/*`, why);
    else if (/[*?]/.test(entry)) {
      const re = new RegExp(
        `^${entry
          .replace(/[.+^${}()|[\]\\]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")}$`,
      );
      for (const n of KIRO.every()) if (re.test(n)) set(n, why);
    } else set(entry, why);
  }
  permissionRules(v.permissions, set, policy);
  return policy;
}

/** Kiro's `permissions` rules: for each capability, deny over ask over allow; a shell rule with `match` pre-approves commands. */
function permissionRules(rules: unknown, set: (tool: string, r: PolicyRule) => void, policy: ToolPolicy): void {
  if (!Array.isArray(rules)) return;
  const rank = { allow: 0, ask: 1, deny: 2 } as const;
  const best = new Map<string, PolicyRule & { rank: number }>();
  const CAPS: Record<string, string[]> = {
    fs_read: ["fs_read"],
    fs_write: ["fs_write"],
    shell: ["execute_bash"],
    web_fetch: ["web_fetch"],
    web_search: ["web_search"],
    builtin: KIRO.every(),
    all: KIRO.every(),
  };
  for (const r of rules) {
    if (
      !isMap(r) ||
      typeof r.capability !== "string" ||
      !(r.effect === "allow" || r.effect === "ask" || r.effect === "deny")
    )
      continue;
    const match = typeof r.match === "string" ? [r.match] : stringsOf(r.match);
    if (r.capability === "shell" && r.effect === "allow" && match.length) {
      for (const m of match) policy.commands.push({ rule: `permissions shell ${m}`, command: m });
      continue;
    }
    const tools = r.capability === "mcp" ? (match.length ? match : ["*"]) : (CAPS[r.capability] ?? []);
    for (const t of tools) {
      const key = r.capability === "mcp" ? (t === "*" ? "mcp" : t) : t;
      const prev = best.get(key);
      if (!prev || rank[r.effect] > prev.rank)
        best.set(key, { ...rule(r.effect, `permissions: ${r.capability} ${r.effect}`), rank: rank[r.effect] });
    }
  }
  for (const [key, r] of best) {
    const plain = { answer: r.answer, why: r.why };
    if (key === "mcp") policy.otherwise.mcp = plain;
    else set(key, plain);
  }
}

/** The command an `allowedCommands` regular expression starts with (`git status.*` → `git status*`). */
function commandOf(re: string): string {
  return re
    .replace(/^\^|\$$|^\\A|\\z$/g, "")
    .replace(/\.\*/g, "*")
    .replace(/\\(.)/g, "$1");
}
