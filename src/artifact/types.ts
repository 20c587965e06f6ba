export type ArtifactKind = "prompt" | "skill" | "tool" | "mcp" | "agent" | "eval";

/** One tool definition, whatever format it was written in. */
export interface ToolDef {
  name: string;
  format: "mcp" | "openai" | "anthropic";
  /** MCP annotations as written; absent hints take the MCP defaults. */
  annotations: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
  /** The JSON Schema of the tool's input, as written (for breaking-change checks). */
  inputSchema: unknown;
}

export interface ToolFile {
  version?: string;
  tools: ToolDef[];
}

export interface PromptDoc {
  id?: string;
  version?: string;
}

export interface SkillDoc {
  name: string;
  /** null when the skill has no `allowed-tools` field. */
  allowedTools: string[] | null;
  version?: string;
}

export interface McpServer {
  name: string;
  transport: string;
}

export interface McpConfigDoc {
  servers: McpServer[];
}

export interface AgentToolRef {
  path: string;
  only?: string[];
}

export interface AgentServerRef {
  name: string;
  /** Tool files that declare this server's tools; none means the tools are unknown. */
  tools?: string[];
}

export interface AgentManifest {
  name: string;
  version?: string;
  prompt?: string;
  tools: AgentToolRef[];
  skills: string[];
  servers: AgentServerRef[];
  maxSteps: number | null;
  confirm: string[];
}
