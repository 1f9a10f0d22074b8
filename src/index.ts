// Probot entry point: builds what every delivery shares, once, and registers the
// handlers. Logic lives in handlers/, jobs/ and pipeline/; keep it out of here.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { WorkerPool } from "./evaluation/worker-pool.js";
import { HydrateEngine } from "./hydrate/engine.js";
import { BlobCache } from "./pipeline/blob-cache.js";
import { RenderCache } from "./pipeline/evaluate-change.js";
import type { ApplicationFunction } from "probot";
import type { Octokit } from "./github/octokit.js";
import { onCheckRun } from "./handlers/check-run.js";
import { onCheckSuite } from "./handlers/check-suite.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onPullRequestClosed } from "./handlers/pull-request-closed.js";
import { onPullRequest } from "./handlers/pull-request.js";
import type { SubmitJob } from "./handlers/submit.js";
import { runJob } from "./jobs/run-job.js";
import { builtinBundlePath, packageVersion } from "./paths.js";
import { findOpa, pinnedOpaVersion } from "./policy/build/opa.js";
import { readBundle } from "./policy/bundle.js";
import { PolicyCompiler } from "./policy/compiler.js";

const app: ApplicationFunction = (probot) => {
  const bytes = readFileSync(builtinBundlePath());
  const bundle = readBundle(bytes, "built-in");
  // Worker threads for the App's lifetime, each with a warm rendering engine, started on first use.
  let pool: Promise<WorkerPool> | undefined;
  const policy = {
    pool: () => (pool ??= HydrateEngine.compile().then((hydrate) => WorkerPool.start({ workers: Math.max(1, availableParallelism()), hydrate }))),
    blobs: new BlobCache(),
    renders: new RenderCache(),
    builtin: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules), namespaces: Object.keys(bundle.metadata.namespaces) },
    // Organisations' own Rego, compiled by the pinned OPA and cached (GITOPS_GATE_CACHE_DIR).
    library: { compiler: new PolicyCompiler(findOpa), opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map<string, Record<string, unknown>>() },
    toolVersion: packageVersion(),
  };
  // Jobs run within the delivery that asked for them, with its installation's client.
  const submit: SubmitJob = async (job, context) => {
    await runJob(job, { octokit: context.octokit as unknown as Octokit, log: context.log, policy });
  };
  onPullRequest(probot, submit);
  onPullRequestClosed(probot, submit);
  onCheckRun(probot, submit);
  onCheckSuite(probot, submit);
  onMergeGroup(probot, submit);
  onIssueComment(probot, submit);
};

export default app;
