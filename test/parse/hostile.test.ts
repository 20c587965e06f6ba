import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { stringify as toYaml } from "yaml";
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parseData, rawNesting, walkNesting } from "../../src/parse/document.js";
import type { Parsed } from "../../src/parse/result.js";
import { parseToolFile } from "../../src/artifact/tool.js";
import { parsePrompt } from "../../src/artifact/prompt.js";
import { parseSkill } from "../../src/artifact/skill.js";
import { parseMcpConfig } from "../../src/artifact/mcp.js";
import { parseAgent } from "../../src/artifact/agent.js";
import { parseResults } from "../../src/evidence/results.js";
import { parseConfig, resolveConfig } from "../../src/config/resolve.js";
import { parseApprovalsFile } from "../../src/evidence/approvals-file.js";
import { decodeText, MAX_ARTIFACT_BYTES, stateByMode } from "../../src/gather/blob.js";
import { toolCapability } from "../../src/capability/tools.js";

type Parser = (path: string, text: string) => Parsed<unknown>;

/** Every parser, with a path of the kind it is given in practice. */
const PARSERS: [string, Parser, string][] = [
  ["parseToolFile", parseToolFile, "tools/t.json"],
  ["parsePrompt (markdown)", parsePrompt, "prompts/p.md"],
  ["parsePrompt (.prompt.yml)", parsePrompt, "prompts/p.prompt.yml"],
  ["parsePrompt (dotprompt)", parsePrompt, "prompts/p.prompt"],
  ["parseSkill", parseSkill, "skills/s/SKILL.md"],
  ["parseMcpConfig (YAML, Continue)", parseMcpConfig, ".continue/mcpServers/s.yaml"],
  ["parseMcpConfig (JSONC)", parseMcpConfig, ".mcp.json"],
  ["parseAgent", parseAgent, "agents/a.yaml"],
  ["parseResults", parseResults, "eval-results/r.json"],
  ["parseConfig", parseConfig, ".github/capgate.yml"],
  ["parseApprovalsFile", parseApprovalsFile, "approvals.json"],
];

/** Markdown-like files, whose data is their frontmatter. */
const hasFrontmatter = (path: string) => path.endsWith(".md") || path.endsWith(".prompt");
/** Parsers whose whole file is data. */
const DATA_PARSERS = PARSERS.filter(([, , path]) => !hasFrontmatter(path));
/** Parsers that read YAML (everything but the JSON-with-comments readers of MCP and settings files). */
const JSONC = new Set(["parseMcpConfig (JSONC)"]);
const YAML_PARSERS = PARSERS.filter(([name]) => !JSONC.has(name));
const YAML_DATA_PARSERS = DATA_PARSERS.filter(([name]) => !JSONC.has(name));

function error<T>(r: Parsed<T>) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** A parse result is a value of the documented shape, whatever the input. */
function expectOutcome(r: Parsed<unknown>, path: string): void {
  expect(typeof r.ok).toBe("boolean");
  if (r.ok) {
    expect(r).toHaveProperty("value");
  } else {
    expect(r.error.path).toBe(path);
    expect(typeof r.error.reason).toBe("string");
    expect(r.error.reason.length).toBeGreaterThan(0);
    if (r.error.line !== undefined) {
      expect(Number.isInteger(r.error.line)).toBe(true);
      expect(r.error.line).toBeGreaterThanOrEqual(1);
    }
  }
}

const frontmatter = (yaml: string) => `---\n${yaml}---\nBody.\n`;

