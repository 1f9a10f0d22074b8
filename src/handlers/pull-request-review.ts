import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/**
 * Reviews change whether a waiver the pull request adds is approved: evaluate again at the
 * current head when a review is submitted (a comment-only review approves nothing) or dismissed.
 */
export function onPullRequestReview(app: Probot, submit: SubmitJob): void {
  app.on(["pull_request_review.submitted", "pull_request_review.dismissed"], async (context) => {
    const { review, pull_request: pr } = context.payload;
    if (context.payload.action === "submitted" && review.state.toLowerCase() === "commented") return;
    await submit({ ...jobBase(context), kind: "evaluate-pull", pull: pr.number }, context);
  });
}
