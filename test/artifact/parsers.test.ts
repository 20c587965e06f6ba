import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseToolFile } from "../../src/artifact/tool.js";
import { parsePrompt } from "../../src/artifact/prompt.js";
import { parseSkill, splitToolList } from "../../src/artifact/skill.js";
import { parseMcpConfig } from "../../src/artifact/mcp.js";
import type { McpServer } from "../../src/artifact/types.js";
import { parseAgent } from "../../src/artifact/agent.js";
import { zipSync, strToU8 } from "fflate";
import { inspectZipAsJson, MAX_UNZIPPED_BYTES } from "../../src/gather/inspect-zip.js";
import { parseResults } from "../../src/evidence/results.js";
import { parseApprovalsFile } from "../../src/evidence/approvals-file.js";
import { parseConfig, resolveConfig } from "../../src/config/resolve.js";
import { parseData, splitFrontmatter } from "../../src/parse/document.js";
import { decodeText } from "../../src/gather/blob.js";
import { toolCapability } from "../../src/capability/tools.js";
import { skillCapabilities } from "../../src/runtime/skills.js";
import { findResultFiles } from "../../src/gather/results.js";
import { fixture, fixtureBytes, FORMATS } from "../helpers/fixtures.js";
import type { Parsed } from "../../src/parse/result.js";

/** Real public sample files (test/fixtures/SOURCES.md), never edited. */
const sample = fixture;
const sampleBytes = fixtureBytes;

/** Fenced blocks of the README, so the documentation's own examples are test inputs too. */
const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");
function readmeBlock(after: string, lang: string): string {
  const from = README.indexOf(after);
  if (from < 0) throw new Error(`README.md has no "${after}"`);
  const open = README.indexOf("```" + lang + "\n", from);
  const close = README.indexOf("\n```", open + 1);
  if (open < 0 || close < 0) throw new Error(`README.md has no ${lang} block after "${after}"`);
  return README.slice(open + lang.length + 4, close + 1);
}

function value<T>(r: Parsed<T>): T {
  if (!r.ok) throw new Error(`expected a parse, got ${r.error.path}:${r.error.line ?? ""}: ${r.error.reason}`);
  return r.value;
}

function error<T>(r: Parsed<T>) {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
}

const CONFIG = resolveConfig("x", { version: 1 });

describe("MCP Tool samples (formats/mcp)", () => {
  const github = [
    {
      file: "github-mcp-server@081babf7__compare_commits.snap.json",
      name: "compare_commits",
      annotations: { idempotentHint: false, readOnlyHint: true },
      writing: false,
      why: "readOnlyHint: true",
    },
    {
      file: "github-mcp-server__get_file_contents.snap.json",
      name: "get_file_contents",
      annotations: { idempotentHint: false, readOnlyHint: true },
      writing: false,
      why: "readOnlyHint: true",
    },
    {
      file: "github-mcp-server__create_or_update_file.snap.json",
      name: "create_or_update_file",
      annotations: { idempotentHint: false, readOnlyHint: false },
      writing: true,
      why: "readOnlyHint: false",
    },
    {
      file: "github-mcp-server__delete_file.snap.json",
      name: "delete_file",
      annotations: { destructiveHint: true, idempotentHint: false, readOnlyHint: false },
      writing: true,
      why: "readOnlyHint: false",
    },
  ];

  it.each(github)("$file: one MCP tool, hints exactly as written", ({ file, name, annotations, writing, why }) => {
    const parsed = value(parseToolFile(`tools/${file}`, sample("mcp", file)));
    expect(parsed.version).toBeUndefined();
    expect(parsed.tools).toHaveLength(1);
    const tool = parsed.tools[0]!;
    expect(tool.name).toBe(name);
    expect(tool.format).toBe("mcp");
    // Only the four MCP hints are kept; `title` is not a hint, and unwritten hints stay absent.
    expect(tool.annotations).toEqual(annotations);
    const cap = toolCapability(tool, file, CONFIG);
    expect(cap.writing).toBe(writing);
    expect(cap.why).toBe(why);
  });

  it("keeps the input schema as written (required list and enums survive)", () => {
    const tool = value(parseToolFile("t.json", sample("mcp", "github-mcp-server@081babf7__compare_commits.snap.json")))
      .tools[0]!;
    const schema = tool.inputSchema as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(schema.required).toEqual(["owner", "repo", "base", "head"]);
    expect(schema.properties.detail?.enum).toEqual(["none", "stats", "full_patch"]);
  });

  const spec = [
    ["mcp-spec-2026-07-28-examples__Tool__tool-with-array-output-schema.json", "list_users"],
    ["mcp-spec-2026-07-28-examples__Tool__tool-with-composition-input-schema.json", "find_resource"],
    ["mcp-spec-2026-07-28-examples__Tool__with-default-2020-12-input-schema.json", "calculate_sum"],
    ["mcp-spec-2026-07-28-examples__Tool__with-explicit-draft-07-input-schema.json", "calculate_sum"],
    ["mcp-spec-2026-07-28-examples__Tool__with-no-parameters.json", "get_current_time"],
    ["mcp-spec-2026-07-28-examples__Tool__with-output-schema-for-structured-content.json", "get_weather_data"],
  ] as const;

  it.each(spec)("%s: no annotations, so the MCP defaults make it a writing tool", (file, name) => {
    const parsed = value(parseToolFile(`tools/${file}`, sample("mcp", file)));
    expect(parsed.tools.map((t) => [t.name, t.format])).toEqual([[name, "mcp"]]);
    expect(parsed.tools[0]!.annotations).toEqual({});
    const cap = toolCapability(parsed.tools[0]!, file, CONFIG);
    expect(cap.writing).toBe(true);
    expect(cap.why).toBe("no readOnlyHint (MCP default: not read-only)");
  });

  it("keeps $schema and composition keywords of the input schema", () => {
    const draft7 = value(
      parseToolFile(
        "t.json",
        sample("mcp", "mcp-spec-2026-07-28-examples__Tool__with-explicit-draft-07-input-schema.json"),
      ),
    ).tools[0]!.inputSchema as Record<string, unknown>;
    expect(draft7.$schema).toBe("http://json-schema.org/draft-07/schema#");
    const composed = value(
      parseToolFile(
        "t.json",
        sample("mcp", "mcp-spec-2026-07-28-examples__Tool__tool-with-composition-input-schema.json"),
      ),
    ).tools[0]!.inputSchema as { oneOf: unknown[] };
    expect(composed.oneOf).toHaveLength(2);
  });

  it("a config classification can make an unannotated tool read-only, and `writing` wins over `read_only`", () => {
    const tool = value(
      parseToolFile("t.json", sample("mcp", "mcp-spec-2026-07-28-examples__Tool__with-no-parameters.json")),
    ).tools[0]!;
    const ro = resolveConfig("x", { version: 1, classify: { read_only: ["get_*"] } });
    expect(toolCapability(tool, "t", ro).writing).toBe(false);
    const both = resolveConfig("x", { version: 1, classify: { read_only: ["get_*"], writing: ["get_current_time"] } });
    expect(toolCapability(tool, "t", both).writing).toBe(true);
    // A tool that says read-only is still writing when the config says so.
    const ghRead = value(parseToolFile("t.json", sample("mcp", "github-mcp-server__get_file_contents.snap.json")))
      .tools[0]!;
    const w = resolveConfig("x", { version: 1, classify: { writing: ["get_file_contents"] } });
    expect(toolCapability(ghRead, "t", w).writing).toBe(true);
  });

  const LIST = "mcp-spec-2026-07-28-examples__ListToolsResult__tools-list-with-cursor-and-ttl.json";

  it("reads the tools of a tools/list result (extra result fields such as ttlMs are not tools)", () => {
    // The sample without its nextCursor: a complete one-page list.
    const complete = JSON.parse(sample("mcp", LIST)) as Record<string, unknown>;
    delete complete.nextCursor;
    const parsed = value(parseToolFile("tools/list.json", JSON.stringify(complete)));
    expect(parsed.version).toBeUndefined();
    expect(parsed.tools).toHaveLength(1);
    expect(parsed.tools[0]).toMatchObject({ name: "get_weather", format: "mcp", annotations: {} });
    expect(toolCapability(parsed.tools[0]!, "tools/list.json", CONFIG).writing).toBe(true);
  });

  // A tools/list result carrying `nextCursor` is one page of the server's tools: taking it as the
  // whole list would leave the other pages uncounted, so it is refused.
  it("does not take a tools/list page with nextCursor as the server's complete tool list", () => {
    const r = parseToolFile("tools/list.json", sample("mcp", LIST));
    expect(error(r).reason).toMatch(/nextCursor|page|incomplete/i);
  });

  it("names a duplicate tool name inside one file", () => {
    const one = JSON.parse(sample("mcp", "github-mcp-server__delete_file.snap.json")) as unknown;
    const r = parseToolFile("tools/dup.json", JSON.stringify({ tools: [one, one] }));
    expect(error(r).reason).toBe('tool "delete_file" is defined twice');
  });

  it("reads every sample together as one array, in order, and a versioned {version, tools} file", () => {
    const files = [...github.map((g) => g.file), ...spec.filter(([, n]) => n !== "calculate_sum").map(([f]) => f)];
    const all = files.map((f) => JSON.parse(sample("mcp", f)) as unknown);
    const arr = value(parseToolFile("tools/all.json", JSON.stringify(all)));
    expect(arr.tools.map((t) => t.name)).toEqual([
      "compare_commits",
      "get_file_contents",
      "create_or_update_file",
      "delete_file",
      "list_users",
      "find_resource",
      "get_current_time",
      "get_weather_data",
    ]);
    const versioned = value(parseToolFile("tools/all.json", JSON.stringify({ version: "2.1.0", tools: all })));
    expect(versioned.version).toBe("2.1.0");
    expect(error(parseToolFile("tools/all.json", JSON.stringify({ version: true, tools: all }))).reason).toBe(
      "`version` must be a string",
    );
  });

  it("rejects a tool whose hint is not a boolean, naming the field", () => {
    const t = JSON.parse(sample("mcp", "github-mcp-server__get_file_contents.snap.json")) as {
      annotations: Record<string, unknown>;
    };
    t.annotations.readOnlyHint = "true";
    const e = error(parseToolFile("tools/t.json", JSON.stringify(t)));
    expect(e.reason).toMatch(/^tool: not a valid MCP tool: annotations\.readOnlyHint: /);
  });

  it("rejects an MCP tool without inputSchema and an object that is no tool", () => {
    expect(error(parseToolFile("t.json", '{"name": "x", "annotations": {"readOnlyHint": true}}')).reason).toMatch(
      /^tool: not a valid MCP tool: inputSchema: /,
    );
    expect(error(parseToolFile("t.json", '{"name": "x", "description": "d"}')).reason).toMatch(
      /^tool: not a recognised tool/,
    );
    expect(error(parseToolFile("t.json", '{"tools": {"a": 1}}')).reason).toBe("`tools` must be an array of tools");
    expect(error(parseToolFile("t.json", '"just a string"')).reason).toMatch(/a tool file must hold a tool/);
    expect(error(parseToolFile("t.json", "[1]")).reason).toBe("tools[0]: a tool must be an object");
  });
});

