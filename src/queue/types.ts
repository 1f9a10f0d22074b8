// The queue between the webhook and the work: a handler records a job and the request is
// answered; workers carry jobs out, retry the ones GitHub turned away for a while, and
// never run two copies of one job. Two engines behind one interface: in-process (one
// replica, nothing to install) and Redis (any number of replicas).
import type { Job } from "../jobs/job.js";

export interface JobOptions {
  /** Identity: adding a job whose id is queued, running or recently done adds nothing. */
  readonly id: string;
  /** Fairness: jobs are shared out by this key (the installation), so one burst cannot starve others. */
  readonly group: string;
  /** Run no sooner than this many milliseconds from now. */
  readonly delayMs?: number;
}

/** What survives between attempts of one job (the check run it started, say). */
export type JobState = Readonly<Record<string, unknown>>;

export interface JobContext {
  /** 1 for the first run of the job. */
  readonly attempt: number;
  /** True when this attempt is the last: a failure must now be reported, not retried. */
  readonly final: boolean;
  readonly state: JobState;
  /** Records state for later attempts (and for another replica that takes the job over). */
  saveState(state: JobState): Promise<void>;
}

export type JobHandler = (job: Job, context: JobContext) => Promise<string>;

export interface QueueStats {
  readonly waiting: number;
  readonly running: number;
  readonly delayed: number;
}

/** Outcomes by name, for metrics. */
export type OutcomeListener = (event: { job: Job; outcome: string; attempt: number; ms: number; queuedMs: number }) => void;

export interface JobQueue {
  readonly kind: "memory" | "redis";
  add(job: Job, options: JobOptions): Promise<"queued" | "duplicate">;
  /** Starts taking jobs; `concurrency` at once in this process, `perGroup` of them for one group. */
  start(handler: JobHandler, options: { concurrency: number; perGroup: number }): void;
  /** Stops taking jobs and waits for running ones up to `graceMs`; what is left is handed back (Redis) or left to the reconciler. */
  close(graceMs: number): Promise<void>;
  /** Whether the queue can take jobs (Redis reachable). */
  ready(): Promise<boolean>;
  stats(): Promise<QueueStats>;
  onOutcome(listener: OutcomeListener): void;
  /** The newest head recorded for a pull request (`key`), for superseding older runs. */
  latest(key: string): Promise<string | undefined>;
  setLatest(key: string, head: string): Promise<void>;
  /** A lock with expiry: true when this process holds it (one replica runs the reconciler). */
  lock(name: string, ttlMs: number): Promise<boolean>;
  /** Adds one to a counter that expires `ttlMs` after it was first counted; the new count (shared by replicas on Redis). */
  count(name: string, ttlMs: number): Promise<number>;
}
