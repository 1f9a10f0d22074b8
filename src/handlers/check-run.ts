import type { Context, Probot } from "probot";
import { CHECK_NAME, type Octokit } from "../github/octokit.js";
import { factsOf, runEvaluation, type AppDeps } from "./run.js";

async function rerun(context: Context, pulls: ReadonlyArray<{ number: number }>, deps: AppDeps): Promise<void> {
  const octokit = context.octokit as unknown as Octokit;
  for (const { number } of pulls) {
    // The payload's pull request stub lacks draft and file counts; ask for the whole one.
    const { data } = await octokit.rest.pulls.get({ ...context.repo(), pull_number: number });
    await runEvaluation(context, factsOf(data), deps);
  }
}

/** "Re-run" in the checks UI, and check suites GitHub asks us to (re)run. */
export function onCheckRequests(app: Probot, deps: AppDeps): void {
  app.on("check_run.rerequested", async (context) => {
    // Re-run requests for other apps' check runs reach us too when we share a suite.
    if (context.payload.check_run.name !== CHECK_NAME) return;
    await rerun(context, context.payload.check_run.pull_requests, deps);
  });
  app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
    await rerun(context, context.payload.check_suite.pull_requests, deps);
  });
}
