// The App's parts, put together once: handlers that turn events into jobs, the queue's
// workers that carry jobs out, and the policies and worker threads every evaluation shares.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { Probot } from "probot";
import { WorkerPool } from "./evaluation/worker-pool.js";
import type { Octokit } from "./github/octokit.js";
import { onCheckRun } from "./handlers/check-run.js";
import { onCheckSuite } from "./handlers/check-suite.js";
import { onIssueComment } from "./handlers/issue-comment.js";
import { onMergeGroup } from "./handlers/merge-group.js";
import { onPullRequestReview } from "./handlers/pull-request-review.js";
import { onPullRequestClosed } from "./handlers/pull-request-closed.js";
import { onPullRequest } from "./handlers/pull-request.js";
import { onPush } from "./handlers/push.js";
import type { SubmitJob } from "./handlers/submit.js";
import { HydrateEngine } from "./hydrate/engine.js";
import { identityOf } from "./jobs/identity.js";
import type { Job } from "./jobs/job.js";
import { runJob } from "./jobs/run-job.js";
import type { Logger } from "./log.js";
import { builtinBundlePath, packageVersion } from "./paths.js";
import { BlobCache } from "./pipeline/blob-cache.js";
import { RenderCache } from "./pipeline/evaluate-change.js";
import type { PolicyDeps } from "./pipeline/evaluate-pull-request.js";
import { findOpa, pinnedOpaVersion } from "./policy/build/opa.js";
import { readBundle } from "./policy/bundle.js";
import { PolicyCompiler } from "./policy/compiler.js";
import type { JobHandler, JobQueue } from "./queue/types.js";

/** The policies, caches and worker threads every evaluation shares, built once. */
export function policyDeps(options: { checkRunStartMs?: number } = {}): PolicyDeps & { closePool(): Promise<void> } {
  const bytes = readFileSync(builtinBundlePath());
  const bundle = readBundle(bytes, "built-in");
  // Worker threads for the App's lifetime, each with a warm rendering engine, started on first use.
  let pool: Promise<WorkerPool> | undefined;
  return {
    builtin: { bytes, digest: bundle.digest, rules: Object.values(bundle.metadata.rules), namespaces: Object.keys(bundle.metadata.namespaces) },
    // Organisations' own Rego, compiled by the pinned OPA and cached (GITOPS_GATE_CACHE_DIR).
    library: { compiler: new PolicyCompiler(findOpa), opa: findOpa, opaVersion: pinnedOpaVersion(), data: new Map<string, Record<string, unknown>>() },
    toolVersion: packageVersion(),
    // The rendering engine is compiled on the first render, not with the pool.
    pool: () => (pool ??= WorkerPool.start({ workers: Math.max(1, availableParallelism()), hydrate: () => HydrateEngine.compile() })),
    blobs: new BlobCache(),
    renders: new RenderCache(),
    ...(options.checkRunStartMs !== undefined ? { checkRunStartMs: options.checkRunStartMs } : {}),
    closePool: async () => {
      if (pool) await (await pool).close();
    },
  };
}

export function registerHandlers(probot: Probot, submit: SubmitJob): void {
  onPullRequest(probot, submit);
  onPullRequestClosed(probot, submit);
  onCheckRun(probot, submit);
  onCheckSuite(probot, submit);
  onMergeGroup(probot, submit);
  onIssueComment(probot, submit);
  onPullRequestReview(probot, submit);
  onPush(probot, submit);
}

/**
 * Records a job: a pull request's newest head is remembered first, so older evaluations
 * of it know they are superseded; then the queue adds the job unless it holds its id.
 */
export async function enqueue(queue: JobQueue, job: Job): Promise<"queued" | "duplicate"> {
  const identity = identityOf(job);
  if (identity.supersedeKey && job.kind === "evaluate" && job.event.startsWith("pull_request.")) await queue.setLatest(identity.supersedeKey, job.target.headSha);
  return queue.add(job, { id: identity.id, group: identity.group });
}

/** The queue's workers: each job runs with its installation's client. */
export function jobHandler(params: {
  auth: (installationId: number) => Promise<Octokit>;
  /** This App's id: only its own check runs are read back. */
  appId: () => Promise<number>;
  /** This App's bot login: its own pushes are not reported as unreviewed. */
  botLogin?: () => Promise<string>;
  queue: JobQueue;
  policy: PolicyDeps;
  log: Logger;
}): JobHandler {
  return async (job, context) => {
    const octokit = await params.auth(job.installationId);
    return runJob(job, { octokit, appId: params.appId, ...(params.botLogin ? { botLogin: params.botLogin } : {}), log: params.log, policy: params.policy, latest: (key) => params.queue.latest(key) }, context);
  };
}
