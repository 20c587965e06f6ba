import { createRequire } from "node:module";

type Crypto = typeof import("node:crypto");
let crypto: Crypto | undefined;

/**
 * `sha256:` and the hex SHA-256 of a text's UTF-8 bytes. Node's crypto module is loaded on first
 * use: loading it is ~8 ms of a process's start, and most checks hash nothing (a config given as a
 * file, results that carry digests and MCP server locks do).
 */
export function sha256(text: string): string {
  // A plain `require` in the bundle (CommonJS); Node's own from the sources.
  crypto ??= (
    typeof require === "function"
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("node:crypto")
      : createRequire(import.meta.url)("node:crypto")
  ) as Crypto;
  return `sha256:${crypto.createHash("sha256").update(text, "utf8").digest("hex")}`;
}
