import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseApprovalsFile, type OfflineApprovals } from "../evidence/approvals-file.js";
import { replayRecord, writeRecord } from "./record.js";
import { runCheck, type ApprovalsSource } from "../gather/check.js";
import { UsageError, type UsageCode, messageOf } from "../common/errors.js";
import { runTiers } from "../gather/tiers.js";
import { describeError } from "../parse/result.js";
import { toChangelog, toReleaseSection } from "../report/changelog.js";
import { runChangelog } from "../gather/changelog.js";
import type { PolicyReader } from "../gather/config.js";
import { isRepositoryRef } from "../github/policy.js";
import { sarifOf } from "../gather/sarif.js";
import { jsonText, toFoundJson, toJsonReport, toTiersJson } from "../report/json.js";
import { agentsText, foundText, toText } from "../report/text.js";
import { runInit } from "./init.js";
import { plain, styleFor, type Style } from "./style.js";
import { nearest } from "./suggest.js";
import { VERSION } from "./version.js";

export const EXIT = { pass: 0, block: 1, usage: 2 } as const;

export interface Io {
  cwd: string;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Whether standard output is a terminal, and the environment: together they decide colour. */
  outIsTTY?: boolean;
  env?: NodeJS.ProcessEnv;
}

type Values = Record<string, string | boolean | undefined>;

interface Option {
  type: "string" | "boolean";
  /** The value's placeholder in the usage line. */
  arg?: string;
  help: string;
}

interface Command {
  summary: string;
  /** Named options; `--help` and `--json` are every command's. */
  options: Record<string, Option>;
  /** Options the command cannot run without. */
  required?: string[];
  /** Extra lines for `capgate help COMMAND`. */
  more?: string;
  /** The one positional argument the command takes, by name. */
  positional?: string;
  run(values: Values, io: Io, style: Style, positionals: string[]): Promise<number>;
}

const CONFIG: Option = {
  type: "string",
  arg: "PATH",
  help: "the config's path in the repository (default .github/capgate.yml)",
};
const CONFIG_FILE: Option = {
  type: "string",
  arg: "FILE",
  help: "a trial config read from disk instead of a revision; the report says it is one",
};
const JSON_OUT: Option = { type: "boolean", help: "print JSON instead of text (errors too)" };

