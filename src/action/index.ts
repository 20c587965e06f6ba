// The action's bundle (dist/index.bundle.js), which dist/index.js — what action.yml runs — starts.
import { replayRecord } from "../cli/record.js";
import { toMarkdown } from "../report/markdown.js";
import { run } from "./main.js";

/** The action, on its runner's environment. */
export function start(): void {
  // No top-level await: the bundle is CommonJS, which Node loads faster than a module.
  void run();
}

/**
 * The build's run of the action before its code is kept (decision 24): each decision record
 * decided again offline and its job summary made. Nothing is written, nothing is asked of GitHub.
 */
export function warm(records: readonly string[]): Promise<void> {
  for (const record of records) toMarkdown(replayRecord(record));
  return Promise.resolve();
}
