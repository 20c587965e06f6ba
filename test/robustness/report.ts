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

/** In the benchmark, a parse that takes longer than this is a hang. */
const HANG_MS = 2000;

/**
 * A timer of one parse for the benchmark, which reports hangs by the clock: it gives the time taken
 * when over the bound, else null. The suite reads no clock (its timer never starts): a real hang
 * ends the suite by the test's own timeout.
 */
export function hangTimer(): () => number | null {
  if (!process.env.CAPGATE_ROBUSTNESS_REPORT) return () => null;
  const started = performance.now();
  return () => {
    const took = performance.now() - started;
    return took > HANG_MS ? took : null;
  };
}
