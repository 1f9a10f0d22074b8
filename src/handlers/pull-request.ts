import type { Probot } from "probot";
import { factsOf, runEvaluation, type AppDeps } from "./run.js";

/** pull_request: evaluate on every event that can change what the check should say. */
export function onPullRequest(app: Probot, deps: AppDeps): void {
  app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened", "pull_request.ready_for_review"], async (context) => {
    await runEvaluation(context, factsOf(context.payload.pull_request), deps);
  });
  // An edit matters only when it moved the base branch: the config and the diff change.
  app.on("pull_request.edited", async (context) => {
    if (!context.payload.changes.base) return;
    await runEvaluation(context, factsOf(context.payload.pull_request), deps);
  });
}
