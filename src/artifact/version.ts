import valid from "semver/functions/valid.js";

/** Reads a version as written (`1.4.0`, `"2.0"`, `3`) into semver; null when it is not one. */
export function normalizeVersion(version: string): string | null {
  const strict = valid(version.trim().replace(/^v/, ""));
  if (strict) return strict;
  const m = /^v?(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!m) return null;
  return `${m[1]}.${m[2] ?? "0"}.0`;
}

export function versionField(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
