// The policy dependencies of the pipeline for tests: the built-in bundle, and a compiler
// with a cache folder of its own per test file.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findOpa, pinnedOpaVersion } from "../../src/policy/build/opa.js";
import { PolicyCompiler } from "../../src/policy/compiler.js";
import type { PolicyDeps } from "../../src/pipeline/evaluate-pull-request.js";
import { builtinBundle } from "./bundles.js";

export function policyDeps(options: { cacheDir?: string } = {}): PolicyDeps & { compiler: PolicyCompiler } {
  const { bundle, bytes } = builtinBundle();
  const compiler = new PolicyCompiler(findOpa, options.cacheDir ?? mkdtempSync(join(tmpdir(), "gitops-gate-cache-")));
  return {
    compiler,
    builtin: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules), namespaces: Object.keys(bundle.metadata.namespaces) },
    library: { compiler, opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map() },
    toolVersion: "test",
  };
}
