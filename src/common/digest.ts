import { loadOnUse } from "./load.js";

type Crypto = typeof import("node:crypto");
let crypto: Crypto | undefined;

/**
 * `sha256:` and the hex SHA-256 of a text's UTF-8 bytes. Node's crypto module is loaded on first
 * use: loading it is ~8 ms of a process's start, and most checks hash nothing (a config given as a
 * file, results that carry digests and MCP server locks do).
 */
export function sha256(text: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= loadOnUse<Crypto>(() => require("node:crypto"), "node:crypto");
  return `sha256:${crypto.createHash("sha256").update(text, "utf8").digest("hex")}`;
}
