import { main, type Io } from "./main.js";

/** The CLI on this process's arguments (dist/cli.js starts it). */
export function start(): void {
  // A reader that stops early (`capgate check | head`) closes the pipe: what is left unwritten is
  // nobody's, and the exit code still says what was decided.
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") throw e;
    });

  // No top-level await: the bundle is CommonJS, which Node loads faster than a module.
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    outIsTTY: process.stdout.isTTY === true,
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}

/**
 * The build's run of the CLI before its code is kept (decision 24): each decision record replayed
 * offline, its report printed as text and as JSON, to nowhere. A record that cannot be replayed
 * fails the build.
 */
export async function warm(records: readonly string[]): Promise<void> {
  let said = "";
  const io: Io = { cwd: process.cwd(), out: () => undefined, err: (s) => (said += s), outIsTTY: false, env: {} };
  for (const record of records)
    for (const args of [
      ["replay", record],
      ["replay", record, "--json"],
    ]) {
      const code = await main(args, io);
      if (code !== 0 && code !== 1) throw new Error(`capgate ${args.join(" ")}: exit ${code}: ${said}`);
    }
}
