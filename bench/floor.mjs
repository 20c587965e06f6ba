// The floor a check is measured against: what any tool that looks at a change does at least, from
// Node — start, diff the two revisions, read every changed blob at both — as one process.
// Usage (in the repository): node bench/floor.mjs BASE HEAD; prints how many blobs and bytes it read.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A diff of two trees needs no index, which `git diff-tree` would read whole: it is given none.
const scratch = mkdtempSync(join(tmpdir(), "floor-"));
const NO_INDEX = { ...process.env, GIT_INDEX_FILE: join(scratch, "no-index") };

function git(args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["pipe", "pipe", "inherit"], env: NO_INDEX });
    const out = [];
    child.stdout.on("data", (d) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`git ${args[0]}: exit ${code}`)),
    );
    // A git that does not read its input (diff-tree) may exit before it is written: that is no failure.
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

const [base, head] = process.argv.slice(2);
const diff = (await git(["diff-tree", "-r", "-z", "--raw", "-M", base, head])).toString("utf8");
const oids = new Set();
for (const rec of diff.split("\0")) {
  if (!rec.startsWith(":")) continue;
  const [oldMode, newMode, oldOid, newOid] = rec.slice(1).split(" ");
  if (!/^0+$/.test(oldOid) && oldMode.startsWith("10")) oids.add(oldOid);
  if (!/^0+$/.test(newOid) && newMode.startsWith("10")) oids.add(newOid);
}
const blobs = await git(["cat-file", "--batch"], [...oids].join("\n") + "\n");
rmSync(scratch, { recursive: true, force: true });
process.stdout.write(`${oids.size} blobs, ${blobs.length} bytes\n`);
