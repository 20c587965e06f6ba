import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the suite's build goes: dist/ as scripts/build.mjs makes it, from the current sources. */
const BUILD_DIR = join(process.cwd(), "node_modules", ".cache", "capgate-test");

/** The CLI and the action bundled from the current sources, so process tests never run a stale dist/. */
export const CLI_BUNDLE = join(BUILD_DIR, "dist", "cli.js");
export const ACTION_BUNDLE = join(BUILD_DIR, "dist", "index.js");

export default function setup(): () => void {
  // Every temporary folder of the run — the tests', and those of the git and capgate processes they
  // start — is made in one folder of its own, removed when the run ends (the test processes end
  // without running exit handlers, so folders they were to remove stayed behind).
  const scratch = mkdtempSync(join(tmpdir(), "capgate-suite-"));
  process.env.TMPDIR = scratch;
  mkdirSync(BUILD_DIR, { recursive: true });
  // The suite starts processes hundreds of times: Node (22 and later) keeps the compiled code of the
  // modules its loader loads here between starts. The product never uses Node's compile cache
  // (decision 17); its bundles load with the code the build compiled for them (decision 24).
  process.env.NODE_COMPILE_CACHE ??= join(BUILD_DIR, "compile-cache");
  // The very build of dist/ (its bundles and the modules it vendors), into the suite's own folder.
  execFileSync(process.execPath, [join(process.cwd(), "scripts", "build.mjs")], {
    env: { ...process.env, CAPGATE_BUILD_DIR: BUILD_DIR },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return () => rmSync(scratch, { recursive: true, force: true });
}
