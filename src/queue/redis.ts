// The Redis queue (BullMQ), shared by any number of App replicas: a second replica adds
// throughput, and a dead one loses nothing, because BullMQ gives a job whose worker stopped
// renewing its lock (a crash, a SIGKILL) to another worker. Job ids make adds idempotent
// across replicas; retries follow GitHub's rules (see retry.ts).
import { DelayedError, Queue, UnrecoverableError, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Job } from "../jobs/job.js";
import { backoff, retryDelay, RetryableError, RETRY_POLICY } from "./retry.js";
import type { JobHandler, JobOptions, JobQueue, JobState, OutcomeListener, QueueStats } from "./types.js";

const QUEUE = "gitops-gate-jobs";
const PREFIX = "gitops-gate";

interface Data {
  readonly job: Job;
  readonly group: string;
  readonly addedAt: number;
  /** Tells this add from another replica's add of the same id. */
  readonly nonce: string;
  readonly state?: JobState;
}

/** BullMQ refuses `:` in custom ids; ours use it as a separator. */
function bullId(id: string): string {
  return id.replace(/:/g, "~");
}

export class RedisQueue implements JobQueue {
  readonly kind = "redis" as const;
  private readonly client: Redis;
  private readonly queue: Queue<Data>;
  private worker: Worker<Data> | undefined;
  private readonly listeners: OutcomeListener[] = [];
  private readonly runningByGroup = new Map<string, number>();

  constructor(
    private readonly url: string,
    private readonly options: { lockMs?: number } = {},
  ) {
    this.client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
    this.queue = new Queue<Data>(QUEUE, { connection: this.client, prefix: PREFIX });
  }

  async add(job: Job, options: JobOptions): Promise<"queued" | "duplicate"> {
    const jobId = bullId(options.id);
    if (await this.queue.getJob(jobId)) return "duplicate";
    // Fairness: a group's jobs queue behind the number it already has waiting, so another
    // group's first job goes ahead of a burst.
    const waiting = await this.client.incr(`${PREFIX}:waiting:${options.group}`);
    await this.client.expire(`${PREFIX}:waiting:${options.group}`, 3600);
    const nonce = `${process.pid}-${Math.random().toString(36).slice(2)}`;
    await this.queue.add(job.kind, { job, group: options.group, addedAt: Date.now(), nonce }, {
      jobId,
      priority: Math.min(2_000_000, waiting),
      attempts: RETRY_POLICY.attempts,
      backoff: { type: "github" },
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    // Two replicas adding the same id at once: one of them got the job that was there.
    return (await this.queue.getJob(jobId))?.data.nonce === nonce ? "queued" : "duplicate";
  }

  start(handler: JobHandler, options: { concurrency: number; perGroup: number }): void {
    const connection = this.client.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker<Data>(QUEUE, (job, token) => this.process(job, token, handler, options.perGroup), {
      connection,
      prefix: PREFIX,
      concurrency: options.concurrency,
      // A job whose worker died is given to another after this long without a lock renewal.
      lockDuration: this.options.lockMs ?? 30_000,
      stalledInterval: Math.round((this.options.lockMs ?? 30_000) / 2),
      maxStalledCount: 3,
      settings: {
        backoffStrategy: (attemptsMade, _type, err) => (err instanceof RetryableError ? err.delayMs : backoff(attemptsMade)),
      },
    });
    this.worker.on("error", () => undefined);
  }

  private async process(bull: BullJob<Data>, token: string | undefined, handler: JobHandler, perGroup: number): Promise<string> {
    const { job, group } = bull.data;
    // Per group in this process: over the limit, the job steps back for a moment.
    const load = this.runningByGroup.get(group) ?? 0;
    if (load >= perGroup) {
      await bull.moveToDelayed(Date.now() + 500, token);
      throw new DelayedError();
    }
    this.runningByGroup.set(group, load + 1);
    if (bull.attemptsStarted <= 1) await this.client.decr(`${PREFIX}:waiting:${group}`);
    const started = Date.now();
    const attempt = bull.attemptsMade + 1;
    const final = attempt >= RETRY_POLICY.attempts || started - bull.data.addedAt >= RETRY_POLICY.deadlineMs;
    let state: JobState = bull.data.state ?? {};
    try {
      const outcome = await handler(job, {
        attempt,
        final,
        state,
        saveState: async (s) => {
          state = { ...state, ...s };
          await bull.updateData({ ...bull.data, state });
        },
      });
      this.emit(job, outcome, attempt, started, bull.data.addedAt);
      return outcome;
    } catch (e) {
      const delay = final ? undefined : retryDelay(e, attempt);
      this.emit(job, delay === undefined ? "failed" : "retrying", attempt, started, bull.data.addedAt);
      if (delay === undefined) throw new UnrecoverableError((e as Error).message ?? String(e));
      throw new RetryableError((e as Error).message ?? String(e), delay, { cause: e });
    } finally {
      this.runningByGroup.set(group, (this.runningByGroup.get(group) ?? 1) - 1);
    }
  }

  private emit(job: Job, outcome: string, attempt: number, started: number, addedAt: number): void {
    for (const l of this.listeners) l({ job, outcome, attempt, ms: Date.now() - started, queuedMs: started - addedAt });
  }

  async close(graceMs: number): Promise<void> {
    // worker.close() waits for running jobs; past the grace they are left to BullMQ's
    // stalled-job check, which gives them to another replica.
    if (this.worker) await Promise.race([this.worker.close(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    await this.queue.close().catch(() => undefined);
    this.client.disconnect();
  }

  async ready(): Promise<boolean> {
    try {
      return (await this.client.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async stats(): Promise<QueueStats> {
    const c = await this.queue.getJobCounts("waiting", "prioritized", "active", "delayed");
    return { waiting: (c["waiting"] ?? 0) + (c["prioritized"] ?? 0), running: c["active"] ?? 0, delayed: c["delayed"] ?? 0 };
  }

  onOutcome(listener: OutcomeListener): void {
    this.listeners.push(listener);
  }

  async latest(key: string): Promise<string | undefined> {
    return (await this.client.hget(`${PREFIX}:latest`, key)) ?? undefined;
  }

  async setLatest(key: string, head: string): Promise<void> {
    await this.client.hset(`${PREFIX}:latest`, key, head);
  }

  async count(name: string, ttlMs: number): Promise<number> {
    const key = `${PREFIX}:count:${name}`;
    // One round trip; the expiry is set by the first count only, so the window is fixed.
    const [[, n]] = (await this.client.multi().incr(key).pexpire(key, ttlMs, "NX").exec()) as [[Error | null, number]];
    return n;
  }

  async lock(name: string, ttlMs: number): Promise<boolean> {
    return (await this.client.set(`${PREFIX}:lock:${name}`, String(process.pid), "PX", ttlMs, "NX")) === "OK";
  }

  get redisUrl(): string {
    return this.url;
  }
}
