import { styleText } from "node:util";
import { plain, type Style, type Tone } from "../report/style.js";

export { plain, type Style };

const FORMATS: Record<Tone, Parameters<typeof styleText>[0]> = {
  pass: ["green", "bold"],
  block: ["red", "bold"],
  warn: "yellow",
  strong: "bold",
  dim: "dim",
};

/**
 * Colour for a stream, as users expect of a command-line tool: on a terminal only, never with
 * NO_COLOR set (to anything but ""), and always with FORCE_COLOR set (to anything but 0 or false).
 */
export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const force = env.FORCE_COLOR;
  const on =
    force !== undefined
      ? force !== "0" && force !== "false"
      : !(env.NO_COLOR !== undefined && env.NO_COLOR !== "") && stream.isTTY === true && env.TERM !== "dumb";
  if (!on || typeof styleText !== "function") return plain;
  // Whether to colour is decided here; newer Node would decide again from process.stdout.
  return (tone, text) => styleText(FORMATS[tone], text, { validateStream: false } as never);
}
