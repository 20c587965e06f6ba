import { parsePrompt } from "../../artifact/prompt.js";
import type { AgentManifest, PromptDoc } from "../../artifact/types.js";
import { ok, type Parsed } from "../../parse/result.js";
import { manifest, stemOf } from "../declare.js";

/**
 * A prompt file that binds tools (dotprompt `tools:`, Prompty's tool definitions, a GitHub Models
 * `.prompt.yml`'s) is an agent: whatever runs it gives the model those tools. Nothing in the
 * repository declares them or says that anyone is asked, or how long the loop runs: each is
 * writing, unasked, in an unlimited loop (PRODUCT §2b). A prompt that binds none is not an agent.
 */
export function parsePromptAgent(path: string, text: string): Parsed<AgentManifest> {
  return promptAgentOf(path, parsePrompt(path, text));
}

/** The agent a prompt file is, from the prompt as read (one reading of the file serves both). */
export function promptAgentOf(path: string, p: Parsed<PromptDoc>): Parsed<AgentManifest> {
  if (!p.ok) return p;
  const tools = p.value.tools ?? [];
  const out = manifest(p.value.id ?? stemOf(path), {
    kind: "prompt",
    what: "a prompt that binds tools",
    toolNames: tools,
    removed: [],
    permissionMode: null,
    inlineServers: [],
    allServers: false,
    loop: "whatever loop the application runs it in (nothing limits it)",
    ...(tools.length === 0 ? { notLoaded: "it binds no tools" } : {}),
  });
  if (p.value.version !== undefined) out.version = p.value.version;
  return ok(out);
}
