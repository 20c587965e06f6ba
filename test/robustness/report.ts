import { appendFileSync } from "node:fs";

/**
 * How many runs a robustness test makes: a small seeded sample in the suite, the full count when
 * the benchmark asks for it (`npm run bench` sets these variables).
 */
export function runsFrom(variable: string, fallback: number): number {
  const v = Number(process.env[variable]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
}

/** Appends one line of counts to the file the benchmark reads, when it gave one. */
export function reportCounts(kind: string, counts: Record<string, number | string>): void {
  const file = process.env.CAPGATE_ROBUSTNESS_REPORT;
  if (file) appendFileSync(file, JSON.stringify({ kind, ...counts }) + "\n");
}
