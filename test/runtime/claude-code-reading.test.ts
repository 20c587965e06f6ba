import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseClaudeAgent } from "../../src/runtime/claude-code/agent.js";

/**
 * capgate reads Claude Code's subagents as Claude Code reads them. The runtime's own readings of
 * real subagents and of samples written to probe its reader — recorded from its published package
 * (test/fixtures/claude-code-readings.json says which build and how) — are compared with
 * capgate's: the same agents loaded, with the same name, tools, tools taken away and mode; and
 * where capgate cannot read a frontmatter at all, the runtime's reader failed on it too, so the
 * worst case capgate takes is never a reading the runtime would not also be unsure of.
 */

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

interface Reading {
  file: string;
  parsed: boolean;
  loaded: boolean;
  name?: string;
  tools?: string[] | null;
  disallowedTools?: string[];
  permissionMode?: string | null;
}

const { runtime, readings } = JSON.parse(readFileSync(join(FIXTURES, "claude-code-readings.json"), "utf8")) as {
  runtime: string;
  readings: Reading[];
};

describe(`Claude Code's subagents, read as ${runtime} reads them`, () => {
  it("covers real subagents and the samples that probe the reader", () => {
    expect(readings.length).toBeGreaterThanOrEqual(50);
    expect(readings.filter((r) => r.loaded).length).toBeGreaterThanOrEqual(30);
    expect(readings.filter((r) => !r.loaded).length).toBeGreaterThanOrEqual(10);
  });

  it.each(readings.map((r) => [r.file, r] as const))("%s", (file, r) => {
    const read = parseClaudeAgent(
      `.claude/agents/${file.split("/").pop()}`,
      readFileSync(join(FIXTURES, file), "utf8"),
    );
    expect(read.ok).toBe(true);
    const rt = read.ok ? read.value.runtime! : null;
    if (rt?.unreadable) {
      // capgate's worst case only where the runtime's own reader could not read it either.
      expect(r.parsed, `capgate cannot read ${file}, but Claude Code does`).toBe(false);
      return;
    }
    expect(rt?.notLoaded === undefined, `loaded: ${rt?.notLoaded ?? "yes"}`).toBe(r.loaded);
    if (!r.loaded || !read.ok) return;
    expect(read.value.name).toBe(r.name);
    expect(rt!.toolNames).toEqual(r.tools);
    expect(rt!.removed).toEqual(r.disallowedTools);
    expect(rt!.permissionMode).toBe(r.permissionMode);
  });
});
