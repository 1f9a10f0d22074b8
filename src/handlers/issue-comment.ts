import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/** `/gitops-gate …` commands in new comments on pull requests; edited comments do not count. */
export function onIssueComment(app: Probot, submit: SubmitJob): void {
  app.on("issue_comment.created", async (context) => {
    const { issue, comment, repository } = context.payload;
    if (!issue.pull_request || !comment.body.trimStart().startsWith("/gitops-gate")) return;
    const request = {
      pull: issue.number, commenter: comment.user?.login ?? "ghost", commenterType: comment.user?.type ?? "User", body: comment.body, defaultBranch: repository.default_branch,
    };
    await submit({ ...jobBase(context), kind: "command", commentId: comment.id, request }, context);
  });
}
