import { describe, expect, it } from "vitest";
import { runAction, type Runner } from "../../src/action/run.js";
import { pullFromQueueRef } from "../../src/action/event.js";
import { parseOutputFile } from "../helpers/action.js";

function runner(
  overrides: Partial<Runner>,
  env: NodeJS.ProcessEnv = {},
): Runner & { errors: string[]; outputs: Record<string, string> } {
  const errors: string[] = [];
  const outputs: Record<string, string> = {};
  return {
    env,
    info: () => undefined,
    warning: () => undefined,
    error: (m) => errors.push(m),
    setOutput: (n, v) => (outputs[n] = v),
    summary: async () => undefined,
    errors,
    outputs,
    ...overrides,
  };
}

describe("the action fails closed at the top level", () => {
  it("blocks when the runner's variables are missing", async () => {
    const r = runner({});
    expect(await runAction(r)).toBe(1);
    expect(r.outputs.decision).toBe("block");
    expect(r.errors.join("\n")).toMatch(/GITHUB_REPOSITORY is not set/);
  });

  it("blocks when something throws a value that is not an Error", async () => {
    const r = runner({
      setOutput: () => {
        throw "a string, not an Error";
      },
    });
    expect(await runAction(r)).toBe(1);
    expect(r.errors.join("\n")).toMatch(/could not report its decision: a string, not an Error/);
  });

  it("rejects a bad input, naming it", async () => {
    const r = runner(
      {},
      {
        GITHUB_REPOSITORY: "o/r",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: "/x",
        INPUT_TOKEN: "t",
        INPUT_MODE: "lenient",
      },
    );
    expect(await runAction(r)).toBe(1);
    expect(r.errors.join("\n")).toMatch(/input mode/);
  });
});

describe("runner contract helpers", () => {
  it("reads the queued pull request from a merge group's head_ref", () => {
    expect(pullFromQueueRef(`refs/heads/gh-readonly-queue/main/pr-123-${"a".repeat(40)}`)).toBe(123);
    expect(pullFromQueueRef(`gh-readonly-queue/release/v2/pr-7-${"b".repeat(40)}`)).toBe(7);
    expect(pullFromQueueRef("refs/heads/main")).toBeNull();
  });

  it("parses GITHUB_OUTPUT heredocs", () => {
    expect(parseOutputFile("decision<<ghadelimiter_1\nblock\nghadelimiter_1\ntier<<d\n\nd\n")).toEqual({
      decision: "block",
      tier: "",
    });
  });
});
