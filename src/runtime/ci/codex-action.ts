import { parse as shellParse } from "shell-quote";
import type { AgentManifest } from "../../artifact/types.js";
import { isMap } from "../../artifact/prompt.js";
import { FORBIDDEN_KEYS } from "../../parse/document.js";
import { ok, type Parsed } from "../../parse/result.js";
import { parseToml } from "../../parse/toml.js";
import { codexAgent } from "../codex/config.js";
import { worstCase } from "../declare.js";
import { expressions, input, type AgentStep } from "./steps.js";

/**
 * A workflow step running `openai/codex-action`: `codex exec`, which never asks (its approval
 * policy is `never`), in the sandbox the step names (`action.yml`, `src/runCodexExec.ts`):
 * `sandbox` (workspace-write unless set), `safety-strategy: read-only` forcing a read-only
 * sandbox, `codex-args` whose `--full-auto` or `--dangerously-bypass-approvals-and-sandbox` widen
 * it, `permission-profile` naming a built-in profile.
 */
const WHAT = "Codex run by a workflow step";

export function codexStep(step: AgentStep): Parsed<AgentManifest> {
  const what = `${WHAT} (${step.action}${step.ref ? `@${step.ref}` : ""})`;
  const unknown = expressions(step, ["sandbox", "safety-strategy", "codex-args", "permission-profile", "codex-home"]);
  if (unknown.length)
    return ok(
      worstCase("codex", what, step.path, `${unknown.join(", ")} filled in at run time (\${{ … }})`, step.path),
    );
  if (input(step, "codex-home") !== undefined)
    return ok(worstCase("codex", what, step.path, "codex-home names a config capgate does not read", step.path));
  const args = codexArgs(input(step, "codex-args") ?? "");
  let sandbox = input(step, "sandbox")?.trim() || "workspace-write";
  const profile = input(step, "permission-profile")?.trim();
  const v: Record<string, unknown> = { approval_policy: "never" };
  if (profile) v.default_permissions = profile;
  if (input(step, "safety-strategy")?.trim() === "read-only") sandbox = "read-only";
  if (args.includes("--full-auto")) sandbox = "workspace-write";
  if (args.includes("--dangerously-bypass-approvals-and-sandbox") || args.includes("--yolo"))
    sandbox = "danger-full-access";
  if (!profile) v.sandbox_mode = sandbox;
  // `-c key=value` overrides the config as `codex exec` reads it (the action's `--sandbox` comes last).
  for (const [key, value] of configOverrides(args))
    if (key !== "sandbox_mode" && key !== "approval_policy") setPath(v, key.split("."), value);
  const m = codexAgent(step.path, step.path, what, v, unattended(step));
  m.runtime!.unattended = unattended(step);
  return ok(m);
}

const unattended = (step: AgentStep) =>
  `run by ${step.workflow} (job ${step.job}) in CI with approval_policy = "never": nobody is asked`;

/** `codex-args`: a JSON list when it starts with `[`, else split as a shell splits it. */
function codexArgs(text: string): string[] {
  const t = text.trim();
  if (t.startsWith("[")) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) return v.map(String);
    } catch {
      // Not JSON: read as words.
    }
  }
  return shellParse(t).map((w) => (typeof w === "string" ? w : JSON.stringify(w)));
}

/** The `-c key=value` / `--config key=value` pairs of `codex-args`, each value read as TOML, else as text. */
function configOverrides(args: readonly string[]): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const pair = a === "-c" || a === "--config" ? args[++i] : a.startsWith("--config=") ? a.slice(9) : undefined;
    if (pair === undefined) continue;
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    const read = parseToml("codex-args", `value = ${raw}\n`);
    out.push([key, read.ok ? read.value.value : raw]);
  }
  return out;
}

/** Sets a dotted key in a config, making the tables on the way. */
function setPath(v: Record<string, unknown>, keys: string[], value: unknown): void {
  let at = v;
  for (const k of keys.slice(0, -1)) {
    if (FORBIDDEN_KEYS.has(k)) return;
    if (!isMap(at[k])) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1]!;
  if (!FORBIDDEN_KEYS.has(last)) at[last] = value;
}
