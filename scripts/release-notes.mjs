// Prints the CHANGELOG.md section of a version (`node scripts/release-notes.mjs v1.2.3`), for the
// release's notes. Exits 1 when the changelog has no section for it: a release says what changed.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const version = (process.argv[2] ?? "").replace(/^v/, "");
if (!/^\d+\.\d+\.\d+$/.test(version)) {
  console.error("usage: node scripts/release-notes.mjs vMAJOR.MINOR.PATCH");
  process.exit(2);
}
const lines = readFileSync(join(root, "CHANGELOG.md"), "utf8").split("\n");
const start = lines.findIndex((l) => l.startsWith(`## [${version}]`));
if (start < 0) {
  console.error(`CHANGELOG.md has no section "## [${version}]"`);
  process.exit(1);
}
const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
process.stdout.write(
  lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join("\n")
    .trim() + "\n",
);
