// Builds the bundled example repository (example/) in a temporary folder and runs `capgate check`
// on its two pull requests: one the gate must block, one it must pass. Needs no network.
// Usage: node scripts/example.mjs [--keep] [--records DIR]
//   --keep         keep the example repository
//   --records DIR  also write each check's decision record to DIR/<pull request>.json (the build
//                  replays the two in scripts/warm/ to compile the bundles ahead: decision 24)
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cli = process.env.CAPGATE_CLI ?? join(root, "dist", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "capgate-example-"));
const keep = process.argv.includes("--keep");
const recordsAt = process.argv.indexOf("--records");
const records = recordsAt > 0 ? process.argv[recordsAt + 1] : null;
if (recordsAt > 0 && !records) throw new Error("--records needs a folder");

const git = (...args) =>
  execFileSync("git", args, {
    cwd: dir,
    encoding: "utf8",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "dave",
      GIT_AUTHOR_EMAIL: "dave@example.com",
      GIT_COMMITTER_NAME: "dave",
      GIT_COMMITTER_EMAIL: "dave@example.com",
    },
  }).trim();

function overlay(from) {
  for (const entry of readdirSync(from, { recursive: true })) {
    const src = join(from, entry);
    if (statSync(src).isDirectory()) continue;
    const dest = join(dir, entry);
    if (readFileSync(src, "utf8").trim() === "__delete__") rmSync(dest, { force: true });
    else {
      mkdirSync(dirname(dest), { recursive: true });
      cpSync(src, dest);
    }
  }
}

function results(suite, spec, head) {
  const cases = spec.pass.map((p, i) => ({
    id: `${suite}-${i + 1}`,
    pass: p === 1,
    ...(spec.tags[i] ? { tags: spec.tags[i] } : {}),
  }));
  return { capgate: "results/v1", suite, commit: head, cases };
}

git("init", "-q", "-b", "main");
overlay(join(root, "example", "base"));
git("add", "-A");
git("commit", "-q", "-m", "support bot with order lookup");

const expected = { "refund-unconfirmed": 1, "refund-confirmed": 0 };
let ok = true;
for (const [name, want] of Object.entries(expected)) {
  git("checkout", "-q", "-b", name, "main");
  overlay(join(root, "example", "pulls", name));
  git("add", "-A");
  git("commit", "-q", "-m", name);
  const head = git("rev-parse", "HEAD");
  const evidence = JSON.parse(readFileSync(join(root, "example", "pulls", `${name}.evidence.json`), "utf8"));
  // The eval step of the job writes its results into the workspace, untracked.
  rmSync(join(dir, "eval-results"), { recursive: true, force: true });
  for (const [suite, spec] of Object.entries(evidence.results)) {
    mkdirSync(join(dir, "eval-results"), { recursive: true });
    writeFileSync(join(dir, "eval-results", `${suite}.json`), JSON.stringify(results(suite, spec, head), null, 2));
  }
  const approvals = join(dir, "..", `${name}-${process.pid}.approvals.json`);
  writeFileSync(
    approvals,
    JSON.stringify(
      {
        author: evidence.author,
        reviews: evidence.reviews.map((r) => ({ ...r, commit_id: head })),
        teams: evidence.teams,
      },
      null,
      2,
    ),
  );
  console.log(`\n$ capgate check --base main --head ${name} --approvals ${name}.approvals.json`);
  const record = records ? ["--record", join(records, `${name}.json`)] : [];
  const args = [cli, "check", "--base", "main", "--head", name, "--approvals", approvals, ...record];
  const run = spawnSync(process.execPath, args, { cwd: dir, encoding: "utf8" });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  console.log(`(exit ${run.status}; expected ${want})`);
  if (run.status !== want) ok = false;
  rmSync(approvals, { force: true });
  rmSync(join(dir, "eval-results"), { recursive: true, force: true });
  git("checkout", "-q", "main");
}
if (keep) console.log(`\nexample repository kept at ${dir}`);
else rmSync(dir, { recursive: true, force: true });
if (!ok) {
  console.error("\nexample: a decision differed from what the example expects");
  process.exit(1);
}
console.log("\nexample: the unconfirmed refund tool was blocked; the confirmed one with full evidence passed");
