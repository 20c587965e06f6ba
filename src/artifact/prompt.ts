import { parseData, splitFrontmatter } from "../parse/document.js";
import { fail, ok, type Parsed } from "../parse/result.js";
import type { PromptDoc } from "./types.js";
import { versionField } from "./version.js";

/**
 * Reads a prompt: GitHub Models `*.prompt.yml` (a YAML document), or Markdown/text, Prompty and
 * dotprompt files with optional YAML frontmatter. Only identity and version matter to the gate.
 */
export function parsePrompt(path: string, text: string): Parsed<PromptDoc> {
  if (/\.prompt\.ya?ml$/i.test(path)) {
    const data = parseData(path, text);
    if (!data.ok) return data;
    if (!isMap(data.value)) return fail(path, "a .prompt.yml file must be a YAML mapping");
    return ok(readMeta(data.value));
  }
  const fm = splitFrontmatter(text, /\.prompt$/i.test(path));
  if (fm.unclosed) return fail(path, "frontmatter opened with --- is never closed", 1);
  if (fm.yaml === null) return ok({});
  const data = parseData(path, fm.yaml, fm.yamlLine);
  if (!data.ok) return data;
  if (data.value === null || data.value === undefined) return ok({});
  if (!isMap(data.value)) return fail(path, "frontmatter must be a YAML mapping", fm.yamlLine + 1);
  return ok(readMeta(data.value));
}

function readMeta(meta: Record<string, unknown>): PromptDoc {
  const doc: PromptDoc = {};
  const id = versionField(meta.id) ?? versionField(meta.name);
  if (id !== undefined) doc.id = id;
  const metadata = isMap(meta.metadata) ? meta.metadata : {};
  const version = versionField(meta.version) ?? versionField(metadata.version);
  if (version !== undefined) doc.version = version;
  const tools = toolNames(meta);
  if (tools.length) doc.tools = tools;
  return doc;
}

/**
 * The tools a prompt binds: dotprompt's `tools: [name]`, Prompty's `tools: [{name}]` (v2) or
 * `model.parameters.tools: [{function: {name}}]` (v1). A tool written in a shape none of them
 * uses still counts, by a name that says so.
 */
function toolNames(meta: Record<string, unknown>): string[] {
  const model = isMap(meta.model) ? meta.model : {};
  const parameters = isMap(model.parameters) ? model.parameters : {};
  const lists = [meta.tools, parameters.tools].filter(Array.isArray) as unknown[][];
  return lists.flat().map((t, i) => {
    if (typeof t === "string") return t;
    if (isMap(t) && typeof t.name === "string") return t.name;
    if (isMap(t) && isMap(t.function) && typeof t.function.name === "string") return t.function.name;
    return `tool #${i + 1}`;
  });
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
