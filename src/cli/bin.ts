import { main } from "./main.js";

const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  outIsTTY: process.stdout.isTTY === true,
  env: process.env,
});
process.exitCode = code;
