import { parse as shellParse } from "shell-quote";
import type { AgentManifest, ClaudeSettingsDoc } from "../../artifact/types.js";
import { ok, type Parsed } from "../../parse/result.js";
import { manifest, worstCase } from "../declare.js";
import { mergeSettings, readSettings } from "../claude-code/settings.js";
import { expressions, input, type AgentStep } from "./steps.js";

/**
 * A workflow step running `anthropics/claude-code-action` (or its base action): Claude Code with
 * the repository's settings and the step's arguments, and nobody to answer — what would be asked
 * is refused, what is allowed runs unasked. As the action reads its inputs (v1, `action.yml`,
 * `base-action/src/parse-sdk-options.ts`; the legacy inputs of `@beta` and `@v0`):
 * - `claude_args` is split as a shell splits it; `--allowedTools`/`--disallowedTools` add up,
 *   `--permission-mode` keeps its last value, `--dangerously-skip-permissions` bypasses every question;
 * - with a `prompt` it runs in agent mode and adds no tools; without one (an `@claude` mention) in
 *   tag mode, which reads files, commits and pushes, and accepts edits;
 * - `settings` (JSON) is read over the repository's settings;
 * - `allowed_tools`, `disallowed_tools`, `mode` are read only by `@beta`/`@v0`; v1 ignores them.
 */

const WHAT = "Claude Code run by a workflow step";

/** What tag mode allows itself (v1: `src/modes/tag/index.ts`; its git push runs through a script of the action's). */
const TAG_TOOLS = [
  "Glob",
  "Grep",
  "LS",
  "Read",
  "mcp__github_comment__update_claude_comment",
  "Bash(git add:*)",
  "Bash(git commit:*)",
  "Bash(git push:*)",
  "Bash(git rm:*)",
];
/** What `@beta`/`@v0` allowed in every mode, and the git commands of its tag mode. */
const LEGACY_TOOLS = ["Edit", "MultiEdit", "Glob", "Grep", "LS", "Read", "Write"];
const LEGACY_TAG_TOOLS = [
  "mcp__github_comment__update_claude_comment",
  "Bash(git add:*)",
  "Bash(git commit:*)",
  "Bash(git push:*)",
  "Bash(git status:*)",
  "Bash(git diff:*)",
  "Bash(git log:*)",
  "Bash(git rm:*)",
];
const LEGACY_INPUTS = [
  "allowed_tools",
  "disallowed_tools",
  "mode",
  "custom_instructions",
  "direct_prompt",
  "mcp_config",
];

