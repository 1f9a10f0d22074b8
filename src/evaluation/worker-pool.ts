import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { RenderTarget } from "../hydrate/plan.js";
import type { ProtoFile } from "../manifests/conftest-wasm/index.js";
import type { ParseLimits } from "../manifests/types.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import { readBundle } from "../policy/bundle.js";
import type { FileToEvaluate } from "./evaluate-file.js";
import type { PolicyBundles, PolicyRef, RenderFiles, RenderSummary, WorkerReply, WorkerRequest } from "./protocol.js";
import { RENDER_ERROR_RULE } from "./render-evaluate.js";
import { errorFinding, evaluationErrorReport, type FileReport } from "./report.js";

export interface WorkerPoolOptions {
  readonly limits?: ParseLimits;
  /** .proto files for textproto messages (conftest's --proto-file-dirs), loaded by every worker. */
  readonly protoFiles?: readonly ProtoFile[];
  /** Wall-clock limit for one file, one combined evaluation or one render. */
  readonly timeoutMs?: number;
  readonly workers?: number;
  /** JS heap of each worker; wasm memory is bounded separately by each engine. */
  readonly maxHeapMb?: number;
  /**
   * The compiled rendering engine (HydrateEngine.compile()), shared by the workers; or a
   * function that compiles it on the first render (compiling costs ~200 MB of memory for a
   * moment: a process that never renders never pays it); none: no renders.
   */
  readonly hydrate?: unknown;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A set of policy bundles registered with the pool; requests name it by id. */
export interface PolicySet {
  readonly id: string;
}

/** The compiled worker; tests run from TypeScript sources, so fall back to the build output. */
function workerUrl(): URL {
  const sibling = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  return new URL("../../dist/evaluation/worker.js", import.meta.url);
}

interface Outcome {
  readonly reports: FileReport[];
  readonly render?: RenderSummary;
}

interface Pending {
  request: WorkerRequest;
  readonly resolve: (outcome: Outcome) => void;
  timer?: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Pending | undefined;
  /** Policy sets this slot's worker holds. */
  held: Set<string>;
}

/**
 * Parses, renders and evaluates on worker threads, each request under a time limit: a
 * worker that runs past it is terminated and replaced, and the file or render gets an
 * error finding. Nothing a policy, chart or manifest does can hang or crash the caller.
 * One pool can serve many evaluations at once, each with its own policy set.
 */
export class WorkerPool {
  /** The rendering engine, once compiled for the first render. */
  private compiled?: Promise<unknown>;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly sets = new Map<string, PolicyBundles>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly options: WorkerPoolOptions) {}

