import { describe, expect, it } from "vitest";
import { commandPattern, dangerous } from "../../src/runtime/commands.js";

/** Which command-scoped Bash rules pre-approve a command that deletes, publishes, pushes, sends or runs code. */
describe("dangerous command rules", () => {
  const does = (content: string) => dangerous(commandPattern(content))?.command ?? null;

  it("a prefix covers the dangerous commands it starts, and those that start it", () => {
    expect(does("git push:*")).toBe("git push");
    expect(does("git:*")).not.toBeNull();
    expect(does("gh repo:*")).toBe("gh repo create");
    expect(does("rm -rf build")).toBe("rm");
  });

  it("a command that only reads is not dangerous, beside one of the same tool that writes", () => {
    expect(does("gh repo view:*")).toBeNull();
    expect(does("gh pr view:*")).toBeNull();
    expect(does("gh release list")).toBeNull();
    expect(does("git status:*")).toBeNull();
    expect(does("npm test")).toBeNull();
    expect(does("gh issue edit:*")).toBe("gh issue edit");
  });

  it("a wildcard covers what its literal beginning leaves open", () => {
    expect(does("*")).not.toBeNull();
    expect(does("gh * create")).not.toBeNull();
    expect(does("git stat*")).toBeNull();
  });
});
