// Carries out a job: wires the Octokit implementations of the GitHub seam into the
// pipeline it names, with what earlier attempts of the job recorded, and writes one log
// line per attempt.
import { gitSourceReader } from "../github/source-reader.js";
import { graphqlReader, octokitCheckPublisher, octokitCommentStore, octokitReleaseStore, octokitRepoReader, octokitRevertWriter, type Octokit } from "../github/octokit.js";
import type { Logger } from "../log.js";
import { evaluatePullRequest, type PolicyDeps } from "../pipeline/evaluate-pull-request.js";
import { recordMerge } from "../pipeline/record-merge.js";
import { handleRollbackCommand } from "../pipeline/rollback.js";
import type { JobContext } from "../queue/types.js";
import { identityOf } from "./identity.js";
import { pullRequestTarget, type Job } from "./job.js";
import { pullRequestEnforcement, runBaseline, runPush } from "./run-audit.js";
import { auditRollback } from "../pipeline/audit.js";

export interface JobEnv {
  /** A client authenticated as the job's installation. */
  readonly octokit: Octokit;
  /** This App's id: only its own check runs are read back (verdicts, release records). */
  readonly appId: () => Promise<number>;
  readonly log: Logger;
  readonly policy: PolicyDeps;
  /** The newest head the queue has seen for a pull request (`owner/repo#n`). */
  readonly latest: (key: string) => Promise<string | undefined>;
  /** This App's bot login (`<slug>[bot]`): its own pushes are not reported as unreviewed. */
  readonly botLogin?: () => Promise<string>;
}

async function evaluate(job: Job, target: Extract<Job, { kind: "evaluate" }>["target"], env: JobEnv, log: Logger, context: JobContext): Promise<string> {
  const { octokit } = env;
  const appId = await env.appId();
  const { repo } = job;
  const identity = identityOf(job);
  const head = target.headSha;
  // One GraphQL reader for the job: the reader's, the checks' and the comments' first
  // questions go out as one query.
  const gql = graphqlReader(octokit);
  return evaluatePullRequest(
    { ...target, repo, runKey: identity.id },
    {
      ...env.policy,
      reader: octokitRepoReader(octokit, repo, appId, gql),
      sources: gitSourceReader(octokit),
      checks: octokitCheckPublisher(octokit, repo, appId, { gql }),
      comments: octokitCommentStore(octokit, repo, target.pull ?? 0, gql),
      enforcement: pullRequestEnforcement(octokit, repo, appId, log),
      log,
    },
    {
      ...(typeof context.state["checkRunId"] === "number" ? { checkRunId: context.state["checkRunId"] } : {}),
      final: context.final,
      saveCheckRun: (id) => context.saveState({ checkRunId: id }),
      supersededBy: async () => {
        if (!identity.supersedeKey) return undefined;
        const latest = await env.latest(identity.supersedeKey);
        return latest && latest !== head ? latest : undefined;
      },
    },
  );
}

async function run(job: Job, env: JobEnv, log: Logger, context: JobContext): Promise<string> {
  const { octokit } = env;
  const appId = await env.appId();
  const { repo } = job;
  switch (job.kind) {
    case "evaluate":
      return evaluate(job, job.target, env, log, context);
    case "evaluate-pull": {
      // Check-run and check-suite payloads carry a stub of the pull request; ask for the whole
      // one. The job keeps its own identity: a Re-run gets a run of its own.
      const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: job.pull });
      const target = pullRequestTarget(data);
      return evaluate(job, { ...target, headSha: job.headSha ?? target.headSha }, env, log, context);
    }
    case "record-merge":
      return recordMerge(
        { ...job.merged, repo },
        {
          reader: octokitRepoReader(octokit, repo, appId),
          releases: octokitReleaseStore(octokit, repo, appId),
          comments: octokitCommentStore(octokit, repo, job.merged.number),
          pool: env.policy.pool,
          blobs: env.policy.blobs,
          log,
        },
      );
    case "push": {
      // When GitHub cannot say the App's slug, its own pushes are not told apart by sender; they
      // go to revert branches, which are never release branches, so none is reported anyway.
      const botLogin = await env.botLogin?.().catch((e: unknown) => {
        log.warn({ err: e }, "this App's bot login is unknown");
        return undefined;
      });
      return runPush(job, { octokit, appId, botLogin, policy: env.policy, log });
    }
    case "baseline":
      return runBaseline(job, { octokit, appId, botLogin: undefined, policy: env.policy, log, final: context.final });
    case "command": {
      // The merge commit the command is about, for the audit line (known once the pull request is read).
      let mergeSha: string | null = null;
      const outcome = await handleRollbackCommand(
        { ...job.request, repo },
        {
          reader: octokitRepoReader(octokit, repo, appId),
          releases: octokitReleaseStore(octokit, repo, appId),
          writer: octokitRevertWriter(octokit, repo),
          replies: octokitCommentStore(octokit, repo, job.request.pull),
          pullState: async (pull) => {
            const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pull });
            if (data.merged) mergeSha = data.merge_commit_sha;
            return { merged: data.merged, mergeSha: data.merge_commit_sha, title: data.title, url: data.html_url };
          },
          log,
        },
      );
      auditRollback(log, { repo: `${repo.owner}/${repo.repo}`, pull: job.request.pull, actor: job.request.commenter, outcome, commit: mergeSha });
      return outcome;
    }
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
    case "push":
    case "baseline":
      return undefined;
  }
}

function shaOf(job: Job): string | undefined {
  switch (job.kind) {
    case "evaluate":
      return job.target.headSha;
    case "record-merge":
      return job.merged.mergeSha;
    case "evaluate-pull":
      return job.headSha;
    case "push":
      return job.push.after;
    case "baseline":
      return job.baseline.headSha;
    case "command":
      return undefined;
  }
}

/** Runs one attempt of the job and logs one line: delivery, event, repo, pull request, commit, outcome, duration. */
export async function runJob(job: Job, env: JobEnv, context: JobContext): Promise<string> {
  const log = env.log.child({ delivery: job.delivery, event: job.event, repo: `${job.repo.owner}/${job.repo.repo}`, pr: pullOf(job), sha: shaOf(job), attempt: context.attempt });
  const started = Date.now();
  try {
    const outcome = await run(job, env, log, context);
    log.info({ outcome, ms: Date.now() - started }, "delivery handled");
    return outcome;
  } catch (e) {
    log.warn({ err: e, ms: Date.now() - started, final: context.final }, "job attempt failed");
    throw e;
  }
}