  static async start(options: WorkerPoolOptions = {}): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    const n = Math.max(1, options.workers ?? 1);
    for (let i = 0; i < n; i++) {
      const slot = { busy: undefined, held: new Set<string>() } as unknown as Slot;
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

  get size(): number {
    return this.slots.length;
  }

  /**
   * Registers bundles (checked here, so a broken bundle fails the caller at once) and
   * returns their set; equal bundles with equal options are one set.
   */
  policySet(bundles: PolicyBundles): PolicySet {
    const h = createHash("sha256");
    for (const [i, b] of bundles.entries()) {
      readBundle(b.bytes, `#${i + 1}`);
      h.update(createHash("sha256").update(b.bytes).digest("hex")).update(JSON.stringify(b.engine)).update("\0");
    }
    const id = h.digest("hex");
    this.sets.set(id, bundles);
    return { id };
  }

  /** Gives the slot a fresh worker; events from any earlier worker of the slot are ignored. */
  private attach(slot: Slot): void {
    const worker = new Worker(workerUrl(), {
      workerData: { limits: this.options.limits ?? DEFAULT_LIMITS, protoFiles: this.options.protoFiles ?? [], ...(this.options.hydrate && typeof this.options.hydrate !== "function" ? { hydrate: this.options.hydrate } : {}) },
      resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 1024 },
    });
    slot.worker = worker;
    slot.held = new Set();
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on("message", (msg: { ready?: boolean } | WorkerReply) => {
        if (slot.worker !== worker) return;
        if ("ready" in msg) resolve();
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

  evaluateFile(file: FileToEvaluate, set: PolicySet): Promise<FileReport> {
    return this.submit({ id: this.nextId++, kind: "file", policy: { id: set.id }, file }).then(
      (o) => o.reports[0] ?? evaluationErrorReport(file.path, file.format, "the worker returned no report"),
    );
  }

  /** conftest --combine; `dir` is what `data.conftest.file.dir` says (conftest: the working directory). */
  async evaluateCombined(files: readonly FileToEvaluate[], set: PolicySet, dir?: string): Promise<FileReport[]> {
    return (await this.submit({ id: this.nextId++, kind: "combined", policy: { id: set.id }, files, ...(dir !== undefined ? { dir } : {}) })).reports;
  }

  /** Renders a root and judges its objects (with no set: renders only, for release facts). */
  async render(target: RenderTarget, files: RenderFiles, set: PolicySet | undefined, options: { objects?: boolean } = {}): Promise<Outcome> {
    // A lazily compiled engine travels with each render request (a compiled module is
    // shared between threads, not copied).
    const lazy = typeof this.options.hydrate === "function" ? { hydrate: await (this.compiled ??= (this.options.hydrate as () => Promise<unknown>)()) } : {};
    return this.submit({ id: this.nextId++, kind: "render", ...(set ? { policy: { id: set.id } } : {}), target, files, objects: options.objects ?? false, ...lazy });
  }

  private submit(request: WorkerRequest): Promise<Outcome> {
    if (this.closed) return Promise.reject(new Error("evaluate files: the worker pool is closed"));
    return new Promise((resolve) => {
      this.queue.push({ request, resolve });
      this.pump();
    });
  }

  /** The request as this slot's worker needs it: with the policy set's bundles the first time. */
  private withPolicy(slot: Slot, request: WorkerRequest): WorkerRequest {
    const ref = request.policy;
    if (!ref || slot.held.has(ref.id)) return request;
    const bundles = this.sets.get(ref.id);
    if (!bundles) return request;
    slot.held.add(ref.id);
    const full: PolicyRef = { id: ref.id, bundles };
    return { ...request, policy: full } as WorkerRequest;
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
          slot.worker.postMessage(this.withPolicy(slot, job.request));
        },
        (e: Error) => this.finish(slot, this.failuresFor(job.request, e.message)),
      );
    }
  }

  private settle(slot: Slot, reply: WorkerReply): void {
    const job = slot.busy;
    if (!job || job.request.id !== reply.id) return;
    if ("error" in reply && job.request.policy) slot.held.delete(job.request.policy.id);
    this.finish(slot, "reports" in reply ? { reports: reply.reports, ...(reply.render ? { render: reply.render } : {}) } : this.failuresFor(job.request, reply.error));
  }

  private finish(slot: Slot, outcome: Outcome): void {
    const job = slot.busy;
    if (!job) return;
    if (job.timer) clearTimeout(job.timer);
    slot.busy = undefined;
    job.resolve(outcome);
    this.pump();
  }

  private timeout(slot: Slot): void {
    const job = slot.busy;
    if (!job) return;
    const limit = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.replace(slot);
    const what = job.request.kind === "render" ? "render" : "evaluation";
    this.finish(slot, this.failuresFor(job.request, `${what} did not finish within ${limit} ms and was stopped`));
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

  private failuresFor(request: WorkerRequest, message: string): Outcome {
    if (request.kind === "render") {
      const t = request.target;
      const finding = errorFinding({ file: t.inputs[0] ?? t.root, line: 1, ruleId: RENDER_ERROR_RULE, title: `Cannot render ${t.label}`, message: `render ${t.label}: ${message}` });
      return { reports: [{ path: t.label, format: t.kind, status: "error", documents: 0, findings: [finding], waived: [] }], render: { target: t.id, objects: 0, ms: 0, warnings: [] } };
    }
    const files = request.kind === "file" ? [request.file] : request.files;
    return { reports: files.map((f) => evaluationErrorReport(f.path, f.format, message)) };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }
}
