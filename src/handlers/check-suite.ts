import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/** Check suites GitHub asks us to (re)run: evaluate each of their pull requests. */
export function onCheckSuite(app: Probot, submit: SubmitJob): void {
  app.on(["check_suite.requested", "check_suite.rerequested"], async (context) => {
    for (const { number } of context.payload.check_suite.pull_requests) {
      await submit({ ...jobBase(context), kind: "evaluate-pull", pull: number }, context);
    }
  });
}
