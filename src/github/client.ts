import { getOctokit } from "@actions/github";
import { getProxyUrl } from "@actions/http-client/lib/proxy";
import Bottleneck from "bottleneck/light.js";
import type { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** GitHub's API root; the runner sets GITHUB_API_URL. */
  baseUrl: string;
  /**
   * The unit of waiting, in ms (1000 on GitHub): retries wait 1, 4, 9, 16, … units, and the
   * budget below is counted in it too, so a test can shrink every wait at once.
   */
  retryBaseMs: number;
  /** What every request of this client may spend in all, retries and waits included, in units. */
  budgetUnits: number;
  /**
   * How long one attempt may wait for an answer, in ms (15 units by default). A test that shrinks
   * the unit keeps this long, so that a busy machine's slow answer is not taken for a hang.
   */
  attemptTimeoutMs?: number;
  /** Names the budget in messages ("reading GitHub", "writing to GitHub"). */
  purpose: string;
  log: (message: string) => void;
}

/** What the run's reads may spend in all (about a minute), and its writes (best effort). */
export const READ_BUDGET_UNITS = 60;
export const WRITE_BUDGET_UNITS = 20;
/** Longest one attempt may wait for an answer, in units. */
const ATTEMPT_UNITS = 15;
/** An attempt is not started with less than this left, in units. */
const MIN_ATTEMPT_UNITS = 0.25;

/** A request that failed for good, named with its method, path and HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    /** Kept apart from `status`, which the plugins would take for an answer to retry. */
    readonly httpStatus: number | undefined,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/**
 * An Octokit whose requests share one time budget. Only 5xx answers, dropped connections, slow
 * answers, 429 and rate-limit 403s are retried (plugin-retry with quadratic backoff, plugin-throttling
 * for rate limits); nothing is retried or waited for past the budget. What still fails is thrown,
 * named with the request and its status, and the caller fails closed.
 */
export function createClient(opts: ClientOptions): GitHubClient {
  const budget = new Budget(opts.budgetUnits, opts.retryBaseMs, opts.purpose);
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }): boolean => {
      const again = budget.allows(retryAfter);
      if (again) budget.spend(retryAfter);
      opts.log(
        `${kind} on ${options.method} ${pathOf(options.url)}: ${again ? `retrying after ${retryAfter}s` : `giving up: waiting ${retryAfter}s would pass the ${budget.describe()}`}`,
      );
      return again;
    };
  // Plugins apply in order, each wrapping the one before: the budget sees every single attempt.
  return getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl,
      // Node's own fetch where no proxy stands between the runner and the API; behind one,
      // @actions/github's, through the proxy (undici, loaded then: src/github/undici.ts).
      ...(getProxyUrl(new URL(opts.baseUrl)) ? {} : { request: { fetch: globalThis.fetch } }),
      retry: { retries: 30, retryAfterBaseValue: opts.retryBaseMs, doNotRetry: CLIENT_ERRORS_BUT_429 },
      throttle: {
        // GitHub asks for a second between writes (three before one that notifies people); in
        // units, so that tests wait milliseconds.
        write: new Bottleneck.Group({ maxConcurrent: 1, minTime: opts.retryBaseMs }),
        notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: 3 * opts.retryBaseMs }),
        onRateLimit: onLimit("rate limit"),
        onSecondaryRateLimit: onLimit("secondary rate limit"),
        retryAfterBaseValue: opts.retryBaseMs,
        fallbackSecondaryRateRetryAfter: 60,
      },
    },
    budgeted(budget, opts.attemptTimeoutMs ?? ATTEMPT_UNITS * opts.retryBaseMs),
    retry,
    throttling,
  );
}

/** Every 4xx status but 429 (rate limits are the throttling plugin's to wait out). */
const CLIENT_ERRORS_BUT_429 = Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => s !== 429);

/**
 * What a client's requests may spend waiting, counted in units rather than read from a clock:
 * every wait before a retry (the backoff, a rate limit's retry-after) and every attempt that got
 * no answer in time. The same failures always spend the same budget, however busy the machine is;
 * answers that come cost nothing, and an attempt waits at most what is left, so the wall time of a
 * run is its budgets and the time GitHub takes to answer.
 */
class Budget {
  private spent = 0;
  last: string | null = null;

  constructor(
    readonly units: number,
    readonly unitMs: number,
    readonly purpose: string,
  ) {}

  left(): number {
    return this.units - this.spent;
  }

  /** Whether waiting this many units more still leaves room for an attempt. */
  allows(waitUnits: number): boolean {
    return this.left() - waitUnits >= MIN_ATTEMPT_UNITS;
  }

