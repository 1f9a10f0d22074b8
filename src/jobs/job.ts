// A job is one unit of work a webhook asks for, as plain data: handlers turn events into
// jobs, and run-job.ts carries them out with an installation's GitHub client. Jobs hold
// everything needed to run them later, so they can be queued and retried.
import type { RepoRef } from "../github/types.js";
import type { PullRequestTarget } from "../pipeline/evaluate-pull-request.js";
import type { MergedPullRequest } from "../pipeline/record-merge.js";
import type { RollbackRequest } from "../pipeline/rollback.js";
import type { PushEvent } from "../pipeline/unreviewed.js";
import type { BaselineRequest } from "../pipeline/baseline.js";

interface JobBase {
  /** The webhook delivery that asked for the job (X-GitHub-Delivery). */
  readonly delivery: string;
  /** `event.action`, for logs. */
  readonly event: string;
  readonly installationId: number;
  readonly repo: RepoRef;
}

/** Evaluate one head commit (a pull request's, or a merge group's). */
export interface EvaluateJob extends JobBase {
  readonly kind: "evaluate";
  readonly target: Omit<PullRequestTarget, "repo" | "runKey">;
}

/** Evaluate a pull request at a head (requested check suites), or at its current head (Re-run). */
export interface EvaluatePullJob extends JobBase {
  readonly kind: "evaluate-pull";
  readonly pull: number;
  /** The head to evaluate; undefined: the pull request's current head. */
  readonly headSha?: string;
  /** An explicit Re-run: a new check run even when one exists for the head. */
  readonly rerun?: boolean;
}

/** Attach the release record to a merge commit. */
export interface RecordMergeJob extends JobBase {
  readonly kind: "record-merge";
  readonly merged: Omit<MergedPullRequest, "repo">;
}

/** A `/gitops-gate …` comment on a pull request. */
export interface CommandJob extends JobBase {
  readonly kind: "command";
  readonly commentId: number;
  readonly request: Omit<RollbackRequest, "repo">;
}

/** A push to a branch: reported when it reached a release branch without a pull request. */
export interface PushJob extends JobBase {
  readonly kind: "push";
  readonly push: Omit<PushEvent, "repo">;
}

/** Evaluate the whole default branch (its policies or config changed, or the daily schedule). */
export interface BaselineJob extends JobBase {
  readonly kind: "baseline";
  readonly baseline: Omit<BaselineRequest, "repo">;
}

export type Job = EvaluateJob | EvaluatePullJob | RecordMergeJob | CommandJob | PushJob | BaselineJob;

/** The facts an evaluation needs, from a pull request object of any payload or API answer. */
export function pullRequestTarget(pr: {
  number: number;
  head: { sha: string };
  base: { ref: string; sha?: string };
  changed_files?: number;
  draft?: boolean;
  user?: { login: string } | null;
}): EvaluateJob["target"] {
  return {
    pull: pr.number, headSha: pr.head.sha, baseRef: pr.base.ref, changedFiles: pr.changed_files ?? 0, draft: pr.draft ?? false,
    ...(pr.base.sha ? { baseSha: pr.base.sha } : {}),
    ...(pr.user?.login ? { author: pr.user.login } : {}),
  };
}
