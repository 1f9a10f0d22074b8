// Carries out a job: wires the Octokit implementations of the GitHub seam into the
// pipeline it names, and writes one log line per job.
import { gitSourceReader } from "../github/source-reader.js";
import { octokitCheckPublisher, octokitCommentStore, octokitReleaseStore, octokitRepoReader, octokitRevertWriter, type Octokit } from "../github/octokit.js";
import type { Logger } from "../log.js";
import { evaluatePullRequest, type PolicyDeps } from "../pipeline/evaluate-pull-request.js";
import { recordMerge } from "../pipeline/record-merge.js";
import { handleRollbackCommand } from "../pipeline/rollback.js";
import { pullRequestTarget, type Job } from "./job.js";

export interface JobEnv {
  /** A client authenticated as the job's installation. */
  readonly octokit: Octokit;
  readonly log: Logger;
  readonly policy: PolicyDeps;
}

async function evaluate(job: Extract<Job, { kind: "evaluate" }>, env: JobEnv, log: Logger): Promise<string> {
  const { octokit } = env;
  const { repo } = job;
  const pull = job.target.pull ?? 0;
  return evaluatePullRequest(
    { ...job.target, repo, runKey: job.delivery },
    {
      ...env.policy,
      reader: octokitRepoReader(octokit, repo),
      sources: gitSourceReader(octokit),
      checks: octokitCheckPublisher(octokit, repo),
      comments: octokitCommentStore(octokit, repo, pull),
      log,
    },
  );
}

async function run(job: Job, env: JobEnv, log: Logger): Promise<string> {
  const { octokit } = env;
  const { repo } = job;
  switch (job.kind) {
    case "evaluate":
      return evaluate(job, env, log);
    case "evaluate-pull": {
      // Check-run and check-suite payloads carry a stub of the pull request; ask for the whole one.
      const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: job.pull });
      return evaluate({ ...job, kind: "evaluate", target: pullRequestTarget(data) }, env, log);
    }
    case "record-merge":
      return recordMerge(
        { ...job.merged, repo },
        {
          reader: octokitRepoReader(octokit, repo),
          releases: octokitReleaseStore(octokit, repo),
          comments: octokitCommentStore(octokit, repo, job.merged.number),
          pool: env.policy.pool,
          blobs: env.policy.blobs,
          log,
        },
      );
    case "command":
      return handleRollbackCommand(
        { ...job.request, repo },
        {
          reader: octokitRepoReader(octokit, repo),
          releases: octokitReleaseStore(octokit, repo),
          writer: octokitRevertWriter(octokit, repo),
          replies: octokitCommentStore(octokit, repo, job.request.pull),
          pullState: async (pull) => {
            const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pull });
            return { merged: data.merged, mergeSha: data.merge_commit_sha, title: data.title, url: data.html_url };
          },
          log,
        },
      );
  }
}

function pullOf(job: Job): number | undefined {
  switch (job.kind) {
    case "evaluate":
      return job.target.pull;
    case "evaluate-pull":
      return job.pull;
    case "record-merge":
      return job.merged.number;
    case "command":
      return job.request.pull;
  }
}

function shaOf(job: Job): string | undefined {
  return job.kind === "evaluate" ? job.target.headSha : job.kind === "record-merge" ? job.merged.mergeSha : undefined;
}

/** Runs the job and logs one line: delivery, event, repo, pull request, commit, outcome, duration. */
export async function runJob(job: Job, env: JobEnv): Promise<string> {
  const log = env.log.child({ delivery: job.delivery, event: job.event, repo: `${job.repo.owner}/${job.repo.repo}`, pr: pullOf(job), sha: shaOf(job) });
  const started = Date.now();
  const outcome = await run(job, env, log);
  log.info({ outcome, ms: Date.now() - started }, "delivery handled");
  return outcome;
}
