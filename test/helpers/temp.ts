import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A new folder in the run's temporary folder, removed with it when the run ends (the suite's
 * global setup, test/setup/build-cli.ts, gives every test process its own `TMPDIR`).
 */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
