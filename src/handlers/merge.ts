import type { Probot } from "probot";
import { octokitCommentStore, octokitReleaseStore, octokitRepoReader, type Octokit } from "../github/octokit.js";
import { recordMerge } from "../pipeline/record-merge.js";

/** pull_request.closed with merged: attach the release record to the merge commit. */
export function onMerge(app: Probot): void {
  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (!pr.merged || !pr.merge_commit_sha) return;
    const octokit = context.octokit as unknown as Octokit;
    const repo = context.repo();
    const log = context.log.child({ delivery: context.id, event: "pull_request.closed", repo: `${repo.owner}/${repo.repo}`, pr: pr.number, sha: pr.merge_commit_sha });
    const outcome = await recordMerge(
      {
        repo, number: pr.number, title: pr.title, body: pr.body ?? null, url: pr.html_url, author: pr.user?.login ?? "ghost",
        mergedBy: pr.merged_by?.login ?? pr.user?.login ?? "ghost", mergedAt: pr.merged_at ?? new Date().toISOString(),
        mergeSha: pr.merge_commit_sha, baseSha: pr.base.sha, headSha: pr.head.sha, baseRef: pr.base.ref,
        defaultBranch: context.payload.repository.default_branch, labels: (pr.labels ?? []).map((l) => l.name), commits: pr.commits ?? 1,
      },
      { reader: octokitRepoReader(octokit, repo), releases: octokitReleaseStore(octokit, repo), comments: octokitCommentStore(octokit, repo, pr.number) },
    );
    log.info({ outcome }, "delivery handled");
  });
}