const COMMANDS: Record<string, Command> = {
  check: {
    summary: "gate the change between two revisions",
    options: {
      base: { type: "string", arg: "REV", help: "the revision the change is compared from" },
      head: { type: "string", arg: "REV", help: "the revision being gated" },
      config: CONFIG,
      "config-file": CONFIG_FILE,
      results: {
        type: "string",
        arg: "DIR",
        help: "the folder suites' results globs are relative to (default: the repository)",
      },
      approvals: { type: "string", arg: "FILE", help: "the pull request's reviews, as GitHub's REST API gives them" },
      record: { type: "string", arg: "FILE", help: "write the decision record (its input and its report) to FILE" },
      policy: {
        type: "string",
        arg: "FILE",
        help: "the central policy the config extends (OWNER/REPO/PATH@REF), read from FILE; or one to apply as well",
      },
      format: {
        type: "string",
        arg: "FORMAT",
        help: "text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)",
      },
      json: JSON_OUT,
    },
    required: ["base", "head"],
    more: "Exit codes: 0 pass, 1 blocked, 2 bad usage or an unusable config.",
    async run(values, io, style) {
      const approvals: ApprovalsSource =
        typeof values.approvals === "string"
          ? { kind: "given", approvals: readApprovals(values.approvals) }
          : { kind: "none", why: "no reviews given: pass --approvals FILE with the pull request's reviews" };
      if (typeof values.results === "string" && !isDirectory(resolve(io.cwd, values.results)))
        throw new UsageError(`--results ${values.results}: no such folder`, "bad_input");
      const format = typeof values.format === "string" ? values.format : values.json ? "json" : "text";
      if (!["text", "json", "sarif"].includes(format))
        throw new UsageError(`--format ${format}: use text, json or sarif`, "usage");
      const { decision, input, configText } = await runCheck({
        cwd: io.cwd,
        base: values.base as string,
        head: values.head as string,
        ...configOptions(values),
        ...(typeof values.results === "string" ? { resultsDir: values.results } : {}),
        approvals,
        policy: cliPolicy(typeof values.policy === "string" ? resolve(io.cwd, values.policy) : undefined),
      });
      if (typeof values.record === "string") writeRecord(resolve(io.cwd, values.record), input, decision);
      if (format === "sarif") io.out(jsonText(sarifOf(decision, input, configText, VERSION)));
      else io.out(format === "json" ? jsonText(toJsonReport(decision)) : toText(decision, style));
      return decision.decision === "pass" ? EXIT.pass : EXIT.block;
    },
  },
  replay: {
    summary: "decide again from a decision record, offline, and print the report",
    options: { json: JSON_OUT },
    positional: "RECORD",
    more: "The record is what `capgate check --record FILE` (or the action) wrote; the same report comes out.",
    async run(values, io, style, positionals) {
      const file = positionals[0];
      if (!file) throw new UsageError("replay needs the record's path: capgate replay RECORD", "missing_option");
      const decision = replayRecord(resolve(io.cwd, file));
      io.out(values.json ? jsonText(toJsonReport(decision)) : toText(decision, style));
      return decision.decision === "pass" ? EXIT.pass : EXIT.block;
    },
  },
  changelog: {
    summary: "release notes: what the product can do now that it could not before",
    options: {
      from: { type: "string", arg: "REV", help: "the earlier revision (the previous release)" },
      to: { type: "string", arg: "REV", help: "the later revision (this release)" },
      config: CONFIG,
      "config-file": CONFIG_FILE,
      format: {
        type: "string",
        arg: "FORMAT",
        help: "markdown (default), or github: the section between capgate's markers, for gh release create --notes-file",
      },
      json: JSON_OUT,
    },
    required: ["from", "to"],
    more: "The JSON is capgate.changelog/v1 (README, Release notes).",
    async run(values, io) {
      const from = values.from as string;
      const to = values.to as string;
      const format = typeof values.format === "string" ? values.format : "markdown";
      if (!["markdown", "github"].includes(format))
        throw new UsageError(`--format ${format}: use markdown or github`, "usage");
      const { changelog, trial } = await runChangelog({ cwd: io.cwd, from, to, ...configOptions(values) });
      if (values.json) io.out(jsonText(changelog));
      else if (format === "github") io.out(toReleaseSection(changelog, from, to));
      else io.out(toChangelog(changelog, from, to, trial ? { trial } : {}));
      return EXIT.pass;
    },
  },
  tiers: {
    summary: "every agent and its tier, with the reasons",
    options: {
      rev: {
        type: "string",
        arg: "REV",
        help: "the revision to read (default HEAD; the working tree before the first commit)",
      },
      config: CONFIG,
      "config-file": CONFIG_FILE,
      json: JSON_OUT,
    },
    more: "Right after `capgate init` the config is not committed yet: tiers reads it from disk and says so.",
    async run(values, io, style) {
      const result = await runTiers({
        cwd: io.cwd,
        ...(typeof values.rev === "string" ? { rev: values.rev } : {}),
        ...configOptions(values),
      });
      const { agents } = result;
      if (values.json) io.out(jsonText(toTiersJson(result)));
      else io.out(agentsText(result, result.where, result.notes, style));
      return agents.some((a) => a.errors.length > 0) ? EXIT.block : EXIT.pass;
    },
  },
  pin: {
    summary: "lock what the MCP servers give: start each, list its tools, write capgate.lock",
    options: {
      check: { type: "boolean", help: "list the live servers again and name every difference from capgate.lock" },
      timeout: {
        type: "string",
        arg: "SECONDS",
        help: "how long one server may take to start and list its tools (default 30)",
      },
      skip: {
        type: "string",
        arg: "NAMES",
        help: "servers (comma-separated names) not to start here: pin keeps their entries in the lock as they are",
      },
      "config-file": {
        type: "string",
        arg: "FILE",
        help: "a config on disk naming further MCP configs (default .github/capgate.yml, if there)",
      },
      json: JSON_OUT,
    },
    more:
      "Starts every MCP server of the working tree's configs, as its client would: run it where you would run\n" +
      "them, never on a pull request's code. capgate check never starts a server. A server gets the variables\n" +
      "its config names (${VAR} expanded from yours) and PATH, HOME, SHELL, TERM, USER, LOGNAME: no other.\n" +
      "Exit codes: 0 every server locked (or, with --check, matching the lock); 1 a server that could not be\n" +
      "listed (nothing written), or a difference from the lock; 2 bad usage, or --check without a lock.",
    async run(values, io) {
      // The MCP client is loaded only by the command that starts servers: `check` never pays for it.
      const { pinCommand, skipOf, timeoutOf } = await import("./pin.js");
      const { code, text } = await pinCommand({
        cwd: io.cwd,
        check: values.check === true,
        timeoutMs: timeoutOf(values.timeout),
        skip: skipOf(values.skip),
        ...(typeof values["config-file"] === "string" ? { configFile: resolve(io.cwd, values["config-file"]) } : {}),
        env: io.env ?? {},
        json: values.json === true,
      });
      io.out(text);
      return code;
    },
  },
  init: {
    summary: "write a starter .github/capgate.yml for the repository it is run in",
    options: {
      config: { type: "string", arg: "PATH", help: "where to write it (default .github/capgate.yml)" },
      force: { type: "boolean", help: "overwrite an existing config" },
      json: JSON_OUT,
    },
    async run(values, io) {
      const { path, found } = await runInit({
        cwd: io.cwd,
        ...(typeof values.config === "string" ? { configPath: values.config } : {}),
        force: values.force === true,
      });
      if (values.json) io.out(jsonText(toFoundJson(path, found)));
      else
        io.out(
          `wrote ${path}: edit its groups and suites, then commit it\n` +
            foundText(found) +
            `try it first: capgate tiers, then capgate check --config-file ${path} --base HEAD~1 --head HEAD\n`,
        );
      return EXIT.pass;
    },
  },
};