describe("OpenAI and Anthropic tools", () => {
  // Shapes as documented: Chat Completions nests the function; the Responses API writes it flat.
  const nested = {
    type: "function",
    function: {
      name: "get_weather",
      description: "Get current temperature for a given location.",
      parameters: {
        type: "object",
        properties: { location: { type: "string", description: "City and country e.g. Bogotá, Colombia" } },
        required: ["location"],
        additionalProperties: false,
      },
      strict: true,
    },
  };
  const flat = {
    type: "function",
    name: "send_email",
    description: "Send an email to a given recipient.",
    parameters: { type: "object", properties: { to: { type: "string" } }, required: ["to"] },
    strict: true,
  };
  const anthropic = {
    name: "get_stock_price",
    description: "Retrieves the current stock price for a given ticker symbol.",
    input_schema: { type: "object", properties: { ticker: { type: "string" } }, required: ["ticker"] },
  };

  it("reads nested and flat OpenAI function tools and Anthropic tools, each as writing", () => {
    const parsed = value(parseToolFile("tools/mixed.json", JSON.stringify([nested, flat, anthropic])));
    expect(parsed.tools.map((t) => [t.name, t.format])).toEqual([
      ["get_weather", "openai"],
      ["send_email", "openai"],
      ["get_stock_price", "anthropic"],
    ]);
    expect(parsed.tools[0]!.inputSchema).toEqual(nested.function.parameters);
    expect(parsed.tools[1]!.inputSchema).toEqual(flat.parameters);
    expect(parsed.tools[2]!.inputSchema).toEqual(anthropic.input_schema);
    for (const t of parsed.tools) {
      expect(t.annotations).toEqual({});
      expect(toolCapability(t, "tools/mixed.json", CONFIG).writing).toBe(true);
    }
  });

  it("reads the same tools from YAML", () => {
    const yaml = `- type: function
  function:
    name: get_weather
    parameters: {type: object}
- name: get_stock_price
  input_schema: {type: object}
`;
    expect(value(parseToolFile("tools/t.yaml", yaml)).tools.map((t) => t.format)).toEqual(["openai", "anthropic"]);
  });

  it("a function without parameters has an empty input schema", () => {
    const t = value(parseToolFile("t.json", '{"type": "function", "function": {"name": "ping"}}')).tools[0]!;
    expect(t).toEqual({ name: "ping", format: "openai", annotations: {}, inputSchema: {} });
  });

  it("an OpenAI or Anthropic tool cannot claim read-only through MCP-style annotations", () => {
    const claims = { annotations: { readOnlyHint: true } };
    const parsed = value(
      parseToolFile(
        "t.json",
        JSON.stringify([
          { ...nested, ...claims },
          { ...flat, ...claims },
          { ...anthropic, ...claims },
        ]),
      ),
    );
    for (const t of parsed.tools) expect(toolCapability(t, "t.json", CONFIG).writing).toBe(true);
  });

  it("names the bad field of a malformed OpenAI or Anthropic tool", () => {
    expect(error(parseToolFile("t.json", '{"type": "function", "function": {"name": ""}}')).reason).toMatch(
      /^tool: not a valid OpenAI function tool: function\.name: /,
    );
    expect(error(parseToolFile("t.json", '[{"type": "function"}]')).reason).toMatch(
      /^tools\[0\]: not a valid OpenAI function tool: name: /,
    );
    expect(error(parseToolFile("t.json", '{"name": "x", "input_schema": "object"}')).reason).toMatch(
      /^tool: not a valid Anthropic tool: input_schema: /,
    );
  });

  it("a tool name is unique across formats within a file", () => {
    const r = parseToolFile(
      "t.json",
      JSON.stringify([nested, { name: "get_weather", inputSchema: {}, annotations: { readOnlyHint: true } }]),
    );
    expect(error(r).reason).toBe('tool "get_weather" is defined twice');
  });
});

