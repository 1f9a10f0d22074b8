import type { Probot } from "probot";
import { pullRequestTarget } from "../jobs/job.js";
import { jobBase, type SubmitJob } from "./submit.js";

/** pull_request: evaluate on every event that can change what the check should say. */
export function onPullRequest(app: Probot, submit: SubmitJob): void {
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"], async (context) => {
    await submit({ ...jobBase(context), kind: "evaluate", target: pullRequestTarget(context.payload.pull_request) }, context);
  });
  // An edit matters only when it moved the base branch: the config and the diff change.
  app.on("pull_request.edited", async (context) => {
    if (!context.payload.changes.base) return;
    await submit({ ...jobBase(context), kind: "evaluate", target: pullRequestTarget(context.payload.pull_request) }, context);
  });
}
