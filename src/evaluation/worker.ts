// Worker thread body for WorkerPool: holds the policy engines of the policy sets it was
// sent (by id, most recently used kept) and, when renders are wanted, one warm rendering
// engine, so that a runaway evaluation or render is stopped by terminating the thread
// (neither opa-wasm nor the Go runtime can be interrupted from inside).
import { parentPort, workerData } from "node:worker_threads";
import type { HydrateEngine } from "../hydrate/engine.js";
import { readBundle } from "../policy/bundle.js";
import { setProtoFiles } from "../manifests/conftest-wasm/index.js";
import { PolicyEngine } from "../policy/engine.js";
import { evaluateCombined, evaluateFile } from "./evaluate-file.js";
import type { PolicyRef, WorkerInit, WorkerReply, WorkerRequest } from "./protocol.js";
import { renderAndEvaluate } from "./render-evaluate.js";
import { EVALUATION_ERROR_RULE, type FileReport } from "./report.js";

/** Policy sets one worker keeps loaded (each is a wasm instance per bundle). */
const MAX_POLICY_SETS = 16;

const init = workerData as WorkerInit;
const port = parentPort;
if (!port) throw new Error("start evaluation worker: not running in a worker thread");

// textproto messages (conftest's --proto-file-dirs) are read with these .proto files.
setProtoFiles(init.protoFiles ?? []);
const sets = new Map<string, PolicyEngine[]>();
let hydrate: Promise<HydrateEngine> | undefined;

async function engines(ref: PolicyRef | undefined): Promise<PolicyEngine[]> {
  if (!ref) return [];
  const held = sets.get(ref.id);
  if (held) {
    sets.delete(ref.id);
    sets.set(ref.id, held);
    return held;
  }
  if (!ref.bundles) throw new Error(`evaluate: policy set ${ref.id} is not loaded in this worker`);
  const loaded = await Promise.all(ref.bundles.map((b, i) => PolicyEngine.load(readBundle(b.bytes, `#${i + 1}`), b.engine)));
  sets.set(ref.id, loaded);
  while (sets.size > MAX_POLICY_SETS) sets.delete(sets.keys().next().value as string);
  return loaded;
}

async function renderer(module: unknown): Promise<HydrateEngine> {
  const compiled = module ?? init.hydrate;
  if (!compiled) throw new Error("render: this worker pool was started without the rendering engine");
  hydrate ??= import("../hydrate/engine.js").then(({ HydrateEngine }) => HydrateEngine.load(compiled as Parameters<typeof HydrateEngine.load>[0]));
  return hydrate;
}

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  const policies = await engines(req.policy);
  let reports: FileReport[];
  let render;
  if (req.kind === "file") reports = [evaluateFile(req.file, policies, init.limits)];
  else if (req.kind === "combined") reports = evaluateCombined(req.files, policies, init.limits, req.dir);
  else {
    const out = renderAndEvaluate(req.target, req.files, await renderer(req.hydrate), policies, { objects: req.objects });
    reports = [out.report];
    render = out.render;
  }
  // An evaluation error may leave a wasm heap half-written; start clean.
  if (reports.some((r) => r.findings.some((f) => f.ruleId === EVALUATION_ERROR_RULE))) await Promise.all(policies.map((e) => e.reset()));
  return { id: req.id, reports, ...(render ? { render } : {}) };
}

port.on("message", (req: WorkerRequest) => {
  void handle(req).then(
    (reply) => port.postMessage(reply),
    (e: unknown) => port.postMessage({ id: req.id, error: (e as Error).message ?? String(e) } satisfies WorkerReply),
  );
});
port.postMessage({ ready: true });
