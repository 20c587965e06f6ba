import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** A process run with a probe loaded before it, and what the probe wrote when the process ended. */
export interface Probed<T> {
  status: number | null;
  stdout: string;
  report: T;
}

/**
 * Runs `node [flags] -r probe ARGS` in `dir`, the probe writing its report (JSON) to the file named
 * by `PROBE_OUT` as the process ends. Nothing of the suite's environment is passed on: an action
 * run here must find no workflow to act on.
 */
export function runProbed<T>(
  dir: string,
  probe: string,
  args: string[],
  opts: { node?: string; flags?: string[] } = {},
): Probed<T> {
  const out = join(dir, `probed-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(opts.node ?? process.execPath, [...(opts.flags ?? []), "-r", probe, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", PROBE_OUT: out },
    encoding: "utf8",
  });
  if (!existsSync(out)) throw new Error(`the probe reported nothing (exit ${r.status}): ${r.stderr}`);
  return { status: r.status, stdout: r.stdout, report: JSON.parse(readFileSync(out, "utf8")) as T };
}
