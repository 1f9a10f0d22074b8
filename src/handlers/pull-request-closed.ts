import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/** pull_request.closed with merged: attach the release record to the merge commit. */
export function onPullRequestClosed(app: Probot, submit: SubmitJob): void {
  app.on("pull_request.closed", async (context) => {
    const pr = context.payload.pull_request;
    if (!pr.merged || !pr.merge_commit_sha) return;
    const merged = {
      number: pr.number, title: pr.title, body: pr.body ?? null, url: pr.html_url, author: pr.user?.login ?? "ghost",
      mergedBy: pr.merged_by?.login ?? pr.user?.login ?? "ghost", mergedAt: pr.merged_at ?? new Date().toISOString(),
      mergeSha: pr.merge_commit_sha, baseSha: pr.base.sha, headSha: pr.head.sha, baseRef: pr.base.ref,
      defaultBranch: context.payload.repository.default_branch, labels: (pr.labels ?? []).map((l) => l.name), commits: pr.commits ?? 1,
    };
    await submit({ ...jobBase(context), kind: "record-merge", merged }, context);
  });
}