describe("MCP client configs (formats/mcp-config)", () => {
  const server = (name: string, transport: string, more: Partial<McpServer> = {}): McpServer => ({
    name,
    transport,
    disabled: false,
    tools: null,
    excluded: [],
    trusted: false,
    pinned: null,
    package: null,
    // How it is started is checked on its own below.
    launch: expect.anything() as never,
    ...more,
  });

  // Real files of each dialect, and what each declares.
  it.each([
    [
      "a Claude Code .mcp.json, an HTTP server",
      ".mcp.json",
      "0GiS0-github-copilot-and-jenkins__.mcp.json",
      [server("jenkins", "url http://jenkins:8080/mcp-server/stateless")],
    ],
    [
      "VS Code's `servers` map (tab-indented)",
      ".vscode/mcp.json",
      "microsoft-vscode__.vscode_mcp.json",
      [server("vscode-playwright-mcp", "command npm")],
    ],
    [
      "a plugin's .mcp.json, the server map itself",
      "plugins/github/.mcp.json",
      "anthropics-claude-plugins-official__external_plugins_github_.mcp.json",
      [server("github", "url https://api.githubcopilot.com/mcp/")],
    ],
    [
      "Copilot's per-server `tools` allowlist",
      ".mcp.json",
      "github-awesome-copilot__mcp.json",
      [
        server("github-agentic-workflows", "command gh", {
          tools: ["compile", "audit", "logs", "inspect", "status", "audit-diff"],
        }),
      ],
    ],
    [
      "Gemini's `httpUrl` in an extension",
      "gemini-extension.json",
      "github-github-mcp-server__gemini-extension.json",
      [server("github", "httpUrl https://api.githubcopilot.com/mcp/")],
    ],
  ] as const)("reads %s", (_what, path, file, servers) => {
    expect(value(parseMcpConfig(path, sample("mcp-config", file))).servers).toEqual(servers);
  });

  it("reads JSON with comments and trailing commas, as VS Code and Zed write it", () => {
    const text = `{
  // the team's browser server
  "servers": {
    "playwright": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp"], },
  },
  "inputs": [{ "type": "promptString", "id": "token", "password": true }],
}`;
    expect(value(parseMcpConfig(".vscode/mcp.json", text)).servers).toEqual([
      server("playwright", "command npx", { pinned: false, package: "@playwright/mcp" }),
    ]);
  });

  it.each([
    ["npx", ["-y", "@modelcontextprotocol/server-github@2025.4.8"], true],
    ["npx", ["-y", "@modelcontextprotocol/server-github"], false],
    ["uvx", ["mcp-server-git==0.6.2"], true],
    // An image by tag can be moved to other content; only its digest pins it.
    ["docker", ["run", "-i", "--rm", "-e", "TOKEN", "ghcr.io/github/github-mcp-server:v0.9.0"], false],
    ["docker", ["run", "-i", "--rm", "-e", "TOKEN", `ghcr.io/github/github-mcp-server@sha256:${"a".repeat(64)}`], true],
    ["npx", ["-y", "server-x@^1.2.0"], false],
    ["npx", ["-y", "server-x@latest"], false],
    ["npx", ["-y", "--package=server-x@1.2.0", "server-x"], true],
    ["uvx", ["mcp-server-git"], false],
    ["uvx", ["--from", "mcp-server-git==0.6.2", "mcp-server-git"], true],
    ["uvx", ["mcp-server-git>=0.6"], false],
    ["pipx", ["run", "mcp-server-fetch==2025.4.7"], true],
    ["pnpm", ["dlx", "server-x@1.0.0"], true],
    ["docker", ["run", "-i", "--rm", "-v", "x:/w", "--name", "arm", "armlimited/arm-mcp:latest"], false],
    ["node", ["dist/server.js"], null],
  ] as const)("a server run by %s %j is pinned: %s", (command, args, pinned) => {
    const text = JSON.stringify({ mcpServers: { s: { command, args } } });
    expect(value(parseMcpConfig(".mcp.json", text)).servers[0]!.pinned).toBe(pinned);
  });

  it("reads Windsurf's serverUrl, Zed's context_servers, Continue's list, disabled servers and Gemini's trust", () => {
    const windsurf = '{"mcpServers": {"gh": {"serverUrl": "https://api.githubcopilot.com/mcp/"}}}';
    expect(value(parseMcpConfig(".mcp.json", windsurf)).servers).toEqual([
      server("gh", "serverUrl https://api.githubcopilot.com/mcp/"),
    ]);
    const zed = '{ "theme": "One Dark", "context_servers": { "db": { "command": { "path": "pg-mcp", "args": [] } } } }';
    expect(value(parseMcpConfig(".zed/settings.json", zed)).servers).toEqual([server("db", "command pg-mcp")]);
    const continueYaml = "name: servers\nversion: 0.0.1\nschema: v1\nmcpServers:\n  - name: sqlite\n    command: npx\n";
    expect(value(parseMcpConfig(".continue/mcpServers/s.yaml", continueYaml)).servers).toEqual([
      server("sqlite", "command npx"),
    ]);
    const gemini =
      '{"mcpServers": {"a": {"command": "x", "trust": true, "excludeTools": ["rm"]}, "b": {"url": "https://b", "disabled": true}}}';
    expect(value(parseMcpConfig(".gemini/settings.json", gemini)).servers).toEqual([
      server("a", "command x", { trusted: true, excluded: ["rm"] }),
      server("b", "url https://b", { disabled: true }),
    ]);
  });

  it("keeps how each server is started or reached: its arguments, environment and headers as written", () => {
    const text = JSON.stringify({
      mcpServers: {
        github: {
          command: "docker",
          args: ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server", "--read-only"],
          env: { GITHUB_READ_ONLY: "1", B: 2 },
        },
        zed: { command: { path: "pg-mcp", args: ["--db", "x"], env: { A: "a" } } },
        remote: { url: "https://example.com/mcp", headers: { "X-MCP-Readonly": "true" } },
      },
    });
    expect(value(parseMcpConfig(".mcp.json", text)).servers.map((x) => [x.name, x.launch])).toEqual([
      [
        "github",
        {
          command: "docker",
          url: null,
          type: null,
          cwd: null,
          args: ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server", "--read-only"],
          env: ["B=2", "GITHUB_READ_ONLY=1"],
          headers: [],
        },
      ],
      ["zed", { command: "pg-mcp", url: null, type: null, cwd: null, args: ["--db", "x"], env: ["A=a"], headers: [] }],
      [
        "remote",
        {
          command: null,
          url: "https://example.com/mcp",
          type: null,
          cwd: null,
          args: [],
          env: [],
          headers: ["X-MCP-Readonly: true"],
        },
      ],
    ]);
  });

  it("a settings file that configures no servers declares none", () => {
    expect(value(parseMcpConfig(".zed/settings.json", '{"theme": "One Dark"}')).servers).toEqual([]);
    expect(value(parseMcpConfig(".mcp.json", "{}")).servers).toEqual([]);
  });

  it("finds a server named twice, a key written twice, and what cannot be a server", () => {
    const twice = JSON.stringify({ mcpServers: { a: { command: "x" } }, servers: { a: { url: "https://b" } } });
    expect(error(parseMcpConfig(".mcp.json", twice)).reason).toBe('server "a" is defined twice');
    const key = '{\n  "mcpServers": {\n    "a": { "command": "x" },\n    "a": { "command": "y" }\n  }\n}';
    expect(error(parseMcpConfig(".mcp.json", key))).toEqual({
      path: ".mcp.json",
      line: 4,
      reason: 'duplicate key "a": keys must be unique',
    });
    expect(error(parseMcpConfig(".mcp.json", "[]")).reason).toBe("an MCP config must be a JSON object");
    expect(error(parseMcpConfig(".mcp.json", '{"servers": []}')).reason).toBe("`servers` must be an object of servers");
    expect(error(parseMcpConfig(".mcp.json", '{"servers": {"a": 1}}')).reason).toBe(
      "servers.a: a server must be an object",
    );
    expect(error(parseMcpConfig(".mcp.json", '{"mcpServers": {"a": {"command": "x", "tools": "all"}}}')).reason).toBe(
      "mcpServers.a.tools must be a list of tool names",
    );
    expect(error(parseMcpConfig(".mcp.json", '{"mcpServers": {"a": {"command": "x"}')).reason).toMatch(/^malformed: /);
  });
});

