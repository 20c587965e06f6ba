import * as z from "zod";
import { formatIssues } from "../parse/document.js";
import { DEFAULT_PIN_TIMEOUT_S } from "../pin/defaults.js";

/** Every input of action.yml, validated up front into one settings object. */
export interface Settings {
  token: string;
  /** Reads the members of `@org/team` groups (needs `members: read`); default the token. */
  teamsToken: string | undefined;
  configPath: string;
  /**
   * A trial config in the workspace, read instead of the base's: the run only reports (`mode`
   * is `warn`), says on every report that it is a trial, and publishes no check run.
   */
  configFile: string | undefined;
  /** A central policy to apply as well as the config (`OWNER/REPO/PATH@REF`), read through the API. */
  policy: string | undefined;
  resultsDir: string | undefined;
  /** `pin-check`: list the live MCP servers against capgate.lock instead of gating a change. */
  mode: "enforce" | "warn" | "pin-check";
  /** How long one MCP server may take to start and list its tools in `pin-check`, in ms. */
  pinTimeoutMs: number;
  /** When to keep the pull-request comment: always, only when blocked, or never. */
  comment: "always" | "on-failure" | "never";
  /** The login capgate's comments are written as: only a comment by it is ever updated. */
  commentAuthor: string;
  checkRun: boolean;
  /** The app whose `capgate` check runs the push audit accepts (15368 is GitHub Actions). */
  checkAppId: number;
  base: string | undefined;
  head: string | undefined;
  pullRequest: number | undefined;
  /** workflow_dispatch: the release whose notes to write. */
  tag: string | undefined;
  /** Keep `capgate:<tier>` and `capgate:escalation` labels on the pull request. */
  labels: boolean;
  recordPath: string | undefined;
  workspace: string;
  eventName: string;
  eventPath: string;
  repository: { owner: string; repo: string };
  apiUrl: string;
  serverUrl: string;
  runUrl: string | undefined;
  /** GITHUB_SHA: for pull-request events, the merge commit the job checked out. */
  sha: string | undefined;
  retryBaseMs: number;
  /** How long one request may wait for an answer, in ms; default 15 units of the retry base. */
  attemptTimeoutMs: number | undefined;
  /** RUNNER_TEMP: where the decision record goes unless the record input says otherwise. */
  runnerTemp: string | undefined;
}

export class InputError extends Error {}

/** The GitHub App behind the workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_APP_ID = 15368;

const bool = z.enum(["true", "false"]).transform((v) => v === "true");
const SECONDS = z.coerce.number().positive().max(86_400);
const POLICY_REF = z.string().regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+\/[^@]+@[^@\s]+$/, "OWNER/REPO/PATH@REF");
const LOGIN = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/, "a login, such as github-actions[bot] or my-app[bot]");

/** Reads `INPUT_*` and the runner's variables. Throws InputError naming the bad input. */
export function getInputs(env: NodeJS.ProcessEnv): Settings {
  const input = (name: string): string | undefined => {
    const v = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const parse = <T>(name: string, schema: z.ZodType<T>, raw: string | undefined, fallback: T): T => {
    if (raw === undefined) return fallback;
    const r = schema.safeParse(raw);
    if (!r.success) throw new InputError(`input ${name}: ${formatIssues(r.error.issues)} (got "${raw}")`);
    return r.data;
  };
  const need = (name: string, v: string | undefined): string => {
    if (!v) throw new InputError(`${name} is not set; capgate runs as a step of a GitHub Actions job`);
    return v;
  };
  const repository = need("GITHUB_REPOSITORY", env.GITHUB_REPOSITORY);
  const [owner, repo] = repository.split("/");
  if (!owner || !repo) throw new InputError(`GITHUB_REPOSITORY "${repository}" is not owner/name`);
  const serverUrl = env.GITHUB_SERVER_URL ?? "https://github.com";
  const settings: Settings = {
    token: input("token") ?? env.GITHUB_TOKEN ?? "",
    teamsToken: input("teams-token"),
    configPath: input("config") ?? ".github/capgate.yml",
    configFile: input("config-file"),
    policy: parse("policy", POLICY_REF, input("policy"), undefined as string | undefined),
    resultsDir: input("results"),
    mode: parse("mode", z.enum(["enforce", "warn", "pin-check"]), input("mode"), "enforce"),
    pinTimeoutMs: 1000 * parse("pin-timeout", SECONDS, input("pin-timeout"), DEFAULT_PIN_TIMEOUT_S),
    comment: parse(
      "comment",
      z
        .enum(["always", "on-failure", "never", "true", "false"])
        .transform((v) => (v === "true" ? "always" : v === "false" ? "never" : v)),
      input("comment"),
      "always",
    ),
    commentAuthor: parse("comment-author", LOGIN, input("comment-author"), "github-actions[bot]"),
    checkRun: parse("check-run", bool, input("check-run"), true),
    checkAppId: parse("check-app-id", z.coerce.number().int().positive(), input("check-app-id"), GITHUB_ACTIONS_APP_ID),
    base: input("base"),
    head: input("head"),
    pullRequest: parse(
      "pull-request",
      z.coerce.number().int().positive(),
      input("pull-request"),
      undefined as number | undefined,
    ),
    recordPath: input("record"),
    tag: input("tag"),
    labels: parse("labels", bool, input("labels"), false),
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    eventName: need("GITHUB_EVENT_NAME", env.GITHUB_EVENT_NAME),
    eventPath: need("GITHUB_EVENT_PATH", env.GITHUB_EVENT_PATH),
    repository: { owner, repo },
    apiUrl: env.GITHUB_API_URL ?? "https://api.github.com",
    serverUrl,
    runUrl: env.GITHUB_RUN_ID ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
    sha: env.GITHUB_SHA,
    runnerTemp: env.RUNNER_TEMP,
    retryBaseMs: parse(
      "CAPGATE_RETRY_BASE_MS",
      z.coerce.number().int().min(0).max(10_000),
      env.CAPGATE_RETRY_BASE_MS,
      1000,
    ),
    attemptTimeoutMs: parse(
      "CAPGATE_ATTEMPT_TIMEOUT_MS",
      z.coerce.number().int().min(1).max(600_000),
      env.CAPGATE_ATTEMPT_TIMEOUT_MS,
      undefined as number | undefined,
    ),
  };
  if (!settings.token)
    throw new InputError(
      "input token is empty (a secret that is not set, as on a pull request from a fork?); pass token: ${{ github.token }}, the default, and a separate teams-token for team members",
    );
  return asTrial(settings);
}

/**
 * A trial config (`config-file`): the workspace holds it, the pull request's to write, so it
 * never decides the bar: the run only reports (`warn`) and publishes no check run.
 */
function asTrial(settings: Settings): Settings {
  if (!settings.configFile) return settings;
  if (settings.mode === "pin-check")
    throw new InputError("input config-file: a trial config gates changes; pin-check gates none");
  return { ...settings, mode: "warn", checkRun: false };
}
