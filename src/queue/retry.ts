// Which failures are worth another attempt, and when: GitHub's secondary rate limits
// (403 or 429 with retry-after or x-ratelimit-reset), its 5xx answers, token-endpoint
// failures and connection errors pass; a 404 or a 422 will not change by waiting.
// https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit

/** A failure to try again after `delayMs`. */
export class RetryableError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function env(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * How many attempts a job gets, and how long it may keep trying, before it reports
 * (GITOPS_GATE_RETRY_ATTEMPTS, GITOPS_GATE_RETRY_DEADLINE_SECONDS, GITOPS_GATE_RETRY_BASE_MS).
 */
export const RETRY_POLICY = {
  attempts: env("GITOPS_GATE_RETRY_ATTEMPTS", 12),
  deadlineMs: env("GITOPS_GATE_RETRY_DEADLINE_SECONDS", 30 * 60) * 1000,
  baseMs: env("GITOPS_GATE_RETRY_BASE_MS", 1000),
  maxMs: 5 * 60 * 1000,
  /** GitHub asks for a pause of at least a minute after a secondary limit without a retry-after. */
  secondaryMs: env("GITOPS_GATE_RETRY_SECONDARY_MS", 60_000),
} as const;

interface HttpError {
  status?: number;
  code?: string;
  response?: { headers?: Record<string, string | number | undefined>; url?: string };
  request?: { url?: string; method?: string };
  message?: string;
}

/** Exponential back-off with jitter for attempt `n` (1-based). */
export function backoff(n: number, policy = RETRY_POLICY): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, n - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

function header(e: HttpError, name: string): number | undefined {
  const v = e.response?.headers?.[name];
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** The delay GitHub asks for, or undefined when the error is not one to retry. */
export function retryDelay(error: unknown, attempt: number): number | undefined {
  if (error instanceof RetryableError) return error.delayMs;
  const e = (error ?? {}) as HttpError;
  const status = e.status;
  const retryAfter = header(e, "retry-after");
  const reset = header(e, "x-ratelimit-reset");
  const remaining = header(e, "x-ratelimit-remaining");
  if (status === 429 || (status === 403 && (retryAfter !== undefined || remaining === 0 || /secondary rate limit|rate limit/i.test(e.message ?? "")))) {
    if (retryAfter !== undefined) return retryAfter * 1000;
    if (reset !== undefined) return Math.max(1000, reset * 1000 - Date.now());
    // Secondary limits without a header: at least a minute, as GitHub asks.
    return Math.max(RETRY_POLICY.secondaryMs, backoff(attempt));
  }
  if (status !== undefined && status >= 500) return backoff(attempt);
  // The installation token endpoint turning us away is transient (a key rotation, an outage).
  if (status === 401 && /access_tokens/.test(e.request?.url ?? e.response?.url ?? "")) return backoff(attempt);
  if (e.code && ["ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "EAI_AGAIN", "EPIPE", "UND_ERR_SOCKET"].includes(e.code)) return backoff(attempt);
  if (/fetch failed|socket hang up|network/i.test(e.message ?? "") && status === undefined) return backoff(attempt);
  return undefined;
}
