// Worker thread body for WorkerPool: owns one PolicyEngine so that a runaway evaluation
// can be stopped by terminating the thread (opa-wasm's evaluate has no timeout).
import { parentPort, workerData } from "node:worker_threads";
import { readBundle } from "../policy/bundle.js";
import { PolicyEngine, type EngineOptions } from "../policy/engine.js";
import type { ParseLimits } from "../manifests/types.js";
import { evaluateCombined, evaluateFile, type FileToEvaluate } from "./evaluate-file.js";
import { EVALUATION_ERROR_RULE, type FileReport } from "./report.js";

interface Init {
  readonly bundle: Uint8Array;
  readonly engine: EngineOptions;
  readonly limits: ParseLimits;
}

export type WorkerRequest =
  | { readonly id: number; readonly kind: "file"; readonly file: FileToEvaluate }
  | { readonly id: number; readonly kind: "combined"; readonly files: readonly FileToEvaluate[] };

export type WorkerReply =
  | { readonly id: number; readonly reports: FileReport[] }
  | { readonly id: number; readonly error: string };

const init = workerData as Init;
const port = parentPort;
if (!port) throw new Error("start evaluation worker: not running in a worker thread");

try {
  const bundle = readBundle(init.bundle);
  const engine = await PolicyEngine.load(bundle, init.engine);
  port.on("message", (req: WorkerRequest) => {
    void (async () => {
      try {
        const reports = req.kind === "file"
          ? [evaluateFile(req.file, engine, bundle.metadata, init.limits)]
          : evaluateCombined(req.files, engine, bundle.metadata, init.limits);
        // An evaluation error may leave the wasm heap half-written; start clean.
        if (reports.some((r) => r.findings.some((f) => f.ruleId === EVALUATION_ERROR_RULE))) await engine.reset();
        port.postMessage({ id: req.id, reports } satisfies WorkerReply);
      } catch (e) {
        port.postMessage({ id: req.id, error: (e as Error).message ?? String(e) } satisfies WorkerReply);
      }
    })();
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ fatal: (e as Error).message ?? String(e) });
}