describe("malformed YAML and JSON are errors with a line number", () => {
  it.each([
    // The line is where the parser notices: the item after the missing comma, the end of input.
    ["a JSON object missing a comma", "t.json", '{\n  "name": "x",\n  "inputSchema": {}\n  "annotations": {}\n}', 4],
    ["a JSON object never closed", "t.json", '{\n  "name": "x",\n  "inputSchema": {', 3],
    ["a YAML flow sequence never closed", "t.yaml", "name: x\ninputSchema: {}\ntags: [a, b\nother: 1\n", 4],
    ["a YAML mapping nested in a compact one", "t.yaml", "name: x\ninputSchema: {}\nannotations: a: b\n", 3],
    ["a tab-indented YAML block", "t.yaml", "name: x\ninputSchema:\n\ttype: object\n", 3],
  ])("%s", (_what, path, text, line) => {
    const e = error(parseToolFile(path, text));
    expect(e.path).toBe(path);
    expect(e.reason).toMatch(/^malformed: /);
    expect(e.line).toBe(line);
    // A JSON file is told about in JSON's words, not YAML's.
    if (path.endsWith(".json")) expect(e.reason).toMatch(/JSON|Expected|Unexpected/);
    if (path.endsWith(".json")) expect(e.reason).not.toMatch(/flow|collection|mapping/i);
  });

  it("a frontmatter error is reported at its line in the file, not in the frontmatter", () => {
    const text = "---\nname: s\ndescription: d\nallowed-tools: [Read\n---\nBody\n";
    const e = error(parseSkill("skills/s/SKILL.md", text));
    expect(e.reason).toMatch(/^malformed: /);
    expect(e.line).toBeGreaterThanOrEqual(4);
    expect(e.line).toBeLessThanOrEqual(5);
  });

  it("a config and an agent manifest name the line", () => {
    expect(error(parseConfig("c.yml", "version: 1\ngroups:\n  ml: [alice\nsuites: {}\n"))).toMatchObject({ line: 4 });
    expect(error(parseAgent("a.yaml", "name: a\ntools:\n  - x\n bad: indentation\n")).line).toBeGreaterThanOrEqual(3);
  });

  it("several YAML documents in one file are an error, so a second document cannot override the first", () => {
    const text =
      "name: x\ninputSchema: {}\nannotations: {readOnlyHint: false}\n---\nannotations: {readOnlyHint: true}\n";
    expect(error(parseToolFile("t.yaml", text))).toMatchObject({ line: 4 });
  });
});

describe("YAML alias bombs", () => {
  const laughs = (levels: number) => {
    const lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let i = 1; i < levels; i++)
      lines.push(
        `l${i}: &l${i} [${Array(9)
          .fill(`*l${i - 1}`)
          .join(", ")}]`,
      );
    return lines.join("\n") + "\n";
  };

  it.each(YAML_DATA_PARSERS)("billion laughs is rejected by %s, naming aliases", (_name, parse, path) => {
    const e = error(parse(path, laughs(9)));
    expect(e.reason).toMatch(/alias/i);
  });

  it("inside a SKILL.md or prompt frontmatter too", () => {
    const yaml = "name: s\ndescription: d\n" + laughs(9);
    expect(error(parseSkill("s/SKILL.md", frontmatter(yaml))).reason).toMatch(/alias/i);
    expect(error(parsePrompt("prompts/p.md", frontmatter(yaml))).reason).toMatch(/alias/i);
  });

  it("a few honest aliases are fine", () => {
    const text = "ro: &ro {readOnlyHint: true}\ntools:\n  - {name: a, inputSchema: {}, annotations: *ro}\n";
    const r = parseToolFile("t.yaml", text);
    expect(r.ok && r.value.tools[0]!.annotations).toEqual({ readOnlyHint: true });
  });

  it("merge keys are off: `<<` cannot smuggle readOnlyHint into annotations", () => {
    const text =
      "ro: &ro {readOnlyHint: true}\ntools:\n  - name: a\n    inputSchema: {}\n    annotations:\n      <<: *ro\n";
    const r = parseToolFile("t.yaml", text);
    expect(r.ok).toBe(false);
    if (r.ok)
      expect(toolCapability(r.value.tools[0]!, "t.yaml", resolveConfig("x", { version: 1 })).writing).toBe(true);
    else expect(r.error).toMatchObject({ reason: expect.stringContaining("merge key"), line: 6 });
  });

  it("a merge key is an error wherever it is, a quoted `<<` is an ordinary key", () => {
    expect(error(parseData("a.yaml", "base: &b {x: 1}\nc:\n  <<: *b\n")).reason).toContain("merge key (<<)");
    expect(error(parseData("a.yaml", "<<: {permissionMode: bypassPermissions}\n")).line).toBe(1);
    expect(parseData("a.yaml", '"<<": 1\n')).toMatchObject({ ok: true, value: { "<<": 1 } });
  });
});

describe("keys that are lists or mappings", () => {
  it("are an error at their line, not a key the parser makes up", () => {
    for (const text of ["name: a\n? [readOnlyHint, x]\n: true\n", "name: a\n? {a: 1}\n: b\n", "{[a]: 1}\n"]) {
      const e = error(parseData("t.yaml", text));
      expect(e.reason).toBe("a key that is a list or a mapping");
      expect(e.line).toBeGreaterThanOrEqual(1);
    }
  });
});

