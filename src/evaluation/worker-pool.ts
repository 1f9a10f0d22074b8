import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { ParseLimits } from "../manifests/types.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import type { EngineOptions } from "../policy/engine.js";
import type { FileToEvaluate } from "./evaluate-file.js";
import { evaluationErrorReport, type FileReport } from "./report.js";
import type { WorkerReply, WorkerRequest } from "./worker.js";

export interface WorkerPoolOptions {
  /** Compiled bundles, each with its namespaces and data; every file goes through each. */
  readonly bundles: ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;
  readonly limits?: ParseLimits;
  /** Wall-clock limit for one file (or one combined evaluation). */
  readonly timeoutMs?: number;
  readonly workers?: number;
  /** JS heap of each worker; wasm memory is bounded separately by the engine. */
  readonly maxHeapMb?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** The compiled worker; tests run from TypeScript sources, so fall back to the build output. */
function workerUrl(): URL {
  const sibling = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL("../../dist/evaluation/worker.js", import.meta.url);
}

interface Pending {
  readonly request: WorkerRequest;
  readonly resolve: (reports: FileReport[]) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Pending | undefined;
}

/**
 * Parses and evaluates files on worker threads, each request under a time limit: a
 * worker that runs past it is terminated and replaced, and the file gets an error
 * finding. Nothing a policy or manifest does can hang or crash the caller.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  private constructor(private readonly options: WorkerPoolOptions) {}

  static async start(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    const n = Math.max(1, options.workers ?? 1);
    for (let i = 0; i < n; i++) {
      const slot = { busy: undefined } as Slot;
      pool.attach(slot);
      pool.slots.push(slot);
    }
    try {
      await Promise.all(pool.slots.map((s) => s.ready));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Gives the slot a fresh worker; events from any earlier worker of the slot are ignored. */
  private attach(slot: Slot): void {
    const worker = new Worker(workerUrl(), {
      workerData: { bundles: this.options.bundles, limits: this.options.limits ?? DEFAULT_LIMITS },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 },
    });
    slot.worker = worker;
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (msg: { ready?: boolean; fatal?: string } | WorkerReply) => {
        if (slot.worker !== worker) return;
        if ("ready" in msg) resolve();
        else if ("fatal" in msg) reject(new Error(`start evaluation worker: ${msg.fatal}`));
        else this.settle(slot, msg as WorkerReply);
      });
      worker.on("error", (e) => {
        if (slot.worker !== worker) return;
        reject(new Error(`start evaluation worker: ${e.message}`, { cause: e }));
        this.crash(slot, `worker failed: ${e.message}`);
      });
      worker.on("exit", (code) => {
        if (slot.worker !== worker || this.closed) return;
        reject(new Error(`start evaluation worker: exited with code ${code}`));
        this.crash(slot, `worker exited with code ${code}`);
      });
    });
    slot.ready.catch(() => undefined);
  }

  evaluateFile(file: FileToEvaluate): Promise<FileReport> {
    return this.submit({ id: this.nextId++, kind: "file", file }).then((r) => r[0] ?? evaluationErrorReport(file.path, file.format, "the worker returned no report"));
  }

  evaluateCombined(files: readonly FileToEvaluate[]): Promise<FileReport[]> {
    return this.submit({ id: this.nextId++, kind: "combined", files });
  }

  private submit(request: WorkerRequest): Promise<FileReport[]> {
    if (this.closed) return Promise.reject(new Error("evaluate files: the worker pool is closed"));
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.busy = job;
      void slot.ready.then(
        () => {
          job.timer = setTimeout(() => this.timeout(slot), this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
          slot.worker.postMessage(job.request);
        },
        (e: Error) => this.finish(slot, this.failuresFor(job.request, e.message)),
      );
    }
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const job = slot.busy;
    if (!job || job.request.id !== reply.id) return;
    this.finish(slot, "reports" in reply ? reply.reports : this.failuresFor(job.request, reply.error));
  }

  private finish(slot: Slot, reports: FileReport[]): void {
    const job = slot.busy;
    if (!job) return;
    if (job.timer) clearTimeout(job.timer);
    slot.busy = undefined;
    job.resolve(reports);
    this.pump();
  }

  private timeout(slot: Slot): void {
    const job = slot.busy;
    if (!job) return;
    const limit = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.replace(slot);
    this.finish(slot, this.failuresFor(job.request, `evaluation did not finish within ${limit} ms and was stopped`));
  }

  private crash(slot: Slot, why: string): void {
    if (this.closed) return;
    const job = slot.busy;
    this.replace(slot);
    if (job) this.finish(slot, this.failuresFor(job.request, why));
  }

  private replace(slot: Slot): void {
    const old = slot.worker;
    this.attach(slot);
    void old.terminate();
  }

  private failuresFor(request: WorkerRequest, message: string): FileReport[] {
    const files = request.kind === "file" ? [request.file] : request.files;
    return files.map((f) => evaluationErrorReport(f.path, f.format, message));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
