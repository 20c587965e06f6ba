import { createRequire } from "node:module";

/**
 * A module loaded when a run first needs it, not with the bundle. `bundled` is a plain
 * `require("name")` written at the caller, so that the build sees it (and points a module it
 * vendors at dist/vendor/); it runs in the bundle, which is CommonJS. From the sources, where there
 * is no `require`, Node's own loads `name`.
 */
export function loadOnUse<T>(bundled: () => unknown, name: string): T {
  return (typeof require === "function" ? bundled() : createRequire(import.meta.url)(name)) as T;
}
