// The policy dependencies of the pipeline for tests: the built-in bundle, and a compiler
// with a cache folder of its own per test file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOpa, pinnedOpaVersion } from "../../src/policy/build/opa.js";
import { PolicyCompiler } from "../../src/policy/compiler.js";
import { WorkerPool } from "../../src/evaluation/worker-pool.js";
import { HydrateEngine } from "../../src/hydrate/engine.js";
import { BlobCache } from "../../src/pipeline/blob-cache.js";
import { RenderCache } from "../../src/pipeline/evaluate-change.js";
import type { PolicyDeps } from "../../src/pipeline/evaluate-pull-request.js";
import { builtinBundle } from "./bundles.js";

/** The policy dependencies; `close()` stops the worker pool when one was started. */
export function policyDeps(options: { cacheDir?: string } = {}): PolicyDeps & { compiler: PolicyCompiler; close(): Promise<void> } {
  const { bundle, bytes } = builtinBundle();
  const compiler = new PolicyCompiler(findOpa, options.cacheDir ?? mkdtempSync(join(tmpdir(), "gitops-gate-cache-")));
  let pool: Promise<WorkerPool> | undefined;
  return {
    compiler,
    pool: () => (pool ??= HydrateEngine.compile().then((hydrate) => WorkerPool.start({ workers: 1, hydrate }))),
    close: async () => {
      if (pool) await (await pool).close();
    },
    blobs: new BlobCache(),
    renders: new RenderCache(),
    builtin: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules), namespaces: Object.keys(bundle.metadata.namespaces) },
    library: { compiler, opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map() },
    toolVersion: "test",
  };
}
