import * as core from "@actions/core";
import { oneLine } from "../report/inert.js";
import { runAction } from "./run.js";

/**
 * The GitHub Action door: the runner's contract through @actions/core, the decision from the
 * engine. Sets the process's exit code; never throws.
 */
export async function run(): Promise<void> {
  try {
    process.exitCode = await runAction({
      env: process.env,
      // Log lines carry repository text: one line each, so none can start a workflow command.
      info: (m) => core.info(oneLine(m, 100_000)),
      warning: (m, p) => core.warning(m, p ?? {}),
      error: (m, p) => core.error(m, p ?? {}),
      setOutput: (n, v) => core.setOutput(n, v),
      summary: async (md) => {
        await core.summary.addRaw(md).write({ overwrite: true });
      },
    });
  } catch (e) {
    // Nothing escapes undecided: whatever was thrown, the step fails.
    process.stdout.write(`::error title=capgate::capgate failed before deciding: ${oneLine(String(e))}\n`);
    process.exitCode = 1;
  }
}
