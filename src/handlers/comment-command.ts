import type { Probot } from "probot";
import { octokitCommentStore, octokitReleaseStore, octokitRepoReader, octokitRevertWriter, type Octokit } from "../github/octokit.js";
import { handleRollbackCommand } from "../pipeline/rollback.js";

/** `/gitops-gate …` commands in new comments on pull requests; edited comments do not count. */
export function onCommentCommand(app: Probot): void {
  app.on("issue_comment.created", async (context) => {
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request || !comment.body.trimStart().startsWith("/gitops-gate")) return;
    const octokit = context.octokit as unknown as Octokit;
    const repo = context.repo();
    const outcome = await handleRollbackCommand(
      { repo, pull: issue.number, commenter: comment.user?.login ?? "ghost", commenterType: comment.user?.type ?? "User", body: comment.body, defaultBranch: repository.default_branch },
      {
        reader: octokitRepoReader(octokit, repo),
        releases: octokitReleaseStore(octokit, repo),
        writer: octokitRevertWriter(octokit, repo),
        replies: octokitCommentStore(octokit, repo, issue.number),
        pullState: async (pull) => {
          const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pull });
          return { merged: data.merged, mergeSha: data.merge_commit_sha, title: data.title, url: data.html_url };
        },
      },
    );
    context.log.child({ delivery: context.id, event: "issue_comment.created", repo: `${repo.owner}/${repo.repo}`, pr: issue.number }).info({ outcome }, "delivery handled");
  });
}