const GLOBAL_HELP = `capgate ${VERSION} — gate AI product changes by the capability tier they touch

Usage: capgate COMMAND [OPTIONS]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}
  help       show help for a command

Options: --help, -h (help), --version, -V (version), --json (print errors as JSON too).
Run \`capgate help COMMAND\` for a command's options.
`;

function usageLine(name: string, c: Command): string {
  const parts = Object.entries(c.options).map(([opt, o]) => {
    const flag = `--${opt}${o.arg ? ` ${o.arg}` : ""}`;
    return c.required?.includes(opt) ? flag : `[${flag}]`;
  });
  return `capgate ${name}${c.positional ? ` ${c.positional}` : ""} ${parts.join(" ")}`;
}

function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  const flags = Object.entries(c.options).map(([opt, o]) => [`--${opt}${o.arg ? ` ${o.arg}` : ""}`, o.help] as const);
  const all = [...flags, ["--help, -h", "this help"] as const];
  const width = Math.max(...all.map(([f]) => f.length)) + 2;
  const lines = [`capgate ${name} — ${c.summary}`, "", `Usage: ${usageLine(name, c)}`, "", "Options:"];
  for (const [flag, help] of all) lines.push(`  ${flag.padEnd(width)}${help}`);
  if (c.more) lines.push("", c.more);
  return lines.join("\n") + "\n";
}

