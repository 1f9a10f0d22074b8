// Worker thread body for WorkerPool: owns one PolicyEngine per bundle so that a runaway
// evaluation can be stopped by terminating the thread (opa-wasm's evaluate has no timeout).
import { parentPort, workerData } from "node:worker_threads";
import { readBundle } from "../policy/bundle.js";
import { PolicyEngine, type EngineOptions } from "../policy/engine.js";
import type { ParseLimits } from "../manifests/types.js";
import { evaluateCombined, evaluateFile, type FileToEvaluate } from "./evaluate-file.js";
import { EVALUATION_ERROR_RULE, type FileReport } from "./report.js";

interface Init {
  readonly bundles: ReadonlyArray<{ readonly bytes: Uint8Array; readonly engine: EngineOptions }>;
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
  const engines = await Promise.all(init.bundles.map((b, i) => PolicyEngine.load(readBundle(b.bytes, `#${i + 1}`), b.engine)));
  port.on("message", (req: WorkerRequest) => {
    void (async () => {
      try {
        const reports = req.kind === "file"
          ? [evaluateFile(req.file, engines, init.limits)]
          : evaluateCombined(req.files, engines, init.limits);
        // An evaluation error may leave a wasm heap half-written; start clean.
        if (reports.some((r) => r.findings.some((f) => f.ruleId === EVALUATION_ERROR_RULE))) await Promise.all(engines.map((e) => e.reset()));
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
