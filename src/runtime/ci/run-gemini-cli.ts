import { isMap } from "../../artifact/prompt.js";
import type { AgentManifest } from "../../artifact/types.js";
import { parseJsonc } from "../../parse/jsonc.js";
import { ok, type Parsed } from "../../parse/result.js";
import { worstCase } from "../declare.js";
import { geminiAgent } from "../gemini/settings.js";
import { expressions, input, type AgentStep } from "./steps.js";

/**
 * A workflow step running `google-github-actions/run-gemini-cli`: `gemini --yolo` (every call
 * runs unasked, less what the settings refuse) under the step's `settings`, written over
 * `.gemini/settings.json`, or the repository's own settings when the step gives none
 * (`action.yml`). `extensions` installs extensions capgate cannot see.
 */
const WHAT = "Gemini CLI run by a workflow step";

export function geminiStep(step: AgentStep, repoSettings: () => string | null): Parsed<AgentManifest> {
  const what = `${WHAT} (${step.action}${step.ref ? `@${step.ref}` : ""})`;
  const unknown = expressions(step, ["settings", "extensions"]);
  if (unknown.length)
    return ok(
      worstCase("gemini", what, step.path, `${unknown.join(", ")} filled in at run time (\${{ … }})`, step.path),
    );
  if ((input(step, "extensions") ?? "").trim())
    return ok(worstCase("gemini", what, step.path, "extensions installs extensions capgate cannot see", step.path));
  const given = (input(step, "settings") ?? "").trim();
  const text = given || repoSettings() || "{}";
  const data = parseJsonc(`${step.path} settings`, text, { trailingCommas: false, repeatedKeys: "last" });
  if (!data.ok || !isMap(data.value))
    return ok(
      worstCase(
        "gemini",
        what,
        step.path,
        data.ok ? "its settings are not a JSON object" : data.error.reason,
        step.path,
      ),
    );
  const why = `run by ${step.workflow} (job ${step.job}) in CI with --yolo: every call runs without asking`;
  const m = geminiAgent(step.path, step.path, what, data.value, why);
  m.runtime!.unattended = why;
  return ok(m);
}
