import * as z from "zod";
import { parseWith } from "../parse/document.js";
import { ok, type Parsed } from "../parse/result.js";
import type { AgentManifest } from "./types.js";
import { versionField } from "./version.js";

const relPath = z.string().min(1).max(1024);
const toolRef = z.union([
  relPath,
  z.strictObject({ path: relPath, only: z.array(z.string().min(1)).min(1).optional() }),
  z.strictObject({ file: relPath, only: z.array(z.string().min(1)).min(1).optional() }),
]);
const serverRef = z.union([
  z.string().min(1),
  z.strictObject({ name: z.string().min(1), tools: z.array(relPath).optional() }),
]);

export const agentSchema = z.strictObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number()]).optional(),
  description: z.string().optional(),
  model: z.unknown().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  prompt: relPath.optional(),
  tools: z.array(toolRef).optional(),
  skills: z.array(relPath).optional(),
  mcp_servers: z.array(serverRef).optional(),
  autonomy: z
    .strictObject({
      max_steps: z.number().int().min(1).nullable().optional(),
      confirm: z.array(z.string().min(1)).optional(),
    })
    .optional(),
});

/** Reads an agent manifest (capgate's own format; see the README). */
export function parseAgent(path: string, text: string): Parsed<AgentManifest> {
  const parsed = parseWith(path, text, agentSchema, "agent manifest");
  if (!parsed.ok) return parsed;
  const a = parsed.value;
  const manifest: AgentManifest = {
    name: a.name,
    tools: (a.tools ?? []).map((t) =>
      typeof t === "string" ? { path: t } : "path" in t ? withOnly(t.path, t.only) : withOnly(t.file, t.only),
    ),
    skills: a.skills ?? [],
    servers: (a.mcp_servers ?? []).map((s) =>
      typeof s === "string" ? { name: s } : s.tools ? { name: s.name, tools: s.tools } : { name: s.name },
    ),
    maxSteps: a.autonomy?.max_steps ?? null,
    confirm: a.autonomy?.confirm ?? [],
  };
  const version = versionField(a.version);
  if (version !== undefined) manifest.version = version;
  if (a.prompt !== undefined) manifest.prompt = a.prompt;
  return ok(manifest);
}

function withOnly(path: string, only: string[] | undefined) {
  return only ? { path, only } : { path };
}
