import { LOCK_PATH } from "../artifact/lock.js";
import { UsageError } from "../common/errors.js";
import {
  DEFAULT_PIN_TIMEOUT_S,
  runPin,
  runPinCheck,
  type PinCheckResult,
  type PinFailure,
  type PinRun,
  type PinResult,
} from "../pin/pin.js";
import { oneLine } from "../report/inert.js";

/** The longest a server may be given, in seconds: a day. */
const MAX_TIMEOUT_S = 86_400;

/** `--skip a,b`: the names of servers not to start here. */
export function skipOf(raw: string | boolean | undefined): string[] {
  return typeof raw === "string"
    ? raw
        .split(",")
        .map((n) => n.trim())
        .filter(Boolean)
    : [];
}

export function timeoutOf(raw: string | boolean | undefined): number {
  if (raw === undefined) return DEFAULT_PIN_TIMEOUT_S * 1000;
  const s = typeof raw === "string" && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(s > 0 && s <= MAX_TIMEOUT_S))
    throw new UsageError(`--timeout ${String(raw)}: give the seconds one server may take, e.g. --timeout 60`, "usage");
  return Math.round(s * 1000);
}

/** `capgate pin` and `capgate pin --check`: the exit code and what to print. */
export async function pinCommand(opts: {
  cwd: string;
  check: boolean;
  timeoutMs: number;
  configFile?: string;
  env: NodeJS.ProcessEnv;
  json: boolean;
  skip?: string[];
}): Promise<{ code: number; text: string }> {
  const common = {
    cwd: opts.cwd,
    timeoutMs: opts.timeoutMs,
    env: opts.env,
    ...(opts.skip?.length ? { skip: opts.skip } : {}),
    ...(opts.configFile ? { configFile: opts.configFile } : {}),
  };
  if (opts.check) {
    const r = await runPinCheck(common);
    const ok = r.drift.length === 0 && r.failures.length === 0;
    return { code: ok ? 0 : 1, text: opts.json ? json({ capgate: "pin-check/v1", ok, ...r }) : checkText(r) };
  }
  const r = await runPin(common);
  return {
    code: r.written ? 0 : 1,
    text: opts.json
      ? json({
          capgate: "pin/v1",
          written: r.written,
          lock: r.lock,
          servers: r.entries.map((e) => ({ config: e.config, name: e.name, tools: e.tools.length })),
          failures: r.failures,
          disabled: r.disabled,
          skipped: r.skipped,
          notes: r.notes,
        })
      : pinText(r),
  };
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
/** A server's or config's words on one line, controls shown, never obeyed by the terminal. */
const said = (s: string, max = 200) => oneLine(s, max);

function pinText(r: PinResult): string {
  const lines: string[] = [];
  for (const e of r.entries)
    lines.push(
      `locked ${said(e.name)} (${said(e.config)}): ${e.tools.length} tool${e.tools.length === 1 ? "" : "s"}, ` +
        `${said(e.serverInfo.name || "unnamed server")} ${said(e.serverInfo.version)}`,
    );
  lines.push(...failureLines(r.failures), ...otherLines(r));
  if (r.written) lines.push(`wrote ${r.lock}: commit it, and run \`capgate pin --check\` on a schedule`);
  else if (r.failures.length) lines.push(`nothing written: ${r.failures.length} server(s) could not be listed`);
  return `${lines.join("\n")}\n`;
}

function checkText(r: PinCheckResult): string {
  const lines = [
    ...r.drift.map((d) => `drift: ${said(d.name)} (${said(d.config)}) ${said(d.said, 400)}`),
    ...failureLines(r.failures),
    ...otherLines(r),
  ];
  if (r.drift.length === 0 && r.failures.length === 0)
    lines.push(`every server matches ${LOCK_PATH} (${r.matched} server${r.matched === 1 ? "" : "s"})`);
  else if (r.drift.length)
    lines.push(
      `${r.drift.length} difference(s) from ${LOCK_PATH}: review them, then run \`capgate pin\` and commit the lock`,
    );
  if (r.failures.length)
    lines.push(`${r.failures.length} server(s) could not be listed: nothing can be said of their tools`);
  return `${lines.join("\n")}\n`;
}

function failureLines(failures: readonly PinFailure[]): string[] {
  return failures.flatMap((f) => [
    `failed: ${said(f.name)} (${said(f.config)}): ${said(f.reason, 400)}`,
    ...stderrLines(f.stderr).map((l) => `  | ${said(l, 300)}`),
  ]);
}

/** The lines of a server's last output worth showing: its first error line, then its last lines. */
function stderrLines(stderr: string): string[] {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  const last = lines.slice(-8);
  const first = lines.find((l) => /\b(error|Error|ERR_|ENOENT|not found|denied)\b/.test(l));
  return first && !last.includes(first) ? [first, "…", ...last] : last;
}

function otherLines(r: PinRun): string[] {
  return [
    ...r.disabled.map((d) => `skipped ${said(d.name)} (${said(d.config)}): disabled, no client starts it`),
    ...r.skipped.map(
      (d) =>
        `skipped ${said(d.name)} (${said(d.config)}): --skip, ${d.kept ? `its entry in ${LOCK_PATH} kept as it was` : "not locked: the gate counts its tools as unknown"}`,
    ),
    ...r.notes.map((n) => `note: ${said(n, 400)}`),
  ];
}