describe("SKILL.md (formats/skills)", () => {
  it("the template skill has no allowed-tools: null, so it gives no tool of its own", () => {
    const skill = value(
      parseSkill("skills/template/SKILL.md", sample("skills", "anthropics-skills__template__SKILL.md")),
    );
    expect(skill).toEqual({ name: "template-skill", allowedTools: null });
    expect(skillCapabilities(skill, "skills/template", CONFIG)).toEqual([]);
    const bash = skillCapabilities({ ...skill, allowedTools: ["Bash(git:*)", "Read"] }, "skills/template", CONFIG);
    expect(bash.map((c) => [c.name, c.writing])).toEqual([
      ["Bash(git:*)", true],
      ["Read", false],
    ]);
  });

  it("the mcp-builder skill (with a licence field and a long body) has no allowed-tools", () => {
    const skill = value(
      parseSkill("skills/mcp-builder/SKILL.md", sample("skills", "anthropics-skills__mcp-builder__SKILL.md")),
    );
    expect(skill.name).toBe("mcp-builder");
    expect(skill.allowedTools).toBeNull();
    expect(skill.version).toBeUndefined();
  });

  const spec = sample("skills", "agentskills__docs_specification.mdx");
  /** The fenced `SKILL.md` examples of the Agent Skills specification. */
  const specExamples = [...spec.matchAll(/```markdown SKILL\.md\n([\s\S]*?)\n```/g)].map((m) => m[1]! + "\n");

  it("the specification's own examples parse; metadata.version is the version", () => {
    expect(specExamples).toHaveLength(3);
    const minimal = value(parseSkill("skills/skill-name/SKILL.md", specExamples[0]!));
    expect(minimal).toEqual({ name: "skill-name", allowedTools: null });
    const full = value(parseSkill("skills/pdf-processing/SKILL.md", specExamples[1]!));
    expect(full).toEqual({ name: "pdf-processing", allowedTools: null, version: "1.0" });
  });

  it("a list of allowed-tools takes each item as one name, spaces and all", () => {
    const text =
      "---\nname: a\ndescription: A skill.\nallowed-tools:\n  - Read\n  - ' Azure MCP/documentation '\n---\nBody\n";
    expect(value(parseSkill("skills/a/SKILL.md", text)).allowedTools).toEqual(["Read", "Azure MCP/documentation"]);
  });

  it("the specification's allowed-tools example splits on spaces, keeping specifiers whole", () => {
    const line = /^allowed-tools: .*$/m.exec(spec)?.[0];
    expect(line).toBe("allowed-tools: Bash(git:*) Bash(jq:*) Read");
    const text = specExamples[0]!.replace("---\n", "---\n" + line + "\n");
    const skill = value(parseSkill("skills/skill-name/SKILL.md", text));
    expect(skill.allowedTools).toEqual(["Bash(git:*)", "Bash(jq:*)", "Read"]);
    const caps = skillCapabilities(skill, "skills/skill-name", CONFIG);
    expect(caps.map((c) => [c.name, c.writing])).toEqual([
      ["Bash(git:*)", true],
      ["Bash(jq:*)", true],
      ["Read", false],
    ]);
  });

  it("keeps `Bash(git add:*)` whole in the string form, also with commas", () => {
    const text = "---\nname: committer\ndescription: Commits.\nallowed-tools: Bash(git add:*) Read, Grep\n---\nBody\n";
    expect(value(parseSkill("s/SKILL.md", text)).allowedTools).toEqual(["Bash(git add:*)", "Read", "Grep"]);
    expect(splitToolList("Bash(git commit -m:*),Edit  Write")).toEqual(["Bash(git commit -m:*)", "Edit", "Write"]);
  });

  it("reads the YAML list form", () => {
    const text = "---\nname: committer\ndescription: Commits.\nallowed-tools:\n  - Bash(git add:*)\n  - Read\n---\n";
    expect(value(parseSkill("s/SKILL.md", text)).allowedTools).toEqual(["Bash(git add:*)", "Read"]);
    const bad = "---\nname: c\ndescription: d\nallowed-tools:\n  - Read\n  - {Bash: yes}\n---\n";
    expect(error(parseSkill("s/SKILL.md", bad)).reason).toBe(
      "`allowed-tools` must be a space-separated string or a list of tool names",
    );
  });

  it("a specification page is not a skill: its frontmatter has no name", () => {
    expect(error(parseSkill("docs/SKILL.md", spec)).reason).toBe("frontmatter needs a non-empty `name`");
  });

  it("rejects a SKILL.md without frontmatter, or with an unclosed one, at line 1", () => {
    expect(error(parseSkill("s/SKILL.md", "# Just markdown\n"))).toMatchObject({ line: 1 });
    expect(error(parseSkill("s/SKILL.md", "---\nname: a\ndescription: b\n"))).toEqual({
      path: "s/SKILL.md",
      line: 1,
      reason: "frontmatter opened with --- is never closed",
    });
  });

  it("reads CRLF line endings", () => {
    const crlf = sample("skills", "anthropics-skills__template__SKILL.md").replace(/\n/g, "\r\n");
    expect(value(parseSkill("s/SKILL.md", crlf)).name).toBe("template-skill");
  });
});

describe("prompts (formats/prompty, dotprompt, github-models)", () => {
  it("the tools a prompt binds: dotprompt tools, Prompty v2 tools, Prompty v1 model.parameters.tools", () => {
    expect(value(parsePrompt("p.prompt", "---\ntools: [getWeather, lookupOrder]\n---\nHi")).tools).toEqual([
      "getWeather",
      "lookupOrder",
    ]);
    expect(
      value(parsePrompt("p.prompty", sample("prompty", "prompty-v2__runtime_python_tests_tools_function.prompty")))
        .tools,
    ).toEqual(["get_current_weather", "create_a_picture"]);
    const v1 =
      "---\nname: x\nmodel:\n  parameters:\n    tools:\n      - type: function\n        function: { name: refund }\n---\nHi";
    expect(value(parsePrompt("p.prompty", v1)).tools).toEqual(["refund"]);
    expect(
      value(parsePrompt("p.prompt", sample("dotprompt", "dotprompt__examples__valid-customer-support.prompt"))).tools,
    ).toBeUndefined();
  });

  it.each([
    ["prompty-v2__runtime_python_tests_basic.prompty", { id: "basic-prompt" }],
    ["prompty-v2__runtime_python_tests_rich_metadata.prompty", { id: "rich-metadata", version: "2.0" }],
    [
      "prompty-v2__runtime_python_tests_tools_function.prompty",
      { id: "function-tools", tools: ["get_current_weather", "create_a_picture"] },
    ],
    ["prompty-v1@5a6a3175__runtime_prompty_tests_basic.prompty", { id: "Basic Prompt" }],
  ])("%s", (file, expected) => {
    expect(value(parsePrompt(`prompts/${file}`, sample("prompty", file)))).toEqual(expected);
  });

  it("the Prompty v1 schema file holds a real duplicate key, reported at its line", () => {
    // In the upstream file a comment swallowed `model:`, so `$schema` gets `type` twice (lines 12, 14).
    const e = error(parseData("Prompty.yaml", sample("prompty", "prompty-v1@5a6a3175__Prompty.yaml")));
    expect(e).toEqual({ path: "Prompty.yaml", line: 14, reason: 'duplicate key "type": keys must be unique' });
  });

  it("dotprompt valid-customer-support.prompt: frontmatter without id or version", () => {
    const text = sample("dotprompt", "dotprompt__examples__valid-customer-support.prompt");
    expect(value(parsePrompt("prompts/support.prompt", text))).toEqual({});
    const fm = splitFrontmatter(text, true);
    expect(fm.yaml).toContain("model: gemini-2.5-flash");
    expect(fm.body.startsWith('{{#role "system"}}')).toBe(true);
  });

  describe("dotprompt features.prompt (licence comment lines before the frontmatter)", () => {
    const text = sample("dotprompt", "dotprompt__examples__features.prompt");
    const lines = text.split("\n");
    const fence = lines.indexOf("---");

    it("finds the frontmatter after the licence header", () => {
      expect(fence).toBeGreaterThan(10);
      const fm = splitFrontmatter(text, true);
      expect(fm.unclosed).toBe(false);
      expect(fm.yaml?.split("\n")[0]).toBe("model: googleai/gemini-pro");
      expect(fm.yamlLine).toBe(fence + 1);
      expect(fm.body.startsWith('{{role "system"}}')).toBe(true);
      expect(value(parsePrompt("prompts/features.prompt", text))).toEqual({});
    });

    it("reads a version written into that frontmatter", () => {
      const versioned = [...lines.slice(0, fence + 1), "version: 3.1.0", ...lines.slice(fence + 1)].join("\n");
      expect(value(parsePrompt("prompts/features.prompt", versioned))).toEqual({ version: "3.1.0" });
    });

    it("reports a frontmatter error at its line in the file, past the licence header", () => {
      // 0-based line fence+3 is `  schema:` (file line fence+4); leave its flow sequence open.
      const broken = [...lines];
      broken[fence + 3] = "  schema: [unclosed";
      const e = error(parsePrompt("prompts/features.prompt", broken.join("\n")));
      expect(e.path).toBe("prompts/features.prompt");
      expect(e.reason).toMatch(/^malformed: /);
      expect(e.line).toBeGreaterThanOrEqual(fence + 4);
      expect(e.line).toBeLessThanOrEqual(fence + 6);
    });

    it("comment lines are not skipped for other prompt files", () => {
      const versioned = [...lines.slice(0, fence + 1), "version: 3.1.0", ...lines.slice(fence + 1)].join("\n");
      expect(value(parsePrompt("prompts/features.md", versioned))).toEqual({});
    });
  });

  it.each([
    ["gh-models__examples__sample_prompt.yml", "Sample Evaluation"],
    ["gh-models__examples__json_schema_prompt.yml", "JSON Schema Response Example"],
  ])("GitHub Models %s, gated as *.prompt.yml", (file, id) => {
    expect(value(parsePrompt("prompts/example.prompt.yml", sample("github-models", file)))).toEqual({ id });
  });

  it("a .prompt.yml that is not a mapping, and an unclosed frontmatter, are errors", () => {
    expect(error(parsePrompt("p.prompt.yml", "- a\n- b\n")).reason).toBe("a .prompt.yml file must be a YAML mapping");
    expect(error(parsePrompt("prompts/p.md", "---\nversion: 1.0.0\nbody")).reason).toBe(
      "frontmatter opened with --- is never closed",
    );
    expect(error(parsePrompt("prompts/p.md", "---\n- a\n---\nbody"))).toMatchObject({
      line: 2,
      reason: "frontmatter must be a YAML mapping",
    });
  });

  it("a plain Markdown prompt has no identity, and an empty frontmatter is fine", () => {
    expect(value(parsePrompt("prompts/p.md", "# System\nBe nice.\n"))).toEqual({});
    expect(value(parsePrompt("prompts/p.md", "---\n---\nBe nice.\n"))).toEqual({});
  });

  it("reads a BOM-prefixed JSON tool file the way git hands it over", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      sampleBytes("mcp", "github-mcp-server__get_file_contents.snap.json"),
    ]);
    const text = decodeText(bytes);
    expect(text.ok).toBe(true);
    if (!text.ok) return;
    expect(value(parseToolFile("tools/t.json", text.text)).tools[0]!.annotations.readOnlyHint).toBe(true);
  });

  // Files saved with a UTF-8 byte-order mark keep their frontmatter (and so their version rule).
  it("reads the frontmatter of a prompt saved with a UTF-8 BOM", () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      sampleBytes("prompty", "prompty-v2__runtime_python_tests_rich_metadata.prompty"),
    ]);
    const text = decodeText(bytes);
    if (!text.ok) throw new Error(text.reason);
    expect(value(parsePrompt("prompts/rich.prompty", text.text))).toEqual({ id: "rich-metadata", version: "2.0" });
  });

  // `version: 1.10` is a float to YAML; read as 1.1 it would make 1.9 → 1.10 a downgrade.
  it("reads an unquoted `version: 1.10` as written", () => {
    expect(value(parsePrompt("prompts/p.md", "---\nversion: 1.10\n---\nx")).version).toBe("1.10");
  });
});

