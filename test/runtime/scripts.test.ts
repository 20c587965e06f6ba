import { describe, expect, it } from "vitest";
import { scriptsOf } from "../../src/runtime/scripts.js";

/** What a hook's or a workflow step's command runs from the repository, and what it only reads. */
describe("scriptsOf", () => {
  const CLAUDE = { CLAUDE_PROJECT_DIR: "", CLAUDE_PLUGIN_ROOT: "plugins/sg" };

  it("takes a program named by a path, with the variables that name the repository's folders put in", () => {
    expect(scriptsOf('"$CLAUDE_PROJECT_DIR"/.claude/hooks/setup', CLAUDE)).toEqual([".claude/hooks/setup"]);
    expect(scriptsOf("./scripts/release && echo done")).toEqual(["scripts/release"]);
    expect(scriptsOf("FOO=1 sudo ./bin/deploy --prod")).toEqual(["bin/deploy"]);
  });

  it("takes the file an interpreter runs, and any script by its extension", () => {
    expect(
      scriptsOf('bash "${CLAUDE_PLUGIN_ROOT}/hooks/sg-python.sh" "${CLAUDE_PLUGIN_ROOT}/hooks/check.py"', CLAUDE),
    ).toEqual(["plugins/sg/hooks/check.py", "plugins/sg/hooks/sg-python.sh"]);
    expect(scriptsOf("python3 -u tools/eval_runner")).toEqual(["tools/eval_runner"]);
    expect(scriptsOf("source ci/env; make")).toEqual(["ci/env"]);
    expect(scriptsOf("npx tsx scripts/gen.ts")).toEqual(["scripts/gen.ts"]);
    expect(scriptsOf("(./ci/run-all && echo ok)")).toEqual(["ci/run-all"]);
  });

  it("leaves out the data a command only reads, and code given inline", () => {
    expect(scriptsOf("python3 -m json.tool data/catalog.json > /dev/null")).toEqual([]);
    expect(scriptsOf("jq .version package.json docs/components.json")).toEqual([]);
    expect(scriptsOf("node -e \"require('./lib/x.json')\"")).toEqual([]);
    expect(scriptsOf("cat README.md | wc -l")).toEqual([]);
  });

  it("reads a workflow step's script as a shell splits it: quotes across lines, continuations, substitutions", () => {
    // A data file named after an awk program that spans lines is read, not run.
    const step = `x="$(\n  awk -v t=1 '\n    /a/ { print }\n  ' data/catalog.json\n)"\necho "$x"\n`;
    expect(scriptsOf(step)).toEqual([]);
    expect(scriptsOf('result="$(./scripts/eval --fast)"; echo "$result"')).toEqual(["scripts/eval"]);
    expect(scriptsOf("npx promptfoo eval \\\n  -c evals/config.yaml \\\n  && ./ci/upload")).toEqual(["ci/upload"]);
    expect(scriptsOf('for f in a b; do\n  ./ci/check "$f"\ndone')).toEqual(["ci/check"]);
  });

  it("leaves out what it cannot place: other variables, a home folder, a URL, a path leaving the repository", () => {
    expect(scriptsOf("$HOME/bin/x.sh ~/y.sh https://x.example/i.sh ../outside.sh")).toEqual([]);
  });
});
