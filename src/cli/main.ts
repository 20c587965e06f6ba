import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseApprovalsFile, type OfflineApprovals } from "../evidence/approvals-file.js";
import { runCheck } from "../gather/check.js";
import { UsageError } from "../gather/errors.js";
import { runTiers } from "../gather/tiers.js";
import { describeError } from "../parse/result.js";
import { messageOf } from "../parse/document.js";
import { toChangelog } from "../report/changelog.js";
import { toJsonReport } from "../report/json.js";
import { agentsText, toText } from "../report/text.js";
import { runInit } from "./init.js";

export const EXIT = { pass: 0, block: 1, usage: 2 } as const;

const USAGE = `capgate — gate AI product changes by the capability tier they touch

Usage:
  capgate check --base REV --head REV [--config PATH] [--results DIR] [--approvals FILE] [--json]
  capgate changelog --from REV --to REV [--config PATH] [--json]
  capgate tiers [--rev REV] [--config PATH] [--json]
  capgate init [--config PATH] [--force]

Exit codes: 0 pass, 1 blocked, 2 bad usage or an unusable config.
`;

export interface Io {
  cwd: string;
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Runs one CLI command; returns the exit code. Never throws. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await run(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`capgate: ${e.message}\n`);
      return EXIT.usage;
    }
    // Anything unexpected decides nothing: it is reported and never exits 0.
    io.err(`capgate: internal error, nothing was decided: ${messageOf(e)}\n`);
    return EXIT.usage;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    (command ? io.out : io.err)(USAGE);
    return command ? EXIT.pass : EXIT.usage;
  }
  const options = {
    base: { type: "string" },
    head: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    rev: { type: "string" },
    config: { type: "string" },
    results: { type: "string" },
    approvals: { type: "string" },
    json: { type: "boolean" },
    force: { type: "boolean" },
  } as const;
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new UsageError(`${messageOf(e)}\n\n${USAGE}`);
  }
  const need = (name: keyof typeof values): string => {
    const v = values[name];
    if (typeof v !== "string" || v === "") throw new UsageError(`${command} needs --${name}\n\n${USAGE}`);
    return v;
  };
  const cfg = values.config !== undefined ? { configPath: values.config } : {};

  switch (command) {
    case "check": {
      const base = need("base");
      const head = need("head");
      let approvals: OfflineApprovals | null = null;
      if (values.approvals !== undefined) approvals = readApprovals(values.approvals);
      if (values.results !== undefined && !isDirectory(resolve(io.cwd, values.results)))
        throw new UsageError(`--results ${values.results}: no such folder`);
      const { decision } = await runCheck({
        cwd: io.cwd,
        base,
        head,
        ...cfg,
        ...(values.results !== undefined ? { resultsDir: values.results } : {}),
        approvals,
        approvalsError: "no reviews given: pass --approvals FILE with the pull request's reviews",
      });
      io.out(values.json ? JSON.stringify(toJsonReport(decision), null, 2) + "\n" : toText(decision));
      return decision.decision === "pass" ? EXIT.pass : EXIT.block;
    }
    case "changelog": {
      const from = need("from");
      const to = need("to");
      const { decision } = await runCheck({
        cwd: io.cwd,
        base: from,
        head: to,
        flags: { base: "--from", head: "--to" },
        ...cfg,
        approvals: null,
        skipEvidence: true,
      });
      if (values.json) {
        const r = toJsonReport(decision);
        io.out(
          JSON.stringify(
            { tier: r.tier, escalations: r.escalations, agents: decision.agentChanges, changes: r.changes },
            null,
            2,
          ) + "\n",
        );
      } else io.out(toChangelog(decision, from, to));
      return EXIT.pass;
    }
    case "tiers": {
      const { sha, agents } = await runTiers({ cwd: io.cwd, rev: values.rev ?? "HEAD", ...cfg });
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              rev: sha,
              agents: agents.map((a) => ({
                name: a.name,
                path: a.path,
                tier: a.tier,
                reasons: a.reasons,
                errors: a.errors,
              })),
            },
            null,
            2,
          ) + "\n",
        );
      } else io.out(agentsText(agents, sha));
      return agents.some((a) => a.errors.length > 0) ? EXIT.block : EXIT.pass;
    }
    case "init": {
      const path = await runInit({ cwd: io.cwd, ...cfg, force: values.force === true });
      io.out(`wrote ${path}: edit its groups and suites, then commit it\n`);
      return EXIT.pass;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

function readApprovals(path: string): OfflineApprovals {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`--approvals ${path}: cannot be read (${messageOf(e)})`);
  }
  const parsed = parseApprovalsFile(path, text);
  if (!parsed.ok) throw new UsageError(`--approvals ${describeError(parsed.error)}`);
  return parsed.value;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