  spend(units: number): void {
    this.spent += units;
  }

  /** What has been spent, in seconds on GitHub (where a unit is a second). */
  spentSeconds(): string {
    return ((this.spent * this.unitMs) / 1000).toFixed(1);
  }

  describe(): string {
    return `${Math.round((this.units * this.unitMs) / 100) / 10}s budget for ${this.purpose}`;
  }
}

type RequestOptions = { method: string; url: string; request?: Record<string, unknown> & { retryCount?: number } };

function budgeted(budget: Budget, attemptMs: number) {
  return (octokit: Octokit) => {
    octokit.hook.wrap("request", async (request, options) => {
      const o = options as unknown as RequestOptions;
      const what = `${o.method} ${pathOf(expanded(octokit, options))}`;
      if (budget.left() < MIN_ATTEMPT_UNITS) {
        throw new ApiError(
          `${what}: not sent, the ${budget.describe()} is spent${budget.last ? ` (last failure: ${budget.last})` : ""}`,
          undefined,
        );
      }
      // An attempt waits no longer than the budget has left: the last one never runs past it.
      const allotted = Math.min(ATTEMPT_UNITS, budget.left());
      o.request = { ...o.request, signal: AbortSignal.timeout((attemptMs * allotted) / ATTEMPT_UNITS) };
      try {
        return await request(options);
      } catch (e) {
        const status = statusOf(e);
        const cause = e instanceof Error ? e.cause : undefined;
        const timedOut = [e, cause].some(
          (x) => x instanceof Error && (x.name === "TimeoutError" || x.name === "AbortError"),
        );
        // An attempt that waited its whole time for nothing spent it.
        if (timedOut) budget.spend(allotted);
        const described = `${what}: ${timedOut ? "no answer in time" : status !== undefined ? `HTTP ${status}` : "no answer"}${detailOf(e)}`;
        budget.last = described;
        const retryable = timedOut || status === undefined || status >= 500 || status === 429 || isRateLimit(e);
        if (!retryable) throw rename(e, described);
        const tries = (o.request.retryCount ?? 0) + 1;
        // The retry plugin waits tries² units next (rate-limit 403s are the throttling plugin's,
        // which asks the budget itself); past the budget, this is the last try.
        const nextWait = status === 403 ? 0 : tries * tries;
        if (!budget.allows(nextWait))
          throw new ApiError(
            `${described}; gave up after ${tries} ${tries === 1 ? "try" : "tries"} and ${budget.spentSeconds()}s of waiting (the ${budget.describe()})`,
            status,
          );
        budget.spend(nextWait);
        // A slow or dropped answer is retried like a 5xx.
        if (timedOut || !(e instanceof RequestError)) throw new RequestError(described, 500, { request: options });
        throw rename(e, described);
      }
    });
  };
}

/** The request's URL with its parameters filled in, as it is sent. */
function expanded(octokit: Octokit, options: unknown): string | undefined {
  try {
    return octokit.request.endpoint.parse(options as Parameters<typeof octokit.request.endpoint.parse>[0]).url;
  } catch {
    return (options as { url?: string }).url;
  }
}

function rename(e: unknown, message: string): unknown {
  if (e instanceof Error) {
    e.message = message;
    return e;
  }
  return new ApiError(message, undefined);
}

/** GitHub's own words for a failure, when its answer had any. */
function detailOf(e: unknown): string {
  const data = (e as { response?: { data?: unknown } })?.response?.data;
  const message =
    data && typeof data === "object" && "message" in data && typeof data.message === "string" ? data.message : "";
  return message ? ` (${message.slice(0, 200)})` : "";
}

function isRateLimit(e: unknown): boolean {
  const r = (e as { status?: number; message?: string; response?: { headers?: Record<string, string> } }) ?? {};
  if (r.status !== 403) return false;
  return r.response?.headers?.["x-ratelimit-remaining"] === "0" || /rate limit/i.test(r.message ?? "");
}

function pathOf(url: string | undefined): string {
  if (!url) return "(unknown)";
  try {
    const u = new URL(url, "https://api.github.invalid");
    return u.pathname;
  } catch {
    return url;
  }
}

/** The status of a failed request, when it has one. */
export function statusOf(e: unknown): number | undefined {
  if (e instanceof ApiError) return e.httpStatus;
  if (e && typeof e === "object" && "status" in e && typeof (e as { status: unknown }).status === "number") {
    return (e as { status: number }).status;
  }
  return undefined;
}
