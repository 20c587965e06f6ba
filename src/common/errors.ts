/** What went wrong, in words, whatever was thrown. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return "unknown error";
  }
}

/** What kind of usage error, for `--json` errors: a stable, machine-readable code. */
export type UsageCode =
  "usage" | "unknown_command" | "unknown_option" | "missing_option" | "bad_revision" | "bad_config" | "bad_input";

/**
 * Bad usage, an unusable config, or a repository that lacks what was asked of it: the CLI exits
 * 2, the action blocks; never a pass.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly code: UsageCode = "usage",
  ) {
    super(message);
    this.name = "UsageError";
  }
}
