// A lower bound for any gate that reads the YAML it gates, measured beside the floor: the floor's
// work (Node starting, the diff, every changed blob at both revisions), plus listing the agent
// manifests at head and parsing, with the `yaml` library, every changed YAML file and Markdown
// frontmatter at both revisions and every manifest that names a changed path. No decision, no
// validation, no report. bench/run.mjs bundles this file (as it bundles capgate) before timing it.
// With --read-only, no manifest is parsed (only the changed files are): what listing, reading and
// decoding the manifests costs.
// Usage (in the repository): node parse-floor.mjs BASE HEAD AGENTS_FOLDER [--read-only]; prints what it parsed.
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";

// A diff of two trees needs no index, which `git diff-tree` would read whole: it is given none.
const scratch = mkdtempSync(join(tmpdir(), "parse-floor-index-"));
const NO_INDEX = { ...process.env, GIT_INDEX_FILE: join(scratch, "no-index") };
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

/** git's output, through a pipe, or (`spool`) through a temporary file: far fewer wake-ups for megabytes. */
function git(args, input, spool = false) {
  const dir = spool ? mkdtempSync(join(tmpdir(), "parse-floor-")) : null;
  const fd = dir ? openSync(join(dir, "out"), "w+") : null;
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, { stdio: ["pipe", fd ?? "pipe", "inherit"], env: NO_INDEX });
    const out = [];
    child.stdout?.on("data", (d) => out.push(d));
    child.on("error", reject);
    child.on("close", (code) => {
      let bytes = Buffer.concat(out);
      if (dir) {
        closeSync(fd);
        bytes = readFileSync(join(dir, "out"));
        rmSync(dir, { recursive: true, force: true });
      }
      if (code === 0) resolve(bytes);
      else reject(new Error(`git ${args[0]}: exit ${code}`));
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

/** `cat-file --batch` replies, in order. */
function contents(buf) {
  const out = [];
  for (let at = 0; at < buf.length;) {
    const nl = buf.indexOf(10, at);
    const [, type, field] = buf.toString("latin1", at, nl).split(" ");
    const size = Number(field);
    if (type !== "blob" || !Number.isInteger(size))
      throw new Error(`cat-file answered "${buf.toString("latin1", at, nl)}"`);
    out.push(buf.toString("utf8", nl + 1, nl + 1 + size));
    at = nl + 2 + size;
  }
  return out;
}

function yamlOf(path, text) {
  if (/\.ya?ml$/.test(path)) return text;
  if (!/\.md$/.test(path)) return null;
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  return m ? m[1] : null;
}

const [base, head, agentsFolder, mode] = process.argv.slice(2);
const readOnly = mode === "--read-only";
const [diff, listing] = await Promise.all([
  git(["diff-tree", "-r", "-z", "--raw", "-M", base, head]),
  git(["ls-tree", "-r", "-z", head, "--", agentsFolder]),
]);
const changed = new Set();
const blobs = [];
const recs = diff.toString("utf8").split("\0");
for (let i = 0; i < recs.length; i++) {
  if (!recs[i].startsWith(":")) continue;
  const [oldMode, newMode, oldOid, newOid, status] = recs[i].slice(1).split(" ");
  // A rename or copy names its old path, then its new one.
  const oldPath = recs[i + 1];
  const path = recs[(i += /^[RC]/.test(status) ? 2 : 1)];
  changed.add(oldPath).add(path);
  if (!/^0+$/.test(oldOid) && oldMode.startsWith("10")) blobs.push({ path: oldPath, oid: oldOid, changed: true });
  if (!/^0+$/.test(newOid) && newMode.startsWith("10")) blobs.push({ path, oid: newOid, changed: true });
}
for (const rec of listing.toString("utf8").split("\0")) {
  const tab = rec.indexOf("\t");
  const [mode, type, oid] = rec.slice(0, tab).split(" ");
  // Blobs only: a link or a submodule where a manifest goes is no manifest to read.
  if (tab > 0 && type === "blob" && mode !== "120000" && !changed.has(rec.slice(tab + 1)))
    blobs.push({ path: rec.slice(tab + 1), oid, changed: false });
}
// As capgate reads rounds of 2,000 blobs or more: two spooled readers, git inflating on two cores.
const parts = blobs.length >= 2000 ? [blobs.slice(0, blobs.length >> 1), blobs.slice(blobs.length >> 1)] : [blobs];
const read = (part) => git(["cat-file", "--batch", "--buffer"], part.map((b) => b.oid).join("\n") + "\n", true);
const texts = (await Promise.all(parts.map(read))).flatMap(contents);
// A manifest is parsed when one of its path-like tokens is a changed path.
const namesChange = (text) => text.split(/[^\w./-]+/).some((token) => changed.has(token));
if (texts.length !== blobs.length) throw new Error(`read ${texts.length} of ${blobs.length} blobs`);
let documents = 0;
texts.forEach((text, i) => {
  const yaml = yamlOf(blobs[i].path, text);
  if (yaml === null || (!blobs[i].changed && (readOnly || !namesChange(text)))) return;
  parseDocument(yaml).toJS();
  documents++;
});
process.stdout.write(`${texts.length} blobs, ${documents} YAML documents parsed\n`);
