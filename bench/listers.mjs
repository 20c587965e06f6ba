// The two path listers the benchmark measures beside capgate (bench/listers/README.md): each run
// as the runner runs a JavaScript action — `node index.js` with its inputs as INPUT_* variables
// (action.yml's defaults, then the inputs given), a pull_request event file and GITHUB_OUTPUT.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const here = join(dirname(fileURLToPath(import.meta.url)), "listers");

/** The listers: their folder and the inputs that make each list the artifact folders' changes. */
export const LISTERS = {
  "dorny/paths-filter": {
    dir: "paths-filter",
    inputs: ({ globs }) => ({ token: "", filters: `artifacts:\n${globs.map((g) => `  - '${g}'`).join("\n")}\n` }),
  },
  "tj-actions/changed-files": {
    dir: "changed-files",
    inputs: ({ globs, base, head }) => ({ token: "", files: globs.join("\n"), base_sha: base, sha: head }),
  },
};

/** The runner's name for an input's variable: INPUT_ and the name upper-cased, spaces as `_`. */
const inputVar = (name) => `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;

/**
 * The command and environment that run `name` in the checkout `repo` for the pull request from
 * `base` to `head` (both commit ids), with its event and output files in `scratch`.
 */
export function listerCommand(name, { repo, scratch, base, head, globs }) {
  const lister = LISTERS[name];
  const dir = join(here, lister.dir);
  const meta = parse(readFileSync(join(dir, "action.yml"), "utf8"));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_REPOSITORY: "acme/monorepo",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_WORKSPACE: repo,
    GITHUB_SHA: head,
    GITHUB_REF: "refs/pull/1/merge",
    GITHUB_BASE_REF: "main",
    GITHUB_HEAD_REF: "pr",
    RUNNER_TEMP: scratch,
  };
  for (const [key, spec] of Object.entries(meta.inputs ?? {})) {
    const d = spec?.default;
    // Expression defaults (`${{ github.token }}`) have no value off a runner.
    if (d !== undefined && !String(d).includes("${{")) env[inputVar(key)] = String(d);
  }
  for (const [key, value] of Object.entries(lister.inputs({ globs, base, head }))) env[inputVar(key)] = value;
  const event = join(scratch, `${lister.dir}-event.json`);
  writeFileSync(
    event,
    JSON.stringify({
      action: "synchronize",
      number: 1,
      pull_request: { number: 1, base: { sha: base, ref: "main" }, head: { sha: head, ref: "pr" } },
      repository: { default_branch: "main", full_name: "acme/monorepo" },
    }),
  );
  env.GITHUB_EVENT_PATH = event;
  env.GITHUB_OUTPUT = join(scratch, `${lister.dir}-output`);
  writeFileSync(env.GITHUB_OUTPUT, "");
  return { file: process.execPath, args: [join(dir, "index.js")], env, output: env.GITHUB_OUTPUT };
}