describe("__proto__, constructor and prototype keys", () => {
  const KEYS = ["__proto__", "constructor", "prototype"];
  const shapes: [string, string, (k: string) => string][] = [
    ["JSON, top level", "x.json", (k) => `{"name": "x", "${k}": {"polluted": true}}`],
    ["JSON, nested", "x.json", (k) => `{"a": {"b": {"${k}": 1}}}`],
    ["JSON, inside an array", "x.json", (k) => `{"tools": [{"name": "x", "inputSchema": {"${k}": {}}}]}`],
    ["JSON, escaped", "x.json", (k) => `{"\\u00${k.charCodeAt(0).toString(16)}${k.slice(1)}": 1}`],
    ["YAML block", "x.yaml", (k) => `a:\n  b:\n    - c: 1\n      ${k}: {polluted: true}\n`],
    ["YAML flow", "x.yaml", (k) => `a: [{b: 1}, {${k}: 1}]\n`],
    ["YAML quoted", "x.yaml", (k) => `a:\n  '${k}': 1\n`],
    ["YAML explicit key", "x.yaml", (k) => `? ${k}\n: 1\n`],
    ["YAML tagged key", "x.yaml", (k) => `a:\n  !!str ${k}: 1\n`],
    ["YAML anchored key", "x.yaml", (k) => `a:\n  &k ${k}: 1\n`],
  ];

  for (const key of KEYS) {
    it.each(shapes)(`${key}: %s is rejected, naming the key and line`, (_what, path, make) => {
      const text = make(key);
      const e = error(parseData(path, text));
      expect(e.reason).toBe(`forbidden key "${key}"`);
      expect(e.line).toBeGreaterThanOrEqual(1);
    });
  }

  it.each(YAML_PARSERS)("every parser rejects them: %s", (_name, parse, path) => {
    const yaml = "name: x\nmetadata:\n  deep:\n    - __proto__: {admin: true}\n";
    const text = hasFrontmatter(path) ? frontmatter(yaml) : yaml;
    const e = error(parse(path, text));
    expect(e.reason).toBe('forbidden key "__proto__"');
    expect(e.line).toBe(hasFrontmatter(path) ? 5 : 4);
  });

  it.each(KEYS)("the JSON-with-comments reader rejects %s at its line, before the object is built", (key) => {
    const text = `{\n  // a server\n  "mcpServers": {\n    "a": { "command": "x", "${key}": { "polluted": true } }\n  }\n}`;
    expect(error(parseMcpConfig(".mcp.json", text))).toEqual({
      path: ".mcp.json",
      line: 4,
      reason: `forbidden key "${key}"`,
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("no parse ever pollutes Object.prototype", () => {
    for (const [, parse, path] of PARSERS) parse(path, '{"__proto__": {"polluted": true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  // An alias can spell a key too; the check is on the parsed value, not only on plain keys.
  it.each(KEYS)("%s written as an alias key is rejected", (key) => {
    const e = error(parseData("x.yaml", `a: &k ${key}\n*k : {polluted: true}\n`));
    expect(e.reason).toBe(`forbidden key "${key}"`);
  });
});

describe("duplicate keys", () => {
  it("JSON readOnlyHint false then true is rejected, not silently read as true", () => {
    const text = `{
  "name": "delete_repo",
  "inputSchema": {"type": "object"},
  "annotations": {
    "readOnlyHint": false,
    "readOnlyHint": true
  }
}`;
    const e = error(parseToolFile("tools/t.json", text));
    expect(e.reason).toMatch(/unique/i);
    expect(e.line).toBeGreaterThanOrEqual(5);
    expect(e.line).toBeLessThanOrEqual(6);
  });

  // The keys JSON.parse collapsed are found by counting the keys the text writes: strings that
  // end in an escaped backslash, hold an escaped quote or a `":`, or stand before spaces, tabs
  // and line breaks and then a colon, are each counted as what they are.
  it.each([
    ['{"a": "x\\\\", "a": 1}', "a value ending in an escaped backslash"],
    ['{"a": "say \\"hi\\": ", "b": {"c": 1, "c": 2}}', "a value holding an escaped quote and a colon"],
    ['{"a": "\\":", "a": 2}', "a value that looks like a key"],
    ['{"a" \t\r\n : 1, "a"\n:2}', "blanks and line breaks before the colon"],
    ['[{"k": ["\\\\\\"", {"k2": 1, "k2": 1}]}]', "an array holding a string of escapes"],
  ])("a repeated key after %s is found (%s)", (text) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(error(parseData("x.json", text)).reason).toMatch(/^duplicate key .*keys must be unique/);
  });

  it.each([
    ['{"a": "x\\\\", "b": "\\":", "c" \n: [":", {"d": "\\u0022:"}]}'],
    ['{"escaped \\" key": 1, "other": "\\\\\\""}'],
  ])("a text whose keys are all distinct is read whole: %s", (text) => {
    expect(parseData("x.json", text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it("inside a tools array, in YAML, in results and in the config", () => {
    expect(error(parseToolFile("t.json", '{"tools": [{"name": "a", "name": "b", "inputSchema": {}}]}')).reason).toMatch(
      /unique/i,
    );
    expect(error(parseAgent("a.yaml", "name: a\nautonomy:\n  max_steps: 1\n  max_steps: 50\n"))).toMatchObject({
      line: 4,
    });
    const results = '{"capgate": "results/v1", "suite": "s", "cases": [{"id": "c", "pass": false, "pass": true}]}';
    expect(error(parseResults("r.json", results)).reason).toMatch(/unique/i);
    expect(error(parseConfig("c.yml", "version: 1\ngroups: {a: [x]}\ngroups: {b: [y]}\n")).reason).toMatch(/unique/i);
    expect(
      error(parseMcpConfig(".mcp.json", '{"mcpServers": {"gh": {"command": "a"}, "gh": {"command": "b"}}}')).reason,
    ).toMatch(/unique/i);
  });
});

describe("deep nesting", () => {
  // Depths the YAML parser itself survives in this process; still far beyond any real artifact.
  it.each([
    ["JSON objects", "d.json", '{"a":'.repeat(200) + "1" + "}".repeat(200)],
    ["JSON arrays", "d.json", "[".repeat(200) + "]".repeat(200)],
    ["YAML block sequences", "d.yaml", "- ".repeat(200) + "x\n"],
    ["YAML block mappings", "d.yaml", Array.from({ length: 150 }, (_, i) => " ".repeat(i) + "a:").join("\n") + " 1\n"],
  ])("%s 150+ deep are rejected", (_what, path, text) => {
    for (const [name, parse, p] of DATA_PARSERS) {
      if (JSONC.has(name) && path.endsWith(".yaml")) continue;
      const e = error(parse(p, text));
      expect(e.reason).toMatch(/nested more than \d+ levels deep/);
    }
    expect(error(parseData(path, text)).reason).toMatch(/nested/);
  });

  it("real nesting depth passes", () => {
    const r = parseData("d.json", '{"a":'.repeat(20) + "1" + "}".repeat(20));
    expect(r.ok).toBe(true);
  });

  // One depth limit for maps and arrays alike.
  it("arrays are held to the same depth limit as maps", () => {
    expect(parseData("d.json", '{"a":'.repeat(100) + "1" + "}".repeat(100)).ok).toBe(false);
    expect(parseData("d.json", "[".repeat(100) + "]".repeat(100)).ok).toBe(false);
  });

  /**
   * Node binaries to run the engine on: the test runner's (npm scripts put the Node 24 of the
   * `node` devDependency first on PATH) and, when installed, a Node 20 (`engines: >=20`; the CLI
   * is also run on it in .ci/run).
   */
  function nodeBinaries(): { runner: string; node20: string | null } {
    const runner = realpathSync(process.execPath);
    let node20: string | null = null;
    for (const dir of (process.env.PATH ?? "").split(delimiter)) {
      const candidate = join(dir, "node");
      if (!dir || dir.includes("node_modules") || !existsSync(candidate)) continue;
      const v = spawnSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout?.trim() ?? "";
      if (v.startsWith("20.")) {
        node20 = realpathSync(candidate);
        break;
      }
    }
    if (node20 === null && process.versions.node.startsWith("20.")) node20 = runner;
    return { runner, node20 };
  }
  const NODES = nodeBinaries();

  /**
   * Runs parsers over inputs nested far past the YAML parser's own recursion limit, in a child
   * process: such input overflows the stack, which this test runner's worker must not risk.
   */
  async function parseDeepInChild(node: string, texts: string[]) {
    const dir = mkdtempSync(join(tmpdir(), "capgate-deep-"));
    try {
      const out = join(dir, "deep.mjs");
      await build({
        stdin: {
          contents: `
            import { parseToolFile } from "./src/artifact/tool.ts";
            for (const text of JSON.parse(process.argv[2])) {
              const r = parseToolFile("tools/deep.json", text);
              console.log(JSON.stringify({ ok: r.ok, reason: r.ok ? null : r.error.reason }));
            }`,
          resolveDir: process.cwd(),
          loader: "ts",
        },
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node20",
        outfile: out,
        banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
        logLevel: "silent",
      });
      const r = spawnSync(node, [out, JSON.stringify(texts)], { encoding: "utf8", timeout: 60_000 });
      const lines = r.stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { ok: boolean; reason: string | null });
      return { status: r.status, signal: r.signal, lines, stderr: r.stderr.slice(0, 200) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const DEEP = ["[".repeat(1_000) + "]".repeat(1_000), '{"a":'.repeat(2_000) + "1" + "}".repeat(2_000)];

  it("one document nested 10,000 deep is an error, not a crash, on every Node at hand", async () => {
    for (const node of new Set([NODES.runner, NODES.node20 ?? NODES.runner])) {
      const r = await parseDeepInChild(node, ["[".repeat(10_000) + "]".repeat(10_000)]);
      expect({ node, status: r.status, signal: r.signal }).toEqual({ node, status: 0, signal: null });
      expect(r.lines).toHaveLength(1);
      for (const l of r.lines) expect(l.ok).toBe(false);
    }
  });

  // Deep input must stay an error on every runtime, also when several such documents come in one run.
  it("several documents nested 1,000+ deep in one process are errors on the runner's Node", async () => {
    const r = await parseDeepInChild(NODES.runner, [...DEEP, ...DEEP]);
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
    expect(r.lines).toHaveLength(4);
    for (const l of r.lines) expect(l.ok).toBe(false);
  });

  // Node 20's stack is small enough that the YAML parser's recursion on ~1,000-deep input could
  // abort the process (uncatchable); a linear pre-scan rejects such input before the parser sees it.
  // (Skipped where no Node 20 is installed.)
  (NODES.node20 ? it : it.skip)(
    "several documents nested 1,000+ deep in one process are errors on Node 20, not an abort",
    async () => {
      // The same hostile file read at base and at head is enough.
      const r = await parseDeepInChild(NODES.node20!, [DEEP[0]!, DEEP[0]!]);
      expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
      expect(r.lines).toHaveLength(2);
      for (const l of r.lines) expect(l.ok).toBe(false);
    },
  );
});

describe("size", () => {
  // The YAML parser's own unique-key check is quadratic in one mapping's keys; capgate checks
  // duplicates itself in linear time (test/parse/linear.test.ts counts it), so a large mapping
  // under the size limit is read. How fast is the benchmark's to say (npm run bench).
  it("a 20,000-key YAML mapping under the size limit is read", () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join("\n") + "\n";
    expect(text.length).toBeLessThan(MAX_ARTIFACT_BYTES);
    const r = parseData("big.yaml", text);
    expect(r.ok).toBe(true);
    expect(Object.keys((r as { value: object }).value)).toHaveLength(20_000);
  });

  it("a 30,000-key JSON object is read", () => {
    const text = "{" + Array.from({ length: 30_000 }, (_, i) => `"k${i}": "v"`).join(",") + "}";
    expect(parseData("big.json", text).ok).toBe(true);
  });

  it("a 300 KB string value is read", () => {
    const r = parsePrompt("prompts/p.md", frontmatter(`description: "${"x".repeat(300_000)}"\n`));
    expect(r.ok).toBe(true);
  });

  // picomatch throws on patterns over 64 KiB; the schema bounds globs so a config never throws.
  it.each([
    ["artifacts:\n  tool", "artifacts.tool"],
    ["classify:\n  read_only", "classify.read_only"],
  ])("an over-long glob under %j is an error, not a throw", (where) => {
    const text = `version: 1\n${where}: ["${"x".repeat(70_000)}"]\n`;
    let r: Parsed<unknown> | undefined;
    expect(() => {
      r = parseConfig("c.yml", text);
    }).not.toThrow();
    expect(r?.ok).toBe(false);
  });
});

describe("decodeText: binary, invalid UTF-8 and oversized blobs", () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it("reads valid UTF-8, multi-byte characters included", () => {
    expect(decodeText(utf8("name: Bogotá — 東京 🚀\n"))).toEqual({ ok: true, text: "name: Bogotá — 東京 🚀\n" });
    expect(decodeText(new Uint8Array())).toEqual({ ok: true, text: "" });
  });

  it.each([
    ["a NUL at the start", new Uint8Array([0, 0x7b, 0x7d])],
    ["a NUL in text", utf8('{"name": "a\u0000b"}')],
    ["UTF-16LE text", new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])],
    ["a PNG header", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])],
  ])("rejects binary: %s", (_what, bytes) => {
    expect(decodeText(bytes)).toEqual({ ok: false, reason: "is binary (contains NUL bytes)" });
  });

  it.each([
    ["a lone continuation byte", [0x61, 0x80, 0x62]],
    ["a truncated sequence", [0x61, 0xe6, 0x9d]],
    ["an overlong encoding of '/'", [0xc0, 0xaf]],
    ["an encoded surrogate", [0xed, 0xa0, 0x80]],
    ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["Latin-1 text", [0x63, 0x61, 0x66, 0xe9]],
  ])("rejects invalid UTF-8: %s", (_what, bytes) => {
    expect(decodeText(new Uint8Array(bytes))).toEqual({ ok: false, reason: "is not valid UTF-8 text" });
  });

  it("rejects oversized input before decoding it, at the default and a given limit", () => {
    const big = new Uint8Array(MAX_ARTIFACT_BYTES + 1).fill(0x61);
    expect(decodeText(big)).toEqual({
      ok: false,
      reason: `is ${MAX_ARTIFACT_BYTES + 1} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit`,
    });
    const atLimit = decodeText(new Uint8Array(MAX_ARTIFACT_BYTES).fill(0x61));
    expect(atLimit.ok).toBe(true);
    expect(decodeText(utf8("12345"), 4)).toEqual({ ok: false, reason: "is 5 bytes, over the 4-byte limit" });
    // Oversized wins over binary: the size is checked first.
    expect(decodeText(new Uint8Array(10), 4)).toEqual({ ok: false, reason: "is 10 bytes, over the 4-byte limit" });
  });

  it("a submodule cannot be seen and a directory is no file, by mode; files and symbolic links are read (links at their target)", () => {
    expect(stateByMode("120000", "blob")).toBeNull();
    expect(stateByMode("160000", "commit")).toMatchObject({
      state: "unseen",
      reason: expect.stringMatching(/submodule/),
    });
    expect(stateByMode("040000", "tree")).toMatchObject({ state: "error", reason: expect.stringMatching(/directory/) });
    expect(stateByMode("100644", "blob")).toBeNull();
    expect(stateByMode("100755", "blob")).toBeNull();
  });
});

describe("properties: random and hostile input never crashes and never passes", () => {
  /** Fragments that steer random text into YAML's and JSON's corners. */
  const TOKENS = [
    "---\n",
    "...\n",
    "\n",
    "  ",
    "\t",
    "- ",
    ": ",
    "? ",
    ",",
    "[",
    "]",
    "{",
    "}",
    '"',
    "'",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!binary ",
    "!tag ",
    "<<: ",
    "#",
    "|\n",
    ">\n",
    "%YAML 1.2\n",
    "__proto__",
    "constructor",
    "prototype",
    "name",
    "inputSchema",
    "annotations",
    "readOnlyHint",
    "true",
    "false",
    "null",
    "~",
    "0x1F",
    "1e400",
    "-.inf",
    ".nan",
    "tools",
    "mcpServers",
    "capgate",
    "results/v1",
    "version",
    "\u0000",
    "\ufeff",
    "\u2028",
    "\r\n",
    "é",
    "🚀",
    "\\u0000",
    "\\",
  ];
  const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => t.join(""));
  const text = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: "binary", maxLength: 200 }), tokenSoup);

  it.each(PARSERS)("%s: arbitrary text returns {ok: true|false}, never throws", (_name, parse, path) => {
    fc.assert(
      fc.property(text, (t) => {
        expectOutcome(parse(path, t), path);
        expectOutcome(parse(path, frontmatter(t)), path);
      }),
      { numRuns: 300 },
    );
  });

  /** Keys the parsers look for, so random documents reach past the first check. */
  const KEYS = [
    "name",
    "description",
    "inputSchema",
    "input_schema",
    "annotations",
    "readOnlyHint",
    "destructiveHint",
    "type",
    "function",
    "parameters",
    "tools",
    "version",
    "mcpServers",
    "servers",
    "command",
    "url",
    "allowed-tools",
    "metadata",
    "id",
    "capgate",
    "suite",
    "commit",
    "digests",
    "cases",
    "pass",
    "tags",
    "slice",
    "metrics",
    "evalId",
    "results",
    "success",
    "testCase",
    "eval",
    "status",
    "revision",
    "samples",
    "scores",
    "value",
    "author",
    "reviews",
    "user",
    "login",
    "state",
    "commit_id",
    "teams",
    "artifacts",
    "groups",
    "suites",
    "tiers",
    "files",
    "min_pass_rate",
    "approvals",
    "count",
    "from",
    "evals",
    "prompt",
    "skills",
    "mcp_servers",
    "autonomy",
    "max_steps",
    "confirm",
    "only",
    "path",
    "ladder",
    "classify",
  ];
  const leaf = fc.oneof(
    fc.constantFrom("function", "results/v1", "APPROVED", "success", "C", "I", "1.0.0", "Read", "Bash(git:*)", "chat"),
    fc.constantFrom("a".repeat(40), "sha256:" + "0".repeat(64), "@acme/ml", "write", "1.10"),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constant(null),
    fc.string({ maxLength: 12 }),
  );
  const { doc } = fc.letrec<{ doc: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    doc: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
    array: fc.array(tie("doc"), { maxLength: 4 }),
    object: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie("doc"), {
      maxKeys: 6,
    }),
  }));
  const anyValue = fc.oneof(doc, fc.jsonValue({ maxDepth: 5 }));

  it.each(PARSERS)("%s: arbitrary JSON-ish values as JSON, YAML or frontmatter never throw", (_name, parse, path) => {
    fc.assert(
      fc.property(anyValue, (v) => {
        const json = JSON.stringify(v) ?? "null";
        const yaml = toYaml(v);
        for (const t of [json, yaml, frontmatter(yaml), JSON.stringify(v, null, 2)])
          expectOutcome(parse(path, t), path);
      }),
      { numRuns: 200 },
    );
  });

  /**
   * Writes `v` as JSON, adding one raw member to the n-th object (counting only objects `extra`
   * has a member for), or around the whole value when there are fewer such objects.
   */
  function jsonWith(v: unknown, n: number, extra: (keys: string[]) => string | null, fallback: string): string {
    let seen = 0;
    let injected = false;
    const write = (x: unknown): string => {
      if (Array.isArray(x)) return `[${x.map(write).join(",")}]`;
      if (x !== null && typeof x === "object") {
        const keys = Object.keys(x);
        const members = Object.entries(x).map(([k, y]) => `${JSON.stringify(k)}:${write(y)}`);
        const member = injected ? null : extra(keys);
        if (member !== null && seen++ === n) {
          members.splice(members.length >> 1, 0, member);
          injected = true;
        }
        return `{${members.join(",")}}`;
      }
      return JSON.stringify(x) ?? "null";
    };
    const out = write(v);
    return injected ? out : `{${fallback},"rest":${out}}`;
  }

  it("a forbidden key anywhere in a random document is rejected", () => {
    fc.assert(
      fc.property(
        doc,
        fc.nat(20),
        fc.constantFrom("__proto__", "constructor", "prototype"),
        fc.jsonValue({ maxDepth: 2 }),
        (v, n, key, payload) => {
          const member = `${JSON.stringify(key)}:${JSON.stringify(payload)}`;
          const text = jsonWith(v, n, () => member, member);
          const e = error(parseData("x.json", text));
          expect(e.reason).toMatch(/^forbidden key |^duplicate key .*keys must be unique/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("a duplicated key anywhere in a random document is rejected", () => {
    fc.assert(
      fc.property(doc, fc.nat(20), fc.jsonValue({ maxDepth: 2 }), (v, n, payload) => {
        const dup = (keys: string[]) => (keys.length ? `${JSON.stringify(keys[0])}:${JSON.stringify(payload)}` : null);
        const text = jsonWith(v, n, dup, '"rest":null');
        const e = error(parseData("x.json", text));
        expect(e.reason).toMatch(/^duplicate key .*keys must be unique|^forbidden key /);
      }),
      { numRuns: 300 },
    );
  });

  const CONFIG = resolveConfig("x", { version: 1 });
  const hint = fc.constantFrom<unknown>(undefined, true, false, null, "true", 1, 0, "yes", [], {});
  const annotations = fc.option(
    fc.record(
      { readOnlyHint: hint, destructiveHint: hint, openWorldHint: hint, title: fc.string({ maxLength: 10 }) },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  );
  const toolArb = fc.record({
    form: fc.constantFrom("mcp", "openai", "openai-flat", "anthropic"),
    name: fc.string({ minLength: 1, maxLength: 30 }),
    annotations,
  });

  function render(t: { form: string; name: string; annotations: Record<string, unknown> | undefined }) {
    const schema = { type: "object", properties: { id: { type: "string" } } };
    const ann = t.annotations === undefined ? {} : { annotations: t.annotations };
    switch (t.form) {
      case "mcp":
        return { name: t.name, description: "d", inputSchema: schema, ...ann };
      case "openai":
        return { type: "function", function: { name: t.name, parameters: schema }, ...ann };
      case "openai-flat":
        return { type: "function", name: t.name, parameters: schema, ...ann };
      default:
        return { name: t.name, input_schema: schema, ...ann };
    }
  }

  it("a random tool is read-only only when it is MCP with annotations.readOnlyHint === true", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(toolArb, { minLength: 1, maxLength: 5, selector: (t) => t.name }),
        fc.constantFrom("single", "array", "list"),
        fc.constantFrom("json", "yaml"),
        (tools, wrap, syntax) => {
          const items = tools.map(render);
          const data = wrap === "list" ? { tools: items } : wrap === "array" || items.length > 1 ? items : items[0];
          const text = syntax === "json" ? JSON.stringify(data) : toYaml(data);
          const r = parseToolFile("tools/random." + syntax, text);
          // A non-boolean hint makes an MCP tool invalid; other formats ignore MCP annotations.
          const invalid = tools.some(
            (t) =>
              t.form === "mcp" &&
              (["readOnlyHint", "destructiveHint", "openWorldHint"] as const).some((k) => {
                const h = t.annotations?.[k];
                return h !== undefined && typeof h !== "boolean";
              }),
          );
          expect(r.ok).toBe(!invalid);
          if (!r.ok) return;
          expect(r.value.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
          r.value.tools.forEach((parsed, i) => {
            const src = tools[i]!;
            const readOnly = !toolCapability(parsed, "tools/random", CONFIG).writing;
            expect(readOnly).toBe(src.form === "mcp" && src.annotations?.readOnlyHint === true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the pre-scan for nesting the parser's stack cannot take", () => {
  it("says what the character-by-character scan says, at and around both limits", () => {
    // Runs of one piece at a time, long enough to cross the limits (256 brackets, 512 columns).
    const piece = fc.constantFrom("[", "{", "]", "}", "\n", " ", "\t", "- ", "? ", ": ", "-", "a", "\r\n");
    const text = fc
      .array(fc.tuple(piece, fc.integer({ min: 1, max: 600 })), { maxLength: 8 })
      .map((runs) => runs.map(([p, n]) => p.repeat(n)).join(""));
    fc.assert(
      fc.property(text, (t) => {
        expect(rawNesting(t)).toBe(walkNesting(t));
      }),
      { numRuns: 2000 },
    );
    // At and around both limits, by the answer itself and by the walk's.
    const cases: [string, string | null][] = [
      ["[".repeat(256) + "]".repeat(256), null],
      ["[".repeat(257), "257 brackets deep"],
      ["[]".repeat(400), null],
      ["a:\n" + " ".repeat(512) + "b", null],
      ["a:\n" + " ".repeat(513) + "b", "513 columns of indentation"],
      ["- ".repeat(257) + "x", "514 columns of indentation"],
      ["x" + " ".repeat(600), null],
    ];
    for (const [t, said] of cases) {
      expect(rawNesting(t)).toBe(said);
      expect(walkNesting(t)).toBe(said);
    }
  });
});