export function claudeCodeStep(step: AgentStep): Parsed<AgentManifest> {
  const name = step.path;
  const worst = (why: string) => ok(unattended(worstCase("claude-code", WHAT, step.path, why, name), step));
  const legacy = /^(beta|v0)(\.|$)/i.test(step.ref);
  const unknown = expressions(step, [
    "claude_args",
    "settings",
    ...(legacy ? ["allowed_tools", "disallowed_tools", "mode"] : []),
  ]);
  if (unknown.length) return worst(`${unknown.join(", ")} filled in at run time (\${{ … }})`);
  const plugins = ["plugins", "plugin_marketplaces"].filter((n) => (input(step, n) ?? "").trim());
  if (plugins.length) return worst(`${plugins.join(", ")} installs plugins capgate cannot see`);
  const args = claudeArgs(input(step, "claude_args") ?? "");
  const prompt = (input(step, "prompt") ?? (legacy ? (input(step, "direct_prompt") ?? "") : "")).trim();
  const { allow, deny, mode, notes } = permissionsOf(step, args, prompt, legacy);
  let own: ClaudeSettingsDoc = mergeSettings([]);
  const settingsInput = input(step, "settings");
  if (settingsInput !== undefined && settingsInput.trim()) {
    if (!/^\s*\{/.test(settingsInput))
      return worst(`its settings are the file ${settingsInput.trim()}, read at run time`);
    const read = readSettings(`${step.path} settings`, settingsInput);
    if (!read.ok) return worst(read.error.reason);
    own = read.value;
  }
  const settings = mergeSettings([own, { ...mergeSettings([]), allow, deny, defaultMode: mode }]);
  // The action turns on every server of the repository's `.mcp.json`; their tools still need allowing.
  settings.enableAllProjectMcpServers = true;
  const tagged = step.action === "anthropics/claude-code-action" ? `, ${prompt ? "agent" : "tag"} mode` : "";
  const m = manifest(name, {
    kind: "claude-code",
    what: `${WHAT} (${step.action}${step.ref ? `@${step.ref}` : ""}${tagged})`,
    toolNames: null,
    removed: deny,
    permissionMode: mode,
    inlineServers: [],
    allServers: true,
    loop: args.maxTurns ? `a loop of up to ${args.maxTurns} turns (--max-turns)` : "an unlimited loop",
    settings: { ...settings, files: [step.path] },
    ...(notes.length ? { notes } : {}),
  });
  return ok(unattended(m, step));
}

/** What the step allows, takes away and runs in, with what the action adds itself in each mode and version. */
function permissionsOf(
  step: AgentStep,
  args: ReturnType<typeof claudeArgs>,
  prompt: string,
  legacy: boolean,
): { allow: string[]; deny: string[]; mode: string | null; notes: string[] } {
  const notes: string[] = [];
  let allow = [...args.allow];
  const deny = [...args.deny];
  let mode = args.mode;
  if (legacy) {
    const listed = (n: string) =>
      (input(step, n) ?? "")
        .split(/[,\n]/)
        .map((t) => t.replace(/#.*$/, "").trim())
        .filter(Boolean);
    // The base action adds no tools of its own: only what the step allows.
    const base = step.action === "anthropics/claude-code-base-action";
    const legacyMode = input(step, "mode") ?? "tag";
    if (!base) allow.push(...LEGACY_TOOLS, ...(legacyMode === "tag" ? LEGACY_TAG_TOOLS : []));
    allow.push(...listed("allowed_tools"));
    deny.push(...(base ? [] : ["WebSearch", "WebFetch"]), ...listed("disallowed_tools"));
  } else {
    const ignored = LEGACY_INPUTS.filter((n) => input(step, n) !== undefined);
    if (ignored.length)
      notes.push(`${ignored.join(", ")}: inputs of @beta and @v0 that ${step.ref || "this version"} ignores`);
    if (!prompt && step.action === "anthropics/claude-code-action") {
      allow = [...TAG_TOOLS, ...allow];
      mode ??= "acceptEdits";
    }
  }
  return { allow, deny, mode, notes };
}

function unattended(m: AgentManifest, step: AgentStep): AgentManifest {
  m.runtime!.unattended = `run by ${step.workflow} (job ${step.job}) in CI, where nobody is there to answer: what would be asked is refused`;
  return m;
}

/** The flags whose every word up to the next flag is a value, and whose values add up. */
const ADDING = new Set([
  "--allowedTools",
  "--allowed-tools",
  "--disallowedTools",
  "--disallowed-tools",
  "--mcp-config",
  "--add-dir",
]);

/** `claude_args` as the action reads it: whole-line comments dropped, split as a shell splits it. */
export function claudeArgs(text: string): {
  allow: string[];
  deny: string[];
  mode: string | null;
  maxTurns: number | null;
} {
  const lines = text.split(/\r?\n/).filter((l) => !/^\s*#/.test(l));
  // The action escapes what a shell would read as an operator, so `Bash(gh:*)` stays one word.
  const words = shellParse(escapeOperators(lines.join(" "))).map((w) =>
    typeof w === "string" ? w : "pattern" in w ? w.pattern : "op" in w ? w.op : String(w),
  );
  const out = {
    allow: [] as string[],
    deny: [] as string[],
    mode: null as string | null,
    maxTurns: null as number | null,
  };
  for (let i = 0; i < words.length; i++) {
    const flag = words[i]!;
    const eq = flag.indexOf("=");
    const key = eq > 0 && flag.startsWith("--") ? flag.slice(0, eq) : flag;
    const values: string[] = [];
    if (eq > 0 && flag.startsWith("--")) values.push(flag.slice(eq + 1));
    else if (ADDING.has(key)) while (i + 1 < words.length && !words[i + 1]!.startsWith("--")) values.push(words[++i]!);
    else if (key !== "--dangerously-skip-permissions" && i + 1 < words.length && !words[i + 1]!.startsWith("--"))
      values.push(words[++i]!);
    const list = values
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    if (key === "--allowedTools" || key === "--allowed-tools") out.allow.push(...list);
    else if (key === "--disallowedTools" || key === "--disallowed-tools") out.deny.push(...list);
    else if (key === "--permission-mode" && values.length) out.mode = values[values.length - 1]!;
    else if (key === "--dangerously-skip-permissions") out.mode = "bypassPermissions";
    else if (key === "--max-turns" && /^\d+$/.test(values[0] ?? "")) out.maxTurns = Number(values[0]);
  }
  return out;
}

/** Shell operators outside quotes escaped, so a shell-like split keeps them in their word. */
function escapeOperators(text: string): string {
  let out = "";
  let quote: string | null = null;
  for (const c of text) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ("()|&;<>".includes(c)) {
      out += `\\${c}`;
      continue;
    }
    out += c;
  }
  return out;
}
