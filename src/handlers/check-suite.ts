import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/** Check suites GitHub asks us to (re)run: evaluate each of their pull requests. */
export function onCheckSuite(app: Probot, submit: SubmitJob): void {
  app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
    const suite = context.payload.check_suite;
    // A rerequested suite is a Re-run; a requested one is the same push a pull_request
    // event reports, and shares its job (one run per head).
    const rerun = context.payload.action === "rerequested";
    for (const { number } of suite.pull_requests) {
      await submit({ ...jobBase(context), kind: "evaluate-pull", pull: number, ...(rerun ? { rerun } : { headSha: suite.head_sha }) }, context);
    }
  });
}
