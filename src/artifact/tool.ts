import * as z from "zod";
import { parseData, formatIssues } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { ToolDef, ToolFile } from "./types.js";
import { versionField } from "./version.js";

const hint = z.boolean().optional();
const annotations = z.looseObject({
  readOnlyHint: hint,
  destructiveHint: hint,
  idempotentHint: hint,
  openWorldHint: hint,
});
const toolName = z.string().min(1).max(256);
const schemaObject = z.record(z.string(), z.unknown());

const mcpTool = z.looseObject({
  name: toolName,
  inputSchema: schemaObject,
  annotations: annotations.optional(),
});
const openAiTool = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({ name: toolName, parameters: schemaObject.optional() }),
});
/** The Responses API writes function tools flat. */
const openAiFlatTool = z.looseObject({
  type: z.literal("function"),
  name: toolName,
  parameters: schemaObject.optional(),
});
const anthropicTool = z.looseObject({ name: toolName, input_schema: schemaObject });

/** The MCP hints of a tool's annotations, those it sets. */
export function hintsOf(a: Partial<Record<keyof ToolDef["annotations"], boolean>>): ToolDef["annotations"] {
  const hints: ToolDef["annotations"] = {};
  if (a.readOnlyHint !== undefined) hints.readOnlyHint = a.readOnlyHint;
  if (a.destructiveHint !== undefined) hints.destructiveHint = a.destructiveHint;
  if (a.idempotentHint !== undefined) hints.idempotentHint = a.idempotentHint;
  if (a.openWorldHint !== undefined) hints.openWorldHint = a.openWorldHint;
  return hints;
}

function readTool(path: string, item: unknown, where: string): Parsed<ToolDef> {
  if (!item || typeof item !== "object" || Array.isArray(item)) {
    return fail(path, `${where}: a tool must be an object`);
  }
  const obj = item as Record<string, unknown>;
  if (obj.type === "function") {
    if (obj.function !== undefined) {
      const r = openAiTool.safeParse(item);
      if (!r.success) return fail(path, `${where}: not a valid OpenAI function tool: ${formatIssues(r.error.issues)}`);
      return ok({
        name: r.data.function.name,
        format: "openai",
        annotations: {},
        inputSchema: r.data.function.parameters ?? {},
      });
    }
    const r = openAiFlatTool.safeParse(item);
    if (!r.success) return fail(path, `${where}: not a valid OpenAI function tool: ${formatIssues(r.error.issues)}`);
    return ok({ name: r.data.name, format: "openai", annotations: {}, inputSchema: r.data.parameters ?? {} });
  }
  if ("input_schema" in obj) {
    const r = anthropicTool.safeParse(item);
    if (!r.success) return fail(path, `${where}: not a valid Anthropic tool: ${formatIssues(r.error.issues)}`);
    return ok({ name: r.data.name, format: "anthropic", annotations: {}, inputSchema: r.data.input_schema });
  }
  if ("inputSchema" in obj || "annotations" in obj) {
    const r = mcpTool.safeParse(item);
    if (!r.success) return fail(path, `${where}: not a valid MCP tool: ${formatIssues(r.error.issues)}`);
    return ok({
      name: r.data.name,
      format: "mcp",
      annotations: hintsOf(r.data.annotations ?? {}),
      inputSchema: r.data.inputSchema,
    });
  }
  return fail(
    path,
    `${where}: not a recognised tool (expected an MCP tool with inputSchema, an OpenAI {type: function} tool or an Anthropic tool with input_schema)`,
  );
}

/**
 * Reads a tool file: one tool, an array of tools, or an object with a `tools` array (an MCP
 * `tools/list` result), each tool in MCP, OpenAI or Anthropic form.
 */
export function parseToolFile(path: string, text: string): Parsed<ToolFile> {
  const data = parseData(path, text);
  if (!data.ok) return data;
  const v = data.value;
  let items: unknown[];
  let version: string | undefined;
  if (Array.isArray(v)) {
    items = v;
  } else if (v && typeof v === "object" && "tools" in v) {
    const tools = (v as { tools: unknown }).tools;
    if (!Array.isArray(tools)) return fail(path, "`tools` must be an array of tools");
    const cursor = (v as { nextCursor?: unknown }).nextCursor;
    if (cursor !== undefined && cursor !== null && cursor !== "") {
      return fail(
        path,
        "is one page of a tools/list result (nextCursor is set); declare every page's tools in the file",
      );
    }
    items = tools;
    const raw = (v as { version?: unknown }).version;
    if (raw !== undefined) {
      version = versionField(raw);
      if (version === undefined) return fail(path, "`version` must be a string");
    }
  } else if (v && typeof v === "object") {
    items = [v];
  } else {
    return fail(path, "a tool file must hold a tool, an array of tools or an object with a `tools` array");
  }
  const tools: ToolDef[] = [];
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    const t = readTool(
      path,
      item,
      items.length === 1 && !Array.isArray(v) && !("tools" in (v as object)) ? "tool" : `tools[${i}]`,
    );
    if (!t.ok) return t;
    if (seen.has(t.value.name)) return fail(path, `tool "${t.value.name}" is defined twice`);
    seen.add(t.value.name);
    tools.push(t.value);
  }
  return ok(version === undefined ? { tools } : { version, tools });
}
