import { getOctokit } from "@actions/github";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  token: string;
  /** GitHub's API root; the runner sets GITHUB_API_URL. */
  baseUrl: string;
  /** Base of the quadratic backoff between retries, in ms (1s → 1, 4, 9, 16, 25 s: about a minute). */
  retryBaseMs: number;
  log: (message: string) => void;
}

/** Rate-limit waits allowed before a request fails; with GitHub's retry-after this stays near a minute. */
const MAX_RATE_LIMIT_RETRIES = 3;
const MAX_RETRY_AFTER_SECONDS = 60;

/**
 * An Octokit that retries 5xx answers and waits out primary and secondary rate limits for up to
 * about a minute. What still fails is thrown to the caller, which fails closed.
 */
export function createClient(opts: ClientOptions): GitHubClient {
  const handler =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      const again = retryCount < MAX_RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS;
      opts.log(`${kind} on ${options.method} ${options.url}: ${again ? `retrying after ${retryAfter}s` : "giving up"}`);
      return again;
    };
  return getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl,
      retry: { retries: 5, retryAfterBaseValue: opts.retryBaseMs, doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
      throttle: {
        onRateLimit: handler("rate limit"),
        onSecondaryRateLimit: handler("secondary rate limit"),
        retryAfterBaseValue: opts.retryBaseMs,
        fallbackSecondaryRateRetryAfter: 60,
      },
      request: { timeout: 30_000 },
    },
    retry,
    throttling,
  );
}

/** The status of a failed request, when it has one. */
export function statusOf(e: unknown): number | undefined {
  if (e && typeof e === "object" && "status" in e && typeof (e as { status: unknown }).status === "number") {
    return (e as { status: number }).status;
  }
  return undefined;
}
