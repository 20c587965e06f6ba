// The parts of the MCP SDK that `pin` uses, in one module: the build bundles it on its own
// (dist/vendor/mcp-sdk.js), loaded only by a run that starts servers, so that a check never pays
// to load the SDK and the JSON Schema validator it brings.
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
export { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
export { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