/** Runs one CLI command; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  // Errors are JSON too when the command was asked for JSON, whatever else was wrong with it.
  const json = argv.includes("--json");
  try {
    return await dispatch(argv, io);
  } catch (e) {
    const [code, message] =
      e instanceof UsageError
        ? ([e.code, e.message] as const)
        : (["internal_error", `internal error, nothing was decided: ${messageOf(e)}`] as const);
    // A JSON error is one line of message; the usage it may carry is for people.
    if (json) io.out(JSON.stringify({ error: { code, message: message.split("\n\n")[0] } }, null, 2) + "\n");
    else io.err(`capgate: ${message}\n`);
    // Anything unexpected decides nothing: it is reported and never exits 0.
    return EXIT.usage;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-V") {
    io.out(`${VERSION}\n`);
    return EXIT.pass;
  }
  if (command === undefined) {
    io.err(GLOBAL_HELP);
    return EXIT.usage;
  }
  if (command === "--help" || command === "-h") {
    io.out(GLOBAL_HELP);
    return EXIT.pass;
  }
  if (command.startsWith("-")) {
    const near = nearest(command.replace(/^-+/, ""), ["version", "help"]);
    throw new UsageError(
      `give a command first, then its options${command === "-v" || near === "version" ? "; for the version, --version or -V" : near === "help" ? "; for help, --help" : ""} (run \`capgate --help\` for the commands)`,
      "usage",
    );
  }
  if (command === "help") {
    const topic = rest.find((a) => !a.startsWith("-"));
    if (topic === undefined) io.out(GLOBAL_HELP);
    else if (Object.hasOwn(COMMANDS, topic)) io.out(commandHelp(topic));
    else throw unknownCommand(topic);
    return EXIT.pass;
  }
  if (!Object.hasOwn(COMMANDS, command)) throw unknownCommand(command);
  const spec = COMMANDS[command]!;
  if (rest.includes("--help") || rest.includes("-h")) {
    io.out(commandHelp(command));
    return EXIT.pass;
  }
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(spec.options).map(([k, o]) => [k, { type: o.type }])),
      strict: true,
      allowPositionals: spec.positional !== undefined,
    }));
  } catch (e) {
    throw argumentError(command, spec, rest, e);
  }
  const repeated = rest
    .filter((a) => a.startsWith("--"))
    .map((a) => a.slice(2).split("=")[0]!)
    .find((name, i, all) => all.indexOf(name) !== i);
  if (repeated !== undefined)
    throw new UsageError(
      `${command}: --${repeated} is given more than once\n\nUsage: ${usageLine(command, spec)}`,
      "usage",
    );
  for (const name of spec.required ?? []) {
    const v = values[name];
    if (typeof v !== "string" || v === "")
      throw new UsageError(`${command} needs --${name}\n\nUsage: ${usageLine(command, spec)}`, "missing_option");
  }
  const style = values.json ? plain : styleFor({ isTTY: io.outIsTTY === true }, io.env ?? {});
  if (positionals.length > 1)
    throw new UsageError(`${command} takes one ${spec.positional}, not ${positionals.length}`, "usage");
  return spec.run(values, io, style, positionals);
}

function unknownCommand(name: string): UsageError {
  // `capgate version` means the option.
  const near = name === "version" ? "--version" : nearest(name, [...Object.keys(COMMANDS), "help"]);
  return new UsageError(
    `unknown command "${name}"${near ? `; did you mean "${near}"?` : ""} (run \`capgate --help\` for the commands)`,
    "unknown_command",
  );
}

/** What node's argument parser refused, in capgate's words, with the nearest option when one is. */
function argumentError(command: string, spec: Command, args: string[], e: unknown): UsageError {
  const code = (e as { code?: string }).code;
  const usage = `\n\nUsage: ${usageLine(command, spec)}`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const typed = args.find((a) => a.startsWith("-") && !isKnown(spec, a)) ?? "";
    const bare = typed.replace(/^-+/, "").split("=")[0]!;
    const near = nearest(bare, [...Object.keys(spec.options), "help"]);
    return new UsageError(
      `${command}: unknown option "${typed}"${near ? `; did you mean "--${near}"?` : ""}${usage}`,
      "unknown_option" satisfies UsageCode,
    );
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const extra = args.find((a, i) => !a.startsWith("-") && !(i > 0 && takesValue(spec, args[i - 1]!)));
    return new UsageError(
      `${command}: takes no positional arguments${extra === undefined ? "" : `, not "${extra}"`}${usage}`,
      "usage",
    );
  }
  // Node says `Option '--base <value>' argument missing`: in capgate's words, the option and what it takes.
  const missing = /^Option '(--[\w-]+)/.exec(messageOf(e));
  if (missing && /argument missing/.test(messageOf(e))) {
    const arg = spec.options[missing[1]!.slice(2)]?.arg ?? "a value";
    return new UsageError(`${command}: ${missing[1]} needs ${arg}${usage}`, "usage");
  }
  return new UsageError(`${command}: ${messageOf(e)}${usage}`, "usage");
}

function takesValue(spec: Command, arg: string): boolean {
  return arg.startsWith("--") && !arg.includes("=") && spec.options[arg.slice(2)]?.arg !== undefined;
}

function isKnown(spec: Command, arg: string): boolean {
  const name = arg.replace(/^-+/, "").split("=")[0]!;
  return arg.startsWith("--") && Object.hasOwn(spec.options, name);
}

function configOptions(values: Values): { configPath?: string; configFile?: string } {
  return {
    ...(typeof values.config === "string" ? { configPath: values.config } : {}),
    ...(typeof values["config-file"] === "string" ? { configFile: values["config-file"] } : {}),
  };
}

function readApprovals(path: string): OfflineApprovals {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--approvals ${path}: cannot be read (${messageOf(e)})`, "bad_input");
  }
  const parsed = parseApprovalsFile(path, text);
  if (!parsed.ok) throw new UsageError(`--approvals ${describeError(parsed.error)}`, "bad_input");
  return parsed.value;
}

/**
 * How the CLI reads a central policy: `--policy FILE` gives its content; otherwise an `extends:`
 * that is a path is read from disk, relative to the repository's root. One in a repository
 * (`OWNER/REPO/PATH@REF`) is the action's to read through the API: offline it needs `--policy`.
 */
function cliPolicy(file: string | undefined): { file?: string; read: PolicyReader } {
  return {
    ...(file ? { file } : {}),
    read: async (ref, top) => {
      if (file) return readFileSync(file, "utf8");
      if (isRepositoryRef(ref))
        throw new Error("the action reads it through GitHub's API; offline, pass --policy FILE with its content");
      return readFileSync(resolve(top, ref), "utf8");
    },
  };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
