import { describe, expect, it } from "vitest";
import { runAction, type Runner } from "../../src/action/run.js";
import { pullFromQueueRef, readTarget } from "../../src/action/event.js";
import { getInputs } from "../../src/action/inputs.js";
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

describe("what each event gates", () => {
  const payload = {
    pull_request: { number: 5, user: { login: "dave" }, base: { sha: "b".repeat(40) }, head: { sha: "c".repeat(40) } },
  };
  const settings = (event: string) =>
    getInputs({
      GITHUB_REPOSITORY: "o/r",
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: "/x",
      GITHUB_SHA: "m".repeat(40),
      INPUT_TOKEN: "t",
    });

  it("pull_request_target never binds results to a commit of its checkout, which is the base", () => {
    const target = readTarget(settings("pull_request_target"), payload);
    expect(target).toMatchObject({ kind: "pull_request", head: "c".repeat(40), extraAccepted: [] });
    expect(readTarget(settings("pull_request"), payload)).toMatchObject({ extraAccepted: ["m".repeat(40)] });
  });

  it("comment and audit inputs have safe defaults and refuse what they cannot mean", () => {
    const s = settings("pull_request");
    expect(s).toMatchObject({ comment: "always", commentAuthor: "github-actions[bot]", checkAppId: 15368 });
    const env = { GITHUB_REPOSITORY: "o/r", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: "/x", INPUT_TOKEN: "t" };
    expect(getInputs({ ...env, INPUT_COMMENT: "false" }).comment).toBe("never");
    expect(getInputs({ ...env, INPUT_COMMENT: "on-failure" }).comment).toBe("on-failure");
    expect(() => getInputs({ ...env, INPUT_COMMENT: "sometimes" })).toThrow(/input comment/);
    expect(() => getInputs({ ...env, "INPUT_COMMENT-AUTHOR": "a b" })).toThrow(/input comment-author/);
    expect(() => getInputs({ ...env, "INPUT_CHECK-APP-ID": "x" })).toThrow(/input check-app-id/);
  });
});
