import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { styleFor } from "../../src/cli/style.js";
import { nearest } from "../../src/cli/suggest.js";
import { TestRepo } from "../helpers/repo.js";
import { CLI_BUNDLE } from "../setup/build-cli.js";
import { agent, BASE, CONFIG, tool, toolFile } from "../scenarios/fixture.js";

const ROOT = join(import.meta.dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
const repos: TestRepo[] = [];
const folders: string[] = [];
afterAll(() => {
  repos.forEach((r) => r.dispose());
  folders.forEach((f) => rmSync(f, { recursive: true, force: true }));
});
function repo(): TestRepo {
  const r = new TestRepo();
  repos.push(r);
  return r;
}

describe("command-line conventions", () => {
  const r = repo();
  r.commit(BASE);

  it("a reader that closes the pipe early gets no stack trace, and the exit code still tells the decision", () => {
    const big = repo();
    const files: Record<string, string> = { ".github/capgate.yml": "version: 1\n" };
    for (let i = 0; i < 800; i++) files[`agents/a-${i}.yaml`] = `name: agent-number-${i}\ndescription: agent ${i}\n`;
    big.commit(files);
    const run = `"${process.execPath}" "${CLI_BUNDLE}" tiers --json 2>"${big.dir}-err" | head -c 1 >/dev/null; echo \${PIPESTATUS[0]}`;
    const status = execFileSync("bash", ["-c", run], { cwd: big.dir, encoding: "utf8" });
    folders.push(`${big.dir}-err`);
    expect(readFileSync(`${big.dir}-err`, "utf8")).toBe("");
    expect(status.trim()).toBe("0");
  });

  it("--version and -V print the package's version", () => {
    for (const flag of ["--version", "-V"])
      expect(r.capgate([flag])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it("help, help COMMAND, --help and COMMAND --help print usage on stdout and exit 0", () => {
    for (const args of [["help"], ["--help"], ["-h"]]) {
      const out = r.capgate(args);
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/Usage: capgate COMMAND/);
      expect(out.stdout).toMatch(/check .*tiers|tiers[\s\S]*init/);
    }
    for (const command of ["check", "changelog", "tiers", "init", "replay"]) {
      for (const args of [
        ["help", command],
        [command, "--help"],
        [command, "-h"],
      ]) {
        const out = r.capgate(args);
        expect(out, args.join(" ")).toMatchObject({ code: 0, stderr: "" });
        expect(out.stdout).toMatch(new RegExp(`^capgate ${command} — `));
        expect(out.stdout).toMatch(new RegExp(`Usage: capgate ${command}`));
        // Every option's text stands apart from the option, in one column.
        const options = out.stdout.split("Options:\n")[1]!.split("\n\n")[0]!.split("\n").filter(Boolean);
        const column = new Set(options.map((l) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(l)?.[0].length ?? -1));
        expect([...column], command).toHaveLength(1);
        expect(column.has(-1), command).toBe(false);
      }
    }
    expect(r.capgate(["check", "--help"]).stdout).toMatch(/--config-file FILE/);
  });

  it("an option given twice, or an option where the command belongs, is bad usage", () => {
    const twice = r.capgate(["check", "--base", "HEAD", "--head", "HEAD", "--base", "HEAD"]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--base is given more than once/);
    expect(r.capgate(["-v"]).stderr).toMatch(/give a command first.*--version or -V/);
    expect(r.capgate(["--json"]).code).toBe(2);
    expect(JSON.parse(r.capgate(["--json"]).stdout)).toMatchObject({ error: { code: "usage" } });
    // In capgate's words, once: the option and what it takes, the argument that is one too many.
    expect(JSON.parse(r.capgate(["check", "--json", "--base"]).stdout).error.message).toMatch(
      /^check: --base needs REV$/,
    );
    const extra = r.capgate(["check", "--base", "HEAD", "stray", "--head", "HEAD"]);
    expect(extra.stderr).toMatch(/^capgate: check: takes no positional arguments, not "stray"\n/);
  });

  it("an unknown command or option suggests the nearest, and exits 2", () => {
    expect(r.capgate(["chekc"])).toMatchObject({ code: 2 });
    expect(r.capgate(["chekc"]).stderr).toMatch(/unknown command "chekc"; did you mean "check"\?/);
    expect(r.capgate(["tier"]).stderr).toMatch(/did you mean "tiers"/);
    expect(r.capgate(["frobnicate"]).stderr).not.toMatch(/did you mean/);
    expect(r.capgate(["version"]).stderr).toMatch(/did you mean "--version"/);
    const opt = r.capgate(["check", "--bsae", "main", "--head", "main"]);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toMatch(/unknown option "--bsae"; did you mean "--base"\?/);
    expect(r.capgate(["tiers", "--revv", "HEAD"]).stderr).toMatch(/did you mean "--rev"/);
    expect(nearest("confg-file", ["config", "config-file"])).toBe("config-file");
    expect(nearest("x", ["check", "tiers"])).toBeNull();
  });

  it("with --json, an error is a JSON object on stdout, and the exit code is 2", () => {
    const cases: [string[], string][] = [
      [["nope", "--json"], "unknown_command"],
      [["check", "--json", "--bogus"], "unknown_option"],
      [["check", "--json", "--head", "main"], "missing_option"],
      [["check", "--json", "--base", "main", "--head", "no-such"], "bad_revision"],
      [["tiers", "--json", "--config-file", "/no/such/file.yml"], "bad_config"],
    ];
    for (const [args, code] of cases) {
      const out = r.capgate(args);
      expect(out.code, args.join(" ")).toBe(2);
      const parsed = JSON.parse(out.stdout) as { error: { code: string; message: string } };
      expect(parsed.error.code).toBe(code);
      expect(parsed.error.message.length).toBeGreaterThan(10);
      expect(parsed.error.message).not.toContain("\n");
    }
  });

  it("colours a terminal only, honouring NO_COLOR and FORCE_COLOR", () => {
    const coloured = (isTTY: boolean, env: NodeJS.ProcessEnv) => styleFor({ isTTY }, env)("block", "BLOCK") !== "BLOCK";
    expect(coloured(true, {})).toBe(true);
    expect(coloured(false, {})).toBe(false);
    expect(coloured(true, { NO_COLOR: "1" })).toBe(false);
    expect(coloured(true, { NO_COLOR: "" })).toBe(true);
    expect(coloured(true, { TERM: "dumb" })).toBe(false);
    expect(coloured(false, { FORCE_COLOR: "1" })).toBe(true);
    expect(coloured(true, { FORCE_COLOR: "0" })).toBe(false);
    expect(coloured(false, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    // The process: not a terminal here, so plain unless forced; --json never is.
    const head = r.git("rev-parse", "HEAD");
    expect(r.capgate(["check", "--base", head, "--head", head]).stdout).not.toContain("\u001b[");
  });
});

describe("what a check says about its range", () => {
  it("a head the base already contains is said to have nothing new, and which files were not gated", () => {
    const r = repo();
    const first = r.commit(BASE);
    const second = r.commit({ "README.md": "# product\nMore.\n", "src/a.ts": "x\n" });
    const swapped = r.capgate(["check", "--base", second, "--head", first]);
    expect(swapped.stdout).toMatch(
      /note: the base [0-9a-f]{7} already contains the head, so nothing in it is new \(are the base and head swapped\?\)/,
    );
    const forward = r.capgate(["check", "--base", first, "--head", second]);
    expect(forward.stdout).toMatch(/note: 2 changed file\(s\) are not gated artifacts: README\.md, src\/a\.ts/);
  });
});

describe("trying capgate before adopting it", () => {
  it("init then tiers, with the config not committed yet, lists the agent and says the config is a trial", () => {
    const r = repo();
    r.commit({
      "agents/support.yaml": agent({ tools: ["tools/orders.json"], maxSteps: 8 }),
      "prompts/support/system.md": "You help.\n",
      "tools/orders.json": toolFile(tool("get_order", { readOnlyHint: true })),
    });
    expect(r.capgate(["init"]).code).toBe(0);
    const tiers = r.capgate(["tiers"]);
    expect(tiers.code).toBe(0);
    expect(tiers.stdout).toMatch(/support-bot \(agents\/support\.yaml\): tools/);
    expect(tiers.stdout).toMatch(/note: trial config: read from .*\.github\/capgate\.yml on disk/);
    const json = JSON.parse(r.capgate(["tiers", "--json"]).stdout) as { config: { source: string } };
    expect(json.config.source).toBe("file");
  });

  it("init then tiers works before the first commit, from the working tree", () => {
    const r = repo();
    r.write({
      "agents/bot.yaml": agent({ name: "bot", tools: ["tools/send.json"], maxSteps: 3 }),
      "prompts/support/system.md": "You help.\n",
      "tools/send.json": toolFile(tool("send_email")),
    });
    expect(r.capgate(["init"]).code).toBe(0);
    const tiers = r.capgate(["tiers"]);
    expect(tiers.code).toBe(0);
    expect(tiers.stdout).toMatch(/bot \(agents\/bot\.yaml\): autonomous/);
    expect(tiers.stdout).toMatch(/note: no commit yet: read from the working tree/);
    // The config is the one on disk, and said to be.
    expect(JSON.parse(r.capgate(["tiers", "--json"]).stdout).config).toEqual({
      path: ".github/capgate.yml",
      source: "file",
    });
    expect(r.git("status", "--porcelain")).toMatch(/\?\? agents\//); // nothing was staged or committed
    rmSync(join(r.dir, ".github/capgate.yml"));
    expect(r.capgate(["tiers"]).stderr).toMatch(/no config at \.github\/capgate\.yml in the working tree/);
  });

  it("check --config-file gates real history of a repository with no committed config, and says it is a trial", () => {
    const r = repo();
    const { ".github/capgate.yml": _config, ...noConfig } = BASE;
    const base = r.commit(noConfig);
    const head = r.commit({
      "tools/refunds.json": toolFile(tool("issue_refund")),
      "agents/support.yaml": agent({
        version: "2.0.0",
        tools: ["tools/orders.json", "tools/refunds.json"],
        maxSteps: 8,
      }),
    });
    const dir = mkdtempSync(join(tmpdir(), "capgate-trial-"));
    folders.push(dir);
    writeFileSync(join(dir, "trial.yml"), CONFIG);
    expect(r.capgate(["check", "--base", base, "--head", head]).code).toBe(2); // nothing committed to read
    const text = r.capgate(["check", "--config-file", join(dir, "trial.yml"), "--base", base, "--head", head]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/capgate: BLOCK — highest tier touched: autonomous/);
    expect(text.stdout).toMatch(/config \/.*\/trial\.yml \(a trial config read from disk, not the base's\)/);
    expect(text.stdout).toMatch(/note: trial config: read from .*trial\.yml on disk, not from the base revision/);
    const json = r.check(base, head, { extra: ["--config-file", join(dir, "trial.yml")] });
    expect(json.report.decision).toBe("block");
    expect((json.report as unknown as { config: { source: string } }).config.source).toBe("file");
    // No baseline is added for a trial config: it is the user's, not the pull request's.
    expect(json.report.requirements.some((q) => q.id.startsWith("baseline:"))).toBe(false);
  });
});

describe("the package, installed like a tool", () => {
  it("npm pack's tarball installs into an empty prefix and runs as capgate, with no dependencies", () => {
    const dir = mkdtempSync(join(tmpdir(), "capgate-pack-"));
    folders.push(dir);
    const npm = (args: string[], cwd: string) =>
      execFileSync("npm", args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" },
      });
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], ROOT)) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/capgate.js",
        "dist/cli.js",
        "dist/cli.bundle.js",
        "dist/cli.bundle.cache",
        "dist/package.json",
        "dist/vendor/mcp-sdk.js",
        "dist/vendor/fflate.js",
        "dist/vendor/fast-xml-parser.js",
        "LICENSE",
        "README.md",
        "CHANGELOG.md",
      ]),
    );
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/"))).toBe(false);
    // The HTTP client only the action needs (behind a proxy) is not the CLI's to ship.
    expect(files).not.toContain("dist/vendor/undici.js");
    // Nor the action's bundle: the package is the CLI.
    expect(files.filter((f) => f.startsWith("dist/index"))).toEqual([]);
    const prefix = join(dir, "prefix");
    npm(["install", "--global", "--offline", "--prefix", prefix, join(dir, packed[0]!.filename)], dir);
    const bin = join(prefix, "bin", "capgate");
    const run = (args: string[]) => {
      try {
        return { code: 0, out: execFileSync(bin, args, { cwd: dir, encoding: "utf8" }) };
      } catch (e) {
        const err = e as { status: number; stdout: string };
        return { code: err.status, out: err.stdout };
      }
    };
    expect(run(["--version"])).toEqual({ code: 0, out: `${VERSION}\n` });
    expect(run(["check", "--help"]).code).toBe(0);
    const nope = run(["nope", "--json"]);
    expect(nope.code).toBe(2);
    expect(JSON.parse(nope.out)).toMatchObject({ error: { code: "unknown_command" } });
  }, 120_000);
});
