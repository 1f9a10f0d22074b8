// The engine on a worker thread, the way the check pipeline's workers will own one:
// compiled once on the main thread, the module handed to each worker, renders by
// message, and a render that runs too long stopped by terminating the thread.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { HydrateEngine, RenderError, type RenderErrorData } from "../../src/hydrate/engine.js";
import type { RenderRequest, RenderResult } from "../../src/hydrate/types.js";
import { ROOT } from "../helpers/corpus.js";
import { corpusRepo, ensureWasm } from "./helpers.js";

const engineJs = join(ROOT, "dist", "hydrate", "engine.js");

type Reply = { id: number; result?: RenderResult; error?: RenderErrorData };

function start(module: unknown, warmUp = false): Promise<Worker> {
  const worker = new Worker(join(ROOT, "test", "hydrate", "fixtures", "render-worker.mjs"), { workerData: { module, engineUrl: pathToFileURL(engineJs).href, warmUp } });
  return new Promise((resolve, reject) => {
    worker.once("message", (m: { ready?: boolean }) => (m.ready ? resolve(worker) : reject(new Error("no ready message"))));
    worker.once("error", reject);
  });
}

function ask(worker: Worker, id: number, request: RenderRequest): Promise<Reply> {
  return new Promise((resolve) => {
    const on = (m: Reply): void => {
      if (m.id !== id) return;
      worker.off("message", on);
      resolve(m);
    };
    worker.on("message", on);
    worker.postMessage({ id, request });
  });
}

const describeBuilt = existsSync(engineJs) ? describe : describe.skip;

describeBuilt("on worker threads (dist/ built)", () => {
  let module: unknown;
  beforeAll(async () => {
    module = await HydrateEngine.compile(ensureWasm());
  });

  test("two workers share one compiled module, render by message, and errors cross as data", async () => {
    const [a, b] = await Promise.all([start(module, true), start(module)]);
    try {
      const files = corpusRepo("stefanprodan__podinfo");
      const [chart, overlay] = await Promise.all([
        ask(a, 1, { kind: "helm", root: "charts/podinfo", files }),
        ask(b, 2, { kind: "kustomize", root: "deploy/overlays/staging", files }),
      ]);
      expect(chart.result?.objects.length).toBe(5);
      expect(overlay.result?.objects.length).toBe(25);
      const failed = await ask(a, 3, { kind: "kustomize", root: "nowhere", files: {} });
      const e = RenderError.fromData(failed.error as RenderErrorData);
      expect(e.message).toBe("render nowhere: nowhere/kustomization.yaml:1: nowhere has no kustomization.yaml, kustomization.yml or Kustomization");
      expect(e.errors[0]?.code).toBe("missing-file");
    } finally {
      await Promise.all([a.terminate(), b.terminate()]);
    }
  });

  test("a render that runs past its time is stopped by terminating the worker", async () => {
    const worker = await start(module);
    const spin = {
      "app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
      // 10^10 iterations over two small lists: no memory to run out of, just time.
      "app/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n{{- $l := until 100000 }}{{- range $l }}{{ range $l }}{{ end }}{{ end }}\n",
    };
    const started = Date.now();
    const exited = new Promise<number>((resolve) => worker.once("exit", resolve));
    let replied = false;
    void ask(worker, 1, { kind: "helm", root: "app", files: spin }).then(() => (replied = true));
    await new Promise((r) => setTimeout(r, 1500));
    expect(replied).toBe(false);
    await worker.terminate();
    await exited;
    expect(replied).toBe(false);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
