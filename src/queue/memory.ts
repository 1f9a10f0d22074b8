// The in-process queue: the default for one replica, nothing to install. Jobs live in this
// process only; what a crash loses, the reconciler finds again on start (a head without a
// completed run is evaluated; a run left in progress is resumed).
import type { Job } from "../jobs/job.js";
import { backoff, retryDelay, RETRY_POLICY } from "./retry.js";
import type { JobHandler, JobOptions, JobQueue, JobState, OutcomeListener, QueueStats } from "./types.js";

interface Entry {
  readonly job: Job;
  readonly options: JobOptions;
  readonly addedAt: number;
  attempt: number;
  state: JobState;
  status: "waiting" | "running" | "done";
  notBefore: number;
  doneAt?: number;
}

/** How long a finished job's id still makes a redelivery of it a duplicate. */
const DONE_RETENTION_MS = 60 * 60 * 1000;

export class MemoryQueue implements JobQueue {
  readonly kind = "memory" as const;
  private readonly entries = new Map<string, Entry>();
  private readonly latestHeads = new Map<string, string>();
  private readonly counters = new Map<string, { n: number; until: number }>();
  private readonly locks = new Map<string, number>();
  private readonly listeners: OutcomeListener[] = [];
  private handler: JobHandler | undefined;
  private limits = { concurrency: 1, perGroup: 1 };
  private running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  async add(job: Job, options: JobOptions): Promise<"queued" | "duplicate"> {
    this.forget();
    const known = this.entries.get(options.id);
    if (known || this.closed) return "duplicate";
    const now = Date.now();
    this.entries.set(options.id, { job, options, addedAt: now, attempt: 0, state: {}, status: "waiting", notBefore: now + (options.delayMs ?? 0) });
    this.pump();
    return "queued";
  }

  start(handler: JobHandler, options: { concurrency: number; perGroup: number }): void {
    this.handler = handler;
    this.limits = options;
    this.pump();
  }

  async close(graceMs: number): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.race([Promise.allSettled(this.running.values()), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  async ready(): Promise<boolean> {
    return !this.closed;
  }

  async stats(): Promise<QueueStats> {
    const now = Date.now();
    let waiting = 0;
    let delayed = 0;
    for (const e of this.entries.values()) {
      if (e.status !== "waiting") continue;
      if (e.notBefore > now) delayed++;
      else waiting++;
    }
    return { waiting, running: this.running.size, delayed };
  }

  onOutcome(listener: OutcomeListener): void {
    this.listeners.push(listener);
  }

  async latest(key: string): Promise<string | undefined> {
    return this.latestHeads.get(key);
  }

  async setLatest(key: string, head: string): Promise<void> {
    this.latestHeads.set(key, head);
  }

  async count(name: string, ttlMs: number): Promise<number> {
    const now = Date.now();
    for (const [k, c] of this.counters) if (c.until <= now) this.counters.delete(k);
    const c = this.counters.get(name) ?? { n: 0, until: now + ttlMs };
    c.n++;
    this.counters.set(name, c);
    return c.n;
  }

  async lock(name: string, ttlMs: number): Promise<boolean> {
    const until = this.locks.get(name) ?? 0;
    if (until > Date.now()) return false;
    this.locks.set(name, Date.now() + ttlMs);
    return true;
  }

  /** Finished jobs past the retention window. */
  private forget(): void {
    const cutoff = Date.now() - DONE_RETENTION_MS;
    for (const [id, e] of this.entries) if (e.status === "done" && (e.doneAt ?? 0) < cutoff) this.entries.delete(id);
  }

  /** The next job to run: groups with the fewest running jobs first, then oldest first. */
  private next(now: number): Entry | undefined {
    const runningByGroup = new Map<string, number>();
    for (const id of this.running.keys()) {
      const g = this.entries.get(id)?.options.group ?? "";
      runningByGroup.set(g, (runningByGroup.get(g) ?? 0) + 1);
    }
    let best: Entry | undefined;
    for (const e of this.entries.values()) {
      if (e.status !== "waiting" || e.notBefore > now) continue;
      const load = runningByGroup.get(e.options.group) ?? 0;
      if (load >= this.limits.perGroup) continue;
      const bestLoad = best ? (runningByGroup.get(best.options.group) ?? 0) : Infinity;
      if (!best || load < bestLoad || (load === bestLoad && e.addedAt < best.addedAt)) best = e;
    }
    return best;
  }

  private pump(): void {
    if (!this.handler || this.closed) return;
    const now = Date.now();
    while (this.running.size < this.limits.concurrency) {
      const entry = this.next(now);
      if (!entry) break;
      entry.status = "running";
      entry.attempt++;
      const run = this.run(entry).finally(() => {
        this.running.delete(entry.options.id);
        this.pump();
      });
      this.running.set(entry.options.id, run);
    }
    // Wake up for the earliest delayed job.
    const soonest = Math.min(...[...this.entries.values()].filter((e) => e.status === "waiting").map((e) => e.notBefore));
    if (this.timer) clearTimeout(this.timer);
    if (Number.isFinite(soonest)) this.timer = setTimeout(() => this.pump(), Math.max(10, soonest - Date.now())).unref();
  }

  private async run(entry: Entry): Promise<void> {
    const handler = this.handler as JobHandler;
    const started = Date.now();
    const final = entry.attempt >= RETRY_POLICY.attempts || started - entry.addedAt >= RETRY_POLICY.deadlineMs;
    let outcome: string;
    try {
      outcome = await handler(entry.job, {
        attempt: entry.attempt,
        final,
        state: entry.state,
        saveState: async (state) => {
          entry.state = { ...entry.state, ...state };
        },
      });
    } catch (e) {
      const delay = final ? undefined : retryDelay(e, entry.attempt);
      if (delay !== undefined) {
        entry.status = "waiting";
        entry.notBefore = Date.now() + Math.max(delay, backoff(entry.attempt) / 4);
        this.emit(entry, "retrying", started);
        return;
      }
      outcome = "failed";
    }
    entry.status = "done";
    entry.doneAt = Date.now();
    this.emit(entry, outcome, started);
  }

  private emit(entry: Entry, outcome: string, started: number): void {
    for (const l of this.listeners) l({ job: entry.job, outcome, attempt: entry.attempt, ms: Date.now() - started, queuedMs: started - entry.addedAt });
  }
}
