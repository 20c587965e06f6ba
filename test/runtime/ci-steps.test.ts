import { describe, expect, it } from "vitest";
import { claudeArgs } from "../../src/runtime/ci/claude-code-action.js";
import { agentSteps } from "../../src/runtime/ci/steps.js";
import { parseToml } from "../../src/parse/toml.js";

/**
 * How the agent steps of a workflow are found and their arguments read, as the actions read them
 * (`claude-code-action`'s `base-action/src/parse-sdk-options.ts`), and TOML read as Codex reads it.
 */
describe("claude_args, as claude-code-action reads it", () => {
  it("adds up every --allowedTools and --disallowedTools, each word up to the next flag, split on commas", () => {
    const a = claudeArgs(
      '--allowedTools "Read,Bash(gh pr view:*)" Grep\n--allowed-tools Edit --disallowedTools WebFetch',
    );
    expect(a.allow).toEqual(["Read", "Bash(gh pr view:*)", "Grep", "Edit"]);
    expect(a.deny).toEqual(["WebFetch"]);
  });

  it("keeps the last --permission-mode, and --dangerously-skip-permissions bypasses without taking a value", () => {
    expect(claudeArgs("--permission-mode plan --permission-mode acceptEdits").mode).toBe("acceptEdits");
    const b = claudeArgs("--dangerously-skip-permissions --allowedTools Read");
    expect(b.mode).toBe("bypassPermissions");
    expect(b.allow).toEqual(["Read"]);
  });

  it("drops whole-line comments, keeps an unquoted Bash(…) rule one word, reads --flag=value and --max-turns", () => {
    const c = claudeArgs("# --allowedTools Bash\n--allowedTools Bash(git:*),Read --max-turns=5\n--model x");
    expect(c.allow).toEqual(["Bash(git:*)", "Read"]);
    expect(c.maxTurns).toBe(5);
  });
});

describe("the agent steps of a workflow", () => {
  it("names each by its job, and by its place when a job runs several; other steps are not agents", () => {
    const wf = [
      "on: push",
      "jobs:",
      "  review:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v5",
      "      - uses: anthropics/claude-code-action@v1",
      "        with: { prompt: hi }",
      "      - uses: OpenAI/codex-action@v1.8",
      "  triage:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: google-github-actions/run-gemini-cli",
    ].join("\n");
    const steps = agentSteps(".github/workflows/a.yml", wf);
    expect(steps.map((s) => [s.path, s.action, s.ref])).toEqual([
      [".github/workflows/a.yml#review.1", "anthropics/claude-code-action", "v1"],
      [".github/workflows/a.yml#review.2", "openai/codex-action", "v1.8"],
      [".github/workflows/a.yml#triage", "google-github-actions/run-gemini-cli", ""],
    ]);
    expect(agentSteps(".github/workflows/a.yml", "jobs: [")).toEqual([]);
  });
});

describe("TOML, as Codex reads it", () => {
  it("is an error at its line for a table written twice, and for a key that reaches the prototype", () => {
    const twice = parseToml("c.toml", "a = 1\n[x]\nb = 1\n[x]\nc = 2\n");
    expect(twice.ok ? null : twice.error.line).toBe(4);
    const proto = parseToml("c.toml", "[__proto__]\npolluted = true\n");
    expect(proto.ok ? null : proto.error.reason).toBe('forbidden key "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses input nested past what configuration needs, without a crash", () => {
    const deep = `a = ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const r = parseToml("c.toml", deep);
    expect(r.ok).toBe(false);
  });
});
