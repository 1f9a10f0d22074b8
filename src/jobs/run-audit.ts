// The audit jobs (issue 15) wired to GitHub: unreviewed pushes, baselines, and the
// enforcement note every check summary carries while the gate is not enforced.
import { octokitIssueStore, octokitNamedChecks, octokitPushReader, octokitRulesReader } from "../github/audit.js";
import { octokitCheckPublisher, octokitRepoReader, type Octokit } from "../github/octokit.js";
import { gitSourceReader } from "../github/source-reader.js";
import type { RepoRef } from "../github/types.js";
import type { Logger } from "../log.js";
import { publishBaseline, type BaselineOutcome } from "../pipeline/baseline.js";
import { enforcementNote, ENFORCEMENT_TTL_MS, releaseBranches } from "../pipeline/enforcement.js";
import type { PolicyDeps } from "../pipeline/evaluate-pull-request.js";
import { BASELINE_CHECK_NAME, UNREVIEWED_CHECK_NAME } from "../pipeline/names.js";
import { reportUnreviewed, type UnreviewedOutcome } from "../pipeline/unreviewed.js";
import type { BaselineJob, PushJob } from "./job.js";

export interface AuditEnv {
  readonly octokit: Octokit;
  readonly appId: number;
  /** This App's bot login; undefined when GitHub could not say it. */
  readonly botLogin: string | undefined;
  readonly policy: PolicyDeps;
  readonly log: Logger;
}

/** The note for `branches` of `repo`, as a function the pipelines call with their config's branches. */
export function enforcementFor(octokit: Octokit, repo: RepoRef, appId: number, log: Pick<Logger, "info" | "warn">) {
  return (branches: readonly string[], requireUpToDate: boolean) =>
    enforcementNote({ repo, branches, requireUpToDate }, { rules: octokitRulesReader(octokit, repo), issues: octokitIssueStore(octokit, repo), appId, log });
}

const defaultBranches = new Map<string, { at: number; branch: string }>();

/** The repository's default branch, kept as long as an enforcement answer. */
async function defaultBranchOf(octokit: Octokit, repo: RepoRef): Promise<string> {
  const key = `${repo.owner}/${repo.repo}`;
  const hit = defaultBranches.get(key);
  if (hit && Date.now() - hit.at < ENFORCEMENT_TTL_MS) return hit.branch;
  const { data } = await octokit.rest.repos.get({ ...repo });
  defaultBranches.set(key, { at: Date.now(), branch: data.default_branch });
  return data.default_branch;
}

/** For a pull request's check: the note on the repository's release branches (the config's, else the default branch). */
export function pullRequestEnforcement(octokit: Octokit, repo: RepoRef, appId: number, log: Pick<Logger, "info" | "warn">) {
  const note = enforcementFor(octokit, repo, appId, log);
  return async (config: { release: { branches: readonly string[] }; enforcement: { require_up_to_date: boolean } }): Promise<string | undefined> => {
    try {
      const branches = config.release.branches.length ? config.release.branches : releaseBranches(config, await defaultBranchOf(octokit, repo));
      return await note(branches, config.enforcement.require_up_to_date);
    } catch (e) {
      log.warn({ err: e }, "enforcement: the default branch could not be read; no note");
      return undefined;
    }
  };
}

export function runPush(job: PushJob, env: AuditEnv): Promise<UnreviewedOutcome> {
  const { octokit, repo } = { octokit: env.octokit, repo: job.repo };
  return reportUnreviewed(
    { ...job.push, repo },
    {
      reader: octokitRepoReader(octokit, repo, env.appId),
      pulls: octokitPushReader(octokit, repo),
      checks: octokitNamedChecks(octokit, repo, env.appId, UNREVIEWED_CHECK_NAME),
      issues: octokitIssueStore(octokit, repo),
      botLogin: env.botLogin,
      policyDigest: env.policy.builtin.digest,
      enforcement: enforcementFor(octokit, repo, env.appId, env.log),
      pool: env.policy.pool,
      blobs: env.policy.blobs,
      log: env.log,
    },
  );
}

export function runBaseline(job: BaselineJob, env: AuditEnv & { final: boolean }): Promise<BaselineOutcome> {
  const { octokit, repo } = { octokit: env.octokit, repo: job.repo };
  return publishBaseline(
    { ...job.baseline, repo },
    {
      ...env.policy,
      reader: octokitRepoReader(octokit, repo, env.appId),
      sources: gitSourceReader(octokit),
      checks: octokitCheckPublisher(octokit, repo, env.appId, { name: BASELINE_CHECK_NAME }),
      history: octokitNamedChecks(octokit, repo, env.appId, BASELINE_CHECK_NAME),
      enforcement: enforcementFor(octokit, repo, env.appId, env.log),
      log: env.log,
      final: env.final,
    },
  );
}
