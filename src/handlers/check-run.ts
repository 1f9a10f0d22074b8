import type { Probot } from "probot";
import { CHECK_NAME } from "../github/octokit.js";
import { jobBase, type SubmitJob } from "./submit.js";

/** "Re-run" in the checks UI: evaluate the pull request again at its current head. */
export function onCheckRun(app: Probot, submit: SubmitJob): void {
  app.on("check_run.rerequested", async (context) => {
    // Re-run requests for other apps' check runs reach us too when we share a suite.
    if (context.payload.check_run.name !== CHECK_NAME) return;
    for (const { number } of context.payload.check_run.pull_requests) {
      await submit({ ...jobBase(context), kind: "evaluate-pull", pull: number, rerun: true }, context);
    }
  });
}
