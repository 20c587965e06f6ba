// What the bundled action costs before it does any work: the size of dist/index.js and the time
// from process start to its first line of output, on Node 24 (GitHub's runtime) and this Node.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bundle = join(root, "dist", "index.js");
const dir = mkdtempSync(join(tmpdir(), "capgate-cost-"));
const eventPath = join(dir, "event.json");
writeFileSync(eventPath, "{}");
writeFileSync(join(dir, "out"), "");

function firstLine(node) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(node, [bundle], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_NAME: "unsupported_event",
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_OUTPUT: join(dir, "out"),
        INPUT_TOKEN: "x",
        GITHUB_WORKSPACE: dir,
      },
    });
    let done = false;
    child.stdout.once("data", () => {
      done = true;
      resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
    child.on("error", reject);
    child.on("close", () => done || reject(new Error("no output")));
  });
}

const runtimes = [["this node", process.execPath]];
const node24 = join(root, "node_modules", "node", "bin", "node");
if (existsSync(node24)) runtimes.unshift(["node 24", node24]);
console.log(`dist/index.js: ${(statSync(bundle).size / 1e6).toFixed(2)} MB (target < 2 MB)`);
for (const [name, node] of runtimes) {
  await firstLine(node); // warm the file cache
  const times = [];
  for (let i = 0; i < 15; i++) times.push(await firstLine(node));
  times.sort((a, b) => a - b);
  console.log(
    `${name}: first log line after ${times[7].toFixed(0)} ms median, ${times[0].toFixed(0)}–${times[14].toFixed(0)} ms (target < 150 ms)`,
  );
}
