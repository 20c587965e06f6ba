/** A parse outcome: bad input is a value that names the file and the reason, never an exception. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: FileError };

export interface FileError {
  path: string;
  /** 1-based line, when the reason points at one. */
  line?: number;
  reason: string;
}

export function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function fail<T = never>(path: string, reason: string, line?: number): Parsed<T> {
  return { ok: false, error: line === undefined ? { path, reason } : { path, line, reason } };
}

export function describeError(error: FileError): string {
  return `${error.path}${error.line ? `:${error.line}` : ""}: ${error.reason}`;
}
