import type { Decision } from "../decision/decision.js";
import type { DecisionInput } from "../input/types.js";
import { lineFinder, toSarif, type SarifLog } from "../report/sarif.js";

/**
 * The decision as SARIF, its results at the lines of the files the decision read (the committed
 * config's own text as it was read), for `check --format sarif` and the action's `sarif` output.
 */
export function sarifOf(
  decision: Decision,
  input: DecisionInput,
  configText: string | null,
  version: string,
): SarifLog {
  const texts = (path: string): string | null => {
    if (path === input.config.path && configText !== null) return configText;
    for (const side of [input.head, input.base]) {
      const f = side.files.get(path);
      if (f?.state === "file") return f.text;
    }
    return null;
  };
  return toSarif(decision, lineFinder(texts), version);
}