describe("eval results", () => {
  it("promptfoo sample-export.json: four cases, all failing, named by test, provider and prompt", () => {
    const set = value(
      parseResults("eval-results/promptfoo.json", sample("promptfoo", "promptfoo__test__fixtures__sample-export.json")),
    );
    expect(set.format).toBe("promptfoo");
    expect(set.commit).toBeUndefined();
    expect(set.digests).toBeUndefined();
    expect(set.suite).toBeUndefined();
    expect(set.cases).toEqual([
      { id: "test 0 @ openai:gpt-5-mini prompt 1", pass: false, tags: [], slice: {} },
      { id: "test 0 @ openai:gpt-5", pass: false, tags: [], slice: {} },
      { id: "test 1 @ openai:gpt-5-mini prompt 1", pass: false, tags: [], slice: {} },
      { id: "test 1 @ openai:gpt-5", pass: false, tags: [], slice: {} },
    ]);
  });

  it("promptfoo: metadata gives tags, canary and slices", () => {
    const out = JSON.parse(sample("promptfoo", "promptfoo__test__fixtures__sample-export.json")) as {
      results: { results: Record<string, unknown>[] };
    };
    const first = out.results.results[0]!;
    delete first.id;
    first.success = true;
    first.testCase = { metadata: { tags: ["refund", 7], canary: true, locale: "de", n: 2, nested: { x: 1 } } };
    const set = value(parseResults("r.json", JSON.stringify(out)));
    expect(set.cases[0]).toEqual({
      id: "test 0 @ openai:gpt-5-mini prompt 1",
      pass: true,
      tags: ["refund", "canary"],
      slice: { locale: "de", n: "2" },
    });
  });

  it("a promptfoo config is not a result file", () => {
    const r = parseResults(
      "eval-results/promptfooconfig.yaml",
      sample("promptfoo", "promptfoo__examples__getting-started__promptfooconfig.yaml"),
    );
    expect(error(r).reason).toMatch(/^unknown result format/);
  });

  it("Inspect log_formats.json: one failing sample, bound to commit 02526f4c, with metrics", () => {
    const set = value(parseResults("logs/log.json", sample("inspect", "inspect_ai__tests__log_formats.json")));
    expect(set.format).toBe("inspect");
    expect(set.commit).toBe("02526f4c");
    expect(set.cases).toHaveLength(1);
    expect(set.cases[0]).toMatchObject({ id: "1#1", pass: false, tags: [] });
    expect(set.metrics).toEqual({ "match/accuracy": 0, "match/stderr": 0, accuracy: 0, stderr: 0 });
  });

  it("Inspect: a metric two scorers report is named only with its scorer", () => {
    const log = JSON.parse(sample("inspect", "inspect_ai__tests__log_formats.json")) as {
      results: { scores: { name: string; metrics: Record<string, { value: number }> }[] };
    };
    const match = log.results.scores[0]!;
    log.results.scores.push({
      ...match,
      name: "judge",
      metrics: { accuracy: { ...match.metrics.accuracy!, value: 1 } },
    });
    const set = value(parseResults("l.json", JSON.stringify(log)));
    expect(set.metrics).toEqual({ "match/accuracy": 0, "match/stderr": 0, "judge/accuracy": 1, stderr: 0 });
  });

  it("Inspect: C, P, I, N, booleans and numbers are scores; a case passes at the suite's pass_score", () => {
    const log = JSON.parse(sample("inspect", "inspect_ai__tests__log_formats.json")) as {
      samples: { scores: Record<string, { value: unknown }> }[];
    };
    const pass = (v: unknown, passScore?: number) => {
      log.samples[0]!.scores.match!.value = v;
      const opts = passScore === undefined ? {} : { passScore };
      return value(parseResults("l.json", JSON.stringify(log), opts)).cases[0]!.pass;
    };
    expect([pass("C"), pass(true), pass(1), pass("P"), pass(0.5), pass("I"), pass("N")]).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect([pass("P", 0.5), pass(0.7, 0.5), pass(0.4, 0.5)]).toEqual([true, true, false]);
    log.samples[0]!.scores.match!.value = { answer: 1 };
    expect(error(parseResults("l.json", JSON.stringify(log))).reason).toBe(
      "sample 1: a score is neither a number nor C, P, I or N",
    );
    log.samples[0]!.scores = {};
    expect(error(parseResults("l.json", JSON.stringify(log))).reason).toMatch(/^sample 1: /);
  });

  it("Inspect .eval (zip) log: read as the JSON log it holds, with its commit", async () => {
    const found = await findResultFiles(join(FORMATS, "inspect"), ["*.eval"]);
    expect(found.map((f) => f.path)).toEqual(["inspect_ai__tests__log_formats.eval"]);
    const content = found[0]!.content;
    if (!content.ok) throw new Error(content.reason);
    const fromZip = value(parseResults("l.eval", content.text));
    const fromJson = value(parseResults("l.json", sample("inspect", "inspect_ai__tests__log_formats.json")));
    expect(fromZip).toMatchObject({ format: "inspect", commit: fromJson.commit });
    expect(fromZip.cases.map((c) => [c.id, c.pass])).toEqual(fromJson.cases.map((c) => [c.id, c.pass]));
  });

  it("a zip that is not an Inspect log, or that would unpack past the limit, is an error saying so", async () => {
    const notLog = zipSync({ "readme.txt": strToU8("hello") });
    expect(await inspectZipAsJson(notLog)).toEqual({ ok: false, reason: expect.stringMatching(/no header\.json/) });
    expect(await inspectZipAsJson(strToU8("PK\u0003\u0004 broken"))).toEqual({
      ok: false,
      reason: expect.stringMatching(/cannot be read/),
    });
    // An archive whose directory declares more than the limit is refused before anything is inflated.
    const big = Buffer.from(zipSync({ "header.json": strToU8("{}"), "samples/1.json": strToU8("{}") }));
    const cd = big.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
    big.writeUInt32LE(MAX_UNZIPPED_BYTES + 1, cd + 24);
    expect(await inspectZipAsJson(big)).toEqual({ ok: false, reason: expect.stringMatching(/unpacks to more than/) });
  });

  it("promptfoo: cases named by description or metadata.id, namedScores as metrics, JSONL read line by line", () => {
    const out = {
      evalId: "e",
      results: {
        version: 3,
        results: [
          {
            id: "uuid-1",
            success: true,
            testIdx: 0,
            testCase: { description: "refunds need an order id" },
            namedScores: { tone: 0.8 },
          },
          {
            id: "uuid-2",
            success: false,
            testIdx: 1,
            testCase: { metadata: { id: "refund-02", canary: true } },
            namedScores: { tone: 0.4 },
          },
          { id: "uuid-3", success: true, testIdx: 2, testCase: {} },
        ],
      },
    };
    const set = value(parseResults("r.json", JSON.stringify(out)));
    expect(set.cases.map((c) => [c.id, c.pass, c.tags])).toEqual([
      ["refunds need an order id", true, []],
      ["refund-02", false, ["canary"]],
      ["test 2", true, []],
    ]);
    expect(set.metrics.tone).toBeCloseTo(0.6);
    const lines = out.results.results.map((r) => JSON.stringify(r)).join("\n") + "\n";
    expect(value(parseResults("r.jsonl", lines)).cases.map((c) => c.id)).toEqual(set.cases.map((c) => c.id));
    expect(error(parseResults("r.jsonl", lines + "{not json}\n"))).toMatchObject({
      line: 4,
      reason: expect.stringMatching(/^malformed/),
    });
  });

  it("the real promptfoo sample's cases keep their names across runs, not per-run ids", () => {
    const set = value(parseResults("r.json", sample("promptfoo", "promptfoo__test__fixtures__sample-export.json")));
    for (const c of set.cases) expect(c.id).not.toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it("gh models eval --json: a test passes when every evaluator did; each evaluator's mean score a metric", () => {
    const out = {
      name: "Support prompt",
      model: "openai/gpt-4o",
      testResults: [
        {
          testCase: { input: "hi" },
          modelResponse: "hello",
          evaluationResults: [{ evaluatorName: "greets", score: 1, passed: true }],
        },
        {
          testCase: { id: "refund" },
          modelResponse: "no",
          evaluationResults: [{ evaluatorName: "greets", score: 0, passed: false }],
        },
      ],
      summary: { totalTests: 2, passedTests: 1, failedTests: 1, passRate: 50 },
    };
    const set = value(parseResults("models.json", JSON.stringify(out)));
    expect(set).toMatchObject({ format: "gh-models", metrics: { greets: 0.5 } });
    expect(set.cases.map((c) => [c.id, c.pass])).toEqual([
      ["test 1", true],
      ["refund", false],
    ]);
  });

  it("JUnit XML (pytest): failures, errors and skips do not pass; properties are tags and slices", () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" tests="4" failures="1" errors="0" skipped="1">
  <testcase classname="tests.test_agent" name="test_refund_needs_id" time="0.1">
    <properties><property name="tags" value="canary, refunds"/><property name="locale" value="de"/></properties>
  </testcase>
  <testcase classname="tests.test_agent" name="test_tone"><failure message="too curt">assert False</failure></testcase>
  <testcase classname="tests.test_agent" name="test_later"><skipped message="flaky"/></testcase>
  <testcase classname="tests.test_agent" name="test_ok"/>
</testsuite></testsuites>`;
    const set = value(parseResults("report.xml", xml));
    expect(set.cases).toEqual([
      {
        id: "tests.test_agent::test_refund_needs_id",
        pass: true,
        tags: ["canary", "refunds"],
        slice: { locale: "de" },
      },
      { id: "tests.test_agent::test_tone", pass: false, tags: [], slice: {} },
      { id: "tests.test_agent::test_later", pass: false, tags: [], slice: {} },
      { id: "tests.test_agent::test_ok", pass: true, tags: [], slice: {} },
    ]);
    expect(error(parseResults("r.xml", "<testsuite><testcase")).reason).toMatch(/^malformed XML/);
    expect(
      error(parseResults("r.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><testsuite/>')).reason,
    ).toMatch(/DOCTYPE/);
    expect(error(parseResults("r.xml", "<report/>")).reason).toMatch(/not a JUnit report/);
  });

  it("a format capgate does not read says what it is, and what is read", () => {
    for (const path of ["results.csv", "report.html"]) {
      const e = error(parseResults(path, "id,pass\n1,true\n"));
      expect(e.reason).toMatch(/is not a result format capgate reads; capgate reads .*promptfoo -o output/);
    }
    expect(error(parseResults("r.json", JSON.stringify({ hello: 1 }))).reason).toMatch(
      /^unknown result format; capgate reads/,
    );
  });

  it("Inspect no-samples.json: a cancelled run is refused, not read as zero cases", () => {
    const e = error(parseResults("logs/none.json", sample("inspect", "inspect_ai__tests__analysis__no-samples.json")));
    expect(e.reason).toBe('Inspect log status is "cancelled", not "success"');
  });

  it("Inspect: a successful log with no samples has no cases (min_cases decides)", () => {
    const log = JSON.parse(sample("inspect", "inspect_ai__tests__analysis__no-samples.json")) as Record<
      string,
      unknown
    >;
    log.status = "success";
    const set = value(parseResults("logs/none.json", JSON.stringify(log)));
    expect(set.cases).toEqual([]);
    expect(set.commit).toBe("e9a9d7161");
    expect(set.metrics["match/accuracy"]).toBeCloseTo(2 / 3);
  });

  const nativeExample = readmeBlock("## Eval results", "json")
    .replace("<sha of the head>", "0123456789abcdef0123456789abcdef01234567")
    .replace("sha256:<hex>", `sha256:${"ab".repeat(32)}`);

  it("native capgate results/v1: the README example", () => {
    const set = value(parseResults("eval-results/redteam.json", nativeExample));
    expect(set).toEqual({
      format: "capgate",
      suite: "redteam",
      commit: "0123456789abcdef0123456789abcdef01234567",
      digests: { "prompts/support/system.md": `sha256:${"ab".repeat(32)}` },
      cases: [{ id: "refund-01", pass: true, tags: ["canary"], slice: { locale: "de" } }],
      metrics: { ece: 0.04 },
    });
  });

  it("native: digests, numeric slices and optional fields", () => {
    const doc = {
      capgate: "results/v1",
      suite: "regression",
      digests: { "prompts/a.md": `sha256:${"ab".repeat(32)}` },
      cases: [{ id: "c1", pass: false, slice: { n: 3, ok: true }, score: 0.2, detail: "wrong" }],
      produced_at: "2026-01-01T00:00:00Z",
      tool: "custom",
    };
    const set = value(parseResults("r.json", JSON.stringify(doc)));
    expect(set.digests).toEqual(doc.digests);
    expect(set.cases).toEqual([{ id: "c1", pass: false, tags: [], slice: { n: "3", ok: "true" } }]);
    expect(set.commit).toBeUndefined();
  });

  it("native: strict — an unknown key, an uppercase commit, a bad digest, a string pass are errors", () => {
    const base = JSON.parse(nativeExample) as Record<string, unknown>;
    expect(error(parseResults("r.json", JSON.stringify({ ...base, extra: 1 }))).reason).toBe(
      'not valid capgate results/v1: (top level): unknown key "extra"',
    );
    expect(error(parseResults("r.json", JSON.stringify({ ...base, commit: "ABCDEF0123" }))).reason).toMatch(
      /^not valid capgate results\/v1: commit: /,
    );
    expect(error(parseResults("r.json", JSON.stringify({ ...base, digests: { "a.md": "sha1:abc" } }))).reason).toMatch(
      /digests\.a\.md: sha256:<64 hex digits>/,
    );
    expect(
      error(parseResults("r.json", JSON.stringify({ ...base, cases: [{ id: "x", pass: "true" }] }))).reason,
    ).toMatch(/cases\.0\.pass: /);
    expect(error(parseResults("r.json", JSON.stringify({ ...base, capgate: "results/v2" }))).reason).toMatch(
      /^not valid capgate results\/v1: capgate: /,
    );
  });

  it("unknown shapes are an error, never an empty pass", () => {
    expect(error(parseResults("r.json", "[]")).reason).toBe("unknown result format: not a JSON object");
    expect(error(parseResults("r.json", '{"cases": []}')).reason).toMatch(/^unknown result format; capgate reads/);
  });
});

describe("approvals file", () => {
  it("a review without commit_id names no commit; submitted_at orders the reviews", () => {
    const text = JSON.stringify({
      author: "d",
      reviews: [
        { user: "bob", state: "CHANGES_REQUESTED", commit_id: "b".repeat(40), submitted_at: "2026-11-02T10:00:00Z" },
        { user: "bob", state: "APPROVED", commit_id: "a".repeat(40), submitted_at: "2026-11-01T10:00:00Z" },
        { user: "carol", state: "APPROVED", submitted_at: "2026-11-03T10:00:00Z" },
      ],
    });
    expect(value(parseApprovalsFile("a.json", text)).reviews).toEqual([
      { user: "bob", state: "APPROVED", commitId: "a".repeat(40), isBot: false },
      { user: "bob", state: "CHANGES_REQUESTED", commitId: "b".repeat(40), isBot: false },
      { user: "carol", state: "APPROVED", commitId: null, isBot: false },
    ]);
    const unordered = JSON.parse(text) as { reviews: { submitted_at?: string }[] };
    delete unordered.reviews[2]!.submitted_at;
    expect(value(parseApprovalsFile("a.json", JSON.stringify(unordered))).reviews.map((r) => r.state)).toEqual([
      "CHANGES_REQUESTED",
      "APPROVED",
      "APPROVED",
    ]);
  });

  it("the README example", () => {
    const text = readmeBlock("### Offline approvals", "json").replace("<sha>", "a".repeat(40));
    expect(value(parseApprovalsFile("approvals.json", text))).toEqual({
      author: "dave",
      reviews: [{ user: "alice", state: "APPROVED", commitId: "a".repeat(40), isBot: false }],
      teams: { "@acme/ml": ["alice"] },
    });
  });

  it("reads GitHub's user objects, bots and null commit ids; rejects unknown states and keys", () => {
    const reviews = JSON.parse(sample("github", "github-rest-docs-example__pulls_listReviews.json")) as unknown[];
    const parsed = value(parseApprovalsFile("a.json", JSON.stringify({ author: "octocat", reviews })));
    expect(parsed.reviews.length).toBe(reviews.length);
    expect(parsed.reviews[0]).toMatchObject({ user: "octocat", state: "APPROVED", isBot: false });
    const bot = JSON.stringify({
      author: "d",
      reviews: [{ user: { login: "ci", type: "Bot" }, state: "APPROVED", commit_id: null }],
    });
    expect(value(parseApprovalsFile("a.json", bot)).reviews[0]).toEqual({
      user: "ci",
      state: "APPROVED",
      commitId: null,
      isBot: true,
    });
    expect(
      error(
        parseApprovalsFile(
          "a.json",
          JSON.stringify({ author: "d", reviews: [{ user: "a", state: "LGTM", commit_id: null }] }),
        ),
      ).reason,
    ).toMatch(/reviews\.0\.state: /);
    expect(error(parseApprovalsFile("a.json", JSON.stringify({ author: "d", reviews: [], extra: 1 }))).reason).toBe(
      'not a valid approvals file: (top level): unknown key "extra"',
    );
    expect(
      error(parseApprovalsFile("a.json", JSON.stringify({ author: "d", reviews: [], teams: { "not a team!": [] } })))
        .reason,
    ).toMatch(/teams/);
  });
});

describe("agent manifests", () => {
  const example = readmeBlock("An agent manifest (`agents/support.yaml`)", "yaml");

  it("the README example", () => {
    expect(value(parseAgent("agents/support.yaml", example))).toEqual({
      name: "support-bot",
      version: "1.4.0",
      prompt: "prompts/support/system.md",
      tools: [{ path: "tools/orders.json" }, { path: "tools/refunds.json", only: ["issue_refund"] }],
      skills: ["skills/refunds"],
      servers: [{ name: "github" }, { name: "docs", tools: ["tools/docs.json"] }],
      maxSteps: 8,
      confirm: ["issue_refund"],
    });
  });

  it("tool refs as strings, {path, only} and {file, only}; servers as names and {name, tools}", () => {
    const text = `name: ops
tools:
  - tools/orders.json
  - path: tools/refunds.json
    only: [issue_refund]
  - file: tools/files.json
mcp_servers:
  - github
  - name: fs
    tools: [tools/fs.json]
`;
    const a = value(parseAgent("agents/ops.yaml", text));
    expect(a.tools).toEqual([
      { path: "tools/orders.json" },
      { path: "tools/refunds.json", only: ["issue_refund"] },
      { path: "tools/files.json" },
    ]);
    expect(a.servers).toEqual([{ name: "github" }, { name: "fs", tools: ["tools/fs.json"] }]);
    expect(a.maxSteps).toBeNull();
    expect(a.confirm).toEqual([]);
    expect(a.version).toBeUndefined();
    expect(a.prompt).toBeUndefined();
  });

  it("a missing or null max_steps is unlimited (null); 0 and fractions are errors", () => {
    expect(value(parseAgent("a.yaml", "name: a\nautonomy:\n  max_steps: null\n")).maxSteps).toBeNull();
    expect(value(parseAgent("a.yaml", "name: a\nautonomy:\n  max_steps: 1\n")).maxSteps).toBe(1);
    expect(error(parseAgent("a.yaml", "name: a\nautonomy:\n  max_steps: 0\n")).reason).toMatch(/autonomy\.max_steps: /);
    expect(error(parseAgent("a.yaml", "name: a\nautonomy:\n  max_steps: 2.5\n")).reason).toMatch(
      /autonomy\.max_steps: /,
    );
  });

  it.each([
    ["name: a\ntool: [x]\n", '(top level): unknown key "tool"'],
    ["name: a\nautonomy:\n  max_step: 3\n", 'autonomy: unknown key "max_step"'],
    ["name: a\nautonomy:\n  confirms: [x]\n", 'autonomy: unknown key "confirms"'],
    ["name: a\ntools:\n  - path: t.json\n    onlyy: [x]\n", 'tools.0: unknown key "onlyy"'],
    ["name: a\nmcp_servers:\n  - name: gh\n    tool: [t.json]\n", 'mcp_servers.0: unknown key "tool"'],
  ])("strict: %j is rejected naming the key", (text, where) => {
    expect(error(parseAgent("agents/a.yaml", text)).reason).toBe(`not a valid agent manifest: ${where}`);
  });

  it.each([
    [
      "name: a\ntools:\n  - path: t.json\n    file: u.json\n",
      'tools.0: matches none of its forms (unknown key "file" | unknown key "path")',
    ],
    ["name: a\ntools: [5]\n", "tools.0: expected string or object"],
    ["name: a\nmcp_servers: [[gh]]\n", "mcp_servers.0: expected string or object"],
  ])("a list entry of no accepted form says what each form lacks: %j", (text, reason) => {
    expect(error(parseAgent("agents/a.yaml", text)).reason).toBe(`not a valid agent manifest: ${reason}`);
  });

  it("a manifest needs a name and must be a mapping", () => {
    expect(error(parseAgent("a.yaml", "tools: []\n")).reason).toMatch(/^not a valid agent manifest: name: /);
    expect(error(parseAgent("a.yaml", "- name: a\n")).reason).toMatch(/\(top level\)/);
    expect(error(parseAgent("a.yaml", "")).reason).toMatch(/\(top level\)/);
    expect(error(parseAgent("a.yaml", "name: a\ntools:\n  - only: [x]\n")).reason).toMatch(
      /^not a valid agent manifest: tools\.0/,
    );
  });
});

describe("config schema", () => {
  const example = readmeBlock("## The config: `.github/capgate.yml`", "yaml");

  it("the README example config parses", () => {
    const cfg = value(parseConfig(".github/capgate.yml", example));
    expect([...cfg.suites.keys()]).toEqual(["regression", "redteam"]);
    const redteam = cfg.suites.get("redteam")!;
    expect(redteam.results).toEqual(["eval-results/redteam*.json"]);
    expect(redteam.config).toMatchObject({
      min_pass_rate: 0.98,
      canaries: true,
      holdout: true,
      slices: { by: "locale", min_pass_rate: 0.9 },
      metrics: { ece: { max: 0.1 } },
    });
    expect(redteam.files("evals/redteam/cases.yaml")).toBe(true);
    expect(redteam.files("evals/regression/cases.yaml")).toBe(false);
    expect(cfg.groups.get("ml")).toEqual(["alice", "@acme/ml"]);
    expect(cfg.raw.tiers?.write?.approvals).toEqual([
      { count: 1, from: ["ml"] },
      { count: 1, from: ["safety"] },
    ]);
    expect(cfg.raw.tiers?.chat?.approvals).toBe(1);
    expect(cfg.artifactGlobs.tool).toEqual(["tools/**/*.{json,yaml,yml}"]);
    expect(cfg.artifact.agent("agents/support.yaml")).toBe(true);
    expect(cfg.artifact.agent("agents/nested/support.yml")).toBe(true);
    expect(cfg.artifact.agent("bots/support.yaml")).toBe(false);
    expect(cfg.isClassifiedReadOnly("search_docs")).toBe(true);
    expect(cfg.artifact.skill("skills/refunds/SKILL.md")).toBe(true);
    expect(cfg.governance(".github/capgate.yml")).toBe(true);
    expect(cfg.governance(".github/workflows/ci.yml")).toBe(true);
    expect(cfg.governance("prompts/a.md")).toBe(false);
    expect(cfg.ladder.order).toEqual(["chat", "tools", "write", "autonomous"]);
  });

  it("omitted artifact kinds keep their defaults; a custom ladder is honoured", () => {
    const cfg = value(parseConfig("c.yml", "version: 1\nladder: [tools, chat, write, autonomous]\n"));
    expect(cfg.ladder.order).toEqual(["tools", "chat", "write", "autonomous"]);
    expect(cfg.artifact.prompt("a/b/x.prompt.yml")).toBe(true);
    expect(cfg.artifact.mcp(".vscode/mcp.json")).toBe(true);
    expect(cfg.artifact.tool("tools/a/b.yml")).toBe(true);
    expect(error(parseConfig("c.yml", "version: 1\nladder: [chat, tools, write, write]\n")).reason).toMatch(
      /ladder: each tier once/,
    );
    expect(error(parseConfig("c.yml", "version: 1\nladder: [chat, tools, write]\n")).reason).toMatch(
      /^not a valid capgate config: ladder: /,
    );
  });

  it.each([
    ["version: 1\nsuite: {}\n", '(top level): unknown key "suite"'],
    [
      "version: 1\nsuites:\n  s:\n    files: [a]\n    results: b\n    min_pass: 0.9\n",
      'suites.s: unknown key "min_pass"',
    ],
    ["version: 1\ntiers:\n  writes: {approvals: 1}\n", 'tiers: unknown key "writes"'],
    [
      "version: 1\ngroups: {ml: [a]}\ntiers:\n  write: {approvals: {count: 1, from: [ml], extra: 1}}\n",
      'tiers.write.approvals: unknown key "extra"',
    ],
    ["version: 1\nartifacts:\n  tools: [x]\n", 'artifacts: unknown key "tools"'],
    ["version: 1\nclassify:\n  readonly: [x]\n", 'classify: unknown key "readonly"'],
    [
      "version: 1\nsuites:\n  s:\n    files: [a]\n    results: b\n    slices: {by: locale, min: 0.9, min_pass_rate: 0.9}\n",
      'suites.s.slices: unknown key "min"',
    ],
  ])("unknown keys are rejected with their path: %j", (text, detail) => {
    expect(error(parseConfig("c.yml", text)).reason).toBe(`not a valid capgate config: ${detail}`);
  });

  it("tiers naming undefined suites or groups are rejected with their path", () => {
    const text = `version: 1
groups: {ml: [alice]}
suites:
  regression: {files: [evals/**], results: r.json}
tiers:
  write:
    evals: [regression, redteam]
    approvals: [{count: 1, from: [ml]}, {count: 1, from: [safety]}]
  governance:
    approvals: {count: 1, from: [ghosts]}
`;
    const reason = error(parseConfig("c.yml", text)).reason;
    expect(reason).toContain('tiers.write.evals.1: no suite named "redteam" in suites');
    expect(reason).toContain('tiers.write.approvals.1.from: no group named "safety" in groups');
    expect(reason).toContain('tiers.governance.approvals.from: no group named "ghosts" in groups');
    expect(reason).not.toContain('"regression"');
    expect(reason).not.toContain('"ml"');
  });

  it("a file a tier requires is a path from the repository's top: one git would refuse is the config's error", () => {
    for (const bad of ["../outside.md", "/etc/passwd", "./docs/rollback.md", "docs/", "docs//x.md", "a/../b.md"])
      expect(error(parseConfig("c.yml", `version: 1\ntiers:\n  chat: {files: ["${bad}"]}\n`)).reason, bad).toMatch(
        /tiers\.chat\.files\.0: a path from the repository's top/,
      );
    expect(parseConfig("c.yml", "version: 1\ntiers:\n  chat: {files: [docs/rollback.md, ':odd name.md']}\n").ok).toBe(
      true,
    );
  });

  it("a glob of the repository's files never reaches above its top: one that does is the config's error", () => {
    for (const [text, where] of [
      ['suites:\n  s: {files: ["../evals/**"], results: r.json}', "suites.s.files.0"],
      ['artifacts:\n  prompt: ["/abs/**"]', "artifacts.prompt.0"],
      ['artifacts:\n  agent: {capgate: ["agents/../../x/*.yaml"]}', "artifacts.agent.capgate.0"],
    ])
      expect(error(parseConfig("c.yml", `version: 1\n${text}\n`)).reason, text).toContain(
        `${where}: a glob of paths from the repository's top`,
      );
    // Result files may be looked for outside the repository (a results folder beside it).
    expect(parseConfig("c.yml", 'version: 1\nsuites:\n  s: {files: ["evals/**"], results: "../out/*.json"}\n').ok).toBe(
      true,
    );
  });

  it("rejects other invalid values", () => {
    expect(error(parseConfig("c.yml", "version: 2\n")).reason).toMatch(/^not a valid capgate config: version: /);
    expect(error(parseConfig("c.yml", "")).reason).toMatch(/\(top level\)/);
    expect(
      error(parseConfig("c.yml", "version: 1\nsuites:\n  s: {files: [a], results: b, min_pass_rate: 1.5}\n")).reason,
    ).toMatch(/suites\.s\.min_pass_rate: /);
    expect(error(parseConfig("c.yml", "version: 1\ntiers:\n  chat: {approvals: 0}\n")).reason).toMatch(
      /tiers\.chat\.approvals/,
    );
    expect(error(parseConfig("c.yml", "version: 1\ngroups:\n  ml: ['not a login']\n")).reason).toMatch(/groups\.ml\.0/);
    expect(
      error(parseConfig("c.yml", "version: 1\nsuites:\n  s: {files: [a], results: b, metrics: {ece: {}}}\n")).reason,
    ).toMatch(/suites\.s\.metrics\.ece: give min, max or both/);
    expect(error(parseConfig("c.yml", "version: 1\nartifacts:\n  tool: []\n")).reason).toMatch(/artifacts\.tool/);
  });
});
