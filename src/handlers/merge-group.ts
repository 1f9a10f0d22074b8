import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

/** Merge queues: evaluate the merge group's head so the queue never waits on a check that never comes. */
export function onMergeGroup(app: Probot, submit: SubmitJob): void {
  app.on("merge_group.checks_requested", async (context) => {
    const group = context.payload.merge_group;
    const target = {
      pull: undefined, headSha: group.head_sha, baseRef: group.base_ref.replace(/^refs\/heads\//, ""), baseSha: group.base_sha, changedFiles: 0, draft: false,
    };
    await submit({ ...jobBase(context), kind: "evaluate", target }, context);
  });
}
