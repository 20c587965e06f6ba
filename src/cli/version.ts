import { readFileSync } from "node:fs";

/** Set by the build from package.json; read from it when running from the sources. */
declare const __CAPGATE_VERSION__: string | undefined;

export const VERSION: string =
  typeof __CAPGATE_VERSION__ === "string"
    ? __CAPGATE_VERSION__
    : (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
