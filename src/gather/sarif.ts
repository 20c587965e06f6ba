import type { Decision } from "../decision/decision.js";
import type { Git } from "../git/git.js";
import type { DecisionInput } from "../input/types.js";
import { lineFinder, toSarif, type SarifLog } from "../report/sarif.js";

/**
 * The decision as SARIF, its results at the lines of the files the decision read (the config's
 * own text read from its blob), for `check --format sarif` and the action's `sarif` output.
 */
export async function sarifOf(
  decision: Decision,
  input: DecisionInput,
  git: Git,
  configBlob: string,
  version: string,
): Promise<SarifLog> {
  let configText: string | null = null;
  if (/^[0-9a-f]{40,64}$/.test(configBlob))
    configText = await git.text(["cat-file", "blob", configBlob]).catch(() => null);
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
