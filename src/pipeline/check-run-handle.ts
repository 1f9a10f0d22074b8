// The check run of one evaluation, created when it is needed. Most verdicts come in a
// second or two: the run is then created once, already completed, with its first
// annotations (one request instead of create, annotate and complete). An evaluation that
// takes longer shows `in_progress` after `startDelayMs`, as a required check should while
// it runs, and completes with its last batch of annotations in the same request.
import type { Annotation, CheckOutput, CheckPublisher, Conclusion } from "../github/types.js";
import { MAX_ANNOTATIONS_PER_REQUEST } from "../limits.js";

export class CheckRunHandle {
  private id?: Promise<number>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly checks: CheckPublisher,
    private readonly run: {
      readonly headSha: string;
      readonly externalId: string;
      /** The run an earlier attempt started, if any. */
      readonly existing?: number;
      /** 0: start at once. */
      readonly startDelayMs: number;
      /** Records the run for later attempts (a retry or a resume after a crash finds it). */
      readonly save: (id: number) => Promise<void>;
    },
  ) {
    if (run.existing !== undefined) this.id = Promise.resolve(run.existing);
    else if (run.startDelayMs <= 0) void this.started().catch(() => undefined);
    else {
      this.timer = setTimeout(() => void this.started().catch(() => undefined), run.startDelayMs);
      // A pending start never keeps the process alive on shutdown.
      this.timer.unref();
    }
  }

  /** The run in progress, started once (a start that failed is tried again by the next call). */
  started(): Promise<number> {
    clearTimeout(this.timer);
    this.id ??= this.checks.start(this.run.headSha, this.run.externalId).then(
      async (id) => {
        await this.run.save(id);
        return id;
      },
      (e: unknown) => {
        this.id = undefined;
        throw e;
      },
    );
    return this.id;
  }

  /** Completes the run: a new run is created completed; a started one gets the last annotations with its conclusion. */
  async finish(conclusion: Conclusion, output: CheckOutput, annotations: readonly Annotation[] = []): Promise<void> {
    clearTimeout(this.timer);
    let id: number | undefined;
    if (this.id) {
      try {
        id = await this.id;
      } catch {
        // The in-progress start failed: create the run completed instead.
      }
    }
    if (id === undefined) {
      const created = await this.checks.publish(this.run.headSha, this.run.externalId, conclusion, output, annotations);
      this.id = Promise.resolve(created);
      await this.run.save(created);
      return;
    }
    // All but the last batch first: the request that completes the run carries the last one.
    const cut = annotations.length - (annotations.length % MAX_ANNOTATIONS_PER_REQUEST || MAX_ANNOTATIONS_PER_REQUEST);
    if (cut > 0) await this.checks.annotate(id, output, annotations.slice(0, cut));
    await this.checks.complete(id, conclusion, output, annotations.slice(Math.max(0, cut)));
  }

  /** Stops a pending start (the job ends without a run of its own, e.g. a duplicate). */
  cancel(): void {
    clearTimeout(this.timer);
  }
}
