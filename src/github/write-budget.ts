// A write budget per installation, as GitHub's secondary rate limits count writes: a burst
// of one organisation waits for its own minute to roll over, and never for another's. The
// counters live in the queue (Redis when replicas share one), so every replica draws on the
// same budget. Reads are not counted: GitHub limits them by points and the primary quota.
import { GITHUB_WRITES_PER_HOUR, GITHUB_WRITES_PER_MINUTE } from "../limits.js";
import { RetryableError } from "../queue/retry.js";

export interface BudgetLimits {
  readonly perMinute: number;
  readonly perHour: number;
  /** Longer than this to wait: the job is handed back to the queue to try again then. */
  readonly maxWaitMs: number;
  /**
   * Time between two writes of one installation (in this process): GitHub asks for a second
   * between content-creating requests. Octokit's throttling spaces every write of the App by
   * a second, across installations; this spaces them per installation only.
   * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#pause-between-mutative-requests
   */
  readonly spacingMs: number;
}

/** A margin under GitHub's numbers: fixed windows can put two windows' writes in one minute. */
export const DEFAULT_BUDGET: BudgetLimits = {
  perMinute: Math.floor(GITHUB_WRITES_PER_MINUTE * 0.75),
  perHour: Math.floor(GITHUB_WRITES_PER_HOUR * 0.9),
  maxWaitMs: 60_000,
  spacingMs: 1000,
};

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Whether a request creates content, as GitHub counts it: REST writes and GraphQL mutations. */
export function isWrite(request: { method?: string; url?: string; query?: unknown }): boolean {
  const method = (request.method ?? "GET").toUpperCase();
  if (method === "GET" || method === "HEAD") return false;
  const url = request.url ?? "";
  // Installation tokens are the App's own, not content.
  if (/\/app\/installations\/[^/]+\/access_tokens/.test(url)) return false;
  if (/\/graphql$/.test(url)) return typeof request.query === "string" && /^\s*mutation\b/.test(request.query);
  return true;
}

export class WriteBudget {
  /** Writes that had to wait, and how long in all, for metrics and logs. */
  readonly waits = { count: 0, ms: 0 };
  /** When each installation may write next, in this process. */
  private readonly next = new Map<string, number>();

  constructor(
    private readonly count: (name: string, ttlMs: number) => Promise<number>,
    private readonly limits: BudgetLimits = DEFAULT_BUDGET,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    private readonly onWait: (installation: number | string, ms: number) => void = () => undefined,
  ) {}

  /** Resolves when `installation` may write once more; throws a RetryableError when that is too far off. */
  async take(installation: number | string): Promise<void> {
    // The second between two writes, reserved before waiting so writes queue up in order.
    const key = String(installation);
    const now = this.clock.now();
    const at = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, at + this.limits.spacingMs);
    if (at > now) await this.clock.sleep(at - now);
    for (;;) {
      const now = this.clock.now();
      const minute = Math.floor(now / MINUTE);
      const hour = Math.floor(now / HOUR);
      const [m, h] = await Promise.all([
        this.count(`writes:${installation}:m:${minute}`, 2 * MINUTE),
        this.count(`writes:${installation}:h:${hour}`, 2 * HOUR),
      ]);
      if (m <= this.limits.perMinute && h <= this.limits.perHour) return;
      const waitMs = (h > this.limits.perHour ? (hour + 1) * HOUR : (minute + 1) * MINUTE) - now;
      if (waitMs > this.limits.maxWaitMs) {
        throw new RetryableError(`write budget of installation ${installation}: ${h > this.limits.perHour ? `${this.limits.perHour} writes this hour` : `${this.limits.perMinute} writes this minute`} used; GitHub's secondary rate limits allow no more`, waitMs);
      }
      this.waits.count++;
      this.waits.ms += waitMs;
      this.onWait(installation, waitMs);
      await this.clock.sleep(waitMs);
    }
  }
}
