import "../common/engine.js";
import { main } from "./main.js";

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
