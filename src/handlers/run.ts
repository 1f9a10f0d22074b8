import type { Context } from "probot";
import { octokitCheckPublisher, octokitCommentStore, octokitRepoReader, type Octokit } from "../github/octokit.js";
import { evaluatePullRequest, type PipelineDeps } from "../pipeline/evaluate-pull-request.js";

/** What every handler shares, built once when the App starts. */
export type AppDeps = Pick<PipelineDeps, "bundle" | "toolVersion">;

export interface PullRequestFacts {
  /** Undefined for a merge group. */
  readonly number: number | undefined;
  readonly baseSha?: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly changedFiles: number;
  readonly draft: boolean;
}

/** Wires GitHub implementations into the pipeline and logs one line per delivery. */
export async function runEvaluation(context: Context, pr: PullRequestFacts, deps: AppDeps): Promise<void> {
  const octokit = context.octokit as unknown as Octokit;
  const repo = context.repo();
  const log = context.log.child({ delivery: context.id, event: context.name, repo: `${repo.owner}/${repo.repo}`, pr: pr.number, sha: pr.headSha });
  const started = Date.now();
  const outcome = await evaluatePullRequest(
    {
      repo, pull: pr.number, headSha: pr.headSha, baseRef: pr.baseRef, changedFiles: pr.changedFiles, draft: pr.draft, runKey: context.id,
      ...(pr.baseSha ? { baseSha: pr.baseSha } : {}),
    },
    {
      ...deps,
      reader: octokitRepoReader(octokit, repo),
      checks: octokitCheckPublisher(octokit, repo),
      comments: octokitCommentStore(octokit, repo, pr.number ?? 0),
      log,
    },
  );
  log.info({ outcome, ms: Date.now() - started }, "delivery handled");
}

/** The facts the pipeline needs, from a pull request object of any payload or API answer. */
export function factsOf(pr: {
  number: number;
  head: { sha: string };
  base: { ref: string; sha?: string };
  changed_files?: number;
  draft?: boolean;
}): PullRequestFacts {
  return {
    number: pr.number, headSha: pr.head.sha, baseRef: pr.base.ref, changedFiles: pr.changed_files ?? 0, draft: pr.draft ?? false,
    ...(pr.base.sha ? { baseSha: pr.base.sha } : {}),
  };
}
