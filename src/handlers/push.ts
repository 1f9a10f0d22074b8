import type { Probot } from "probot";
import { jobBase, type SubmitJob } from "./submit.js";

const ZERO = /^0+$/;

/**
 * push: every push to a branch is looked at for commits that bypassed review (the job
 * decides whether the branch is a release branch, by its config); a push to the default
 * branch may also change its policies or config, which asks for a new baseline.
 */
export function onPush(app: Probot, submit: SubmitJob): void {
  app.on("push", async (context) => {
    const p = context.payload;
    if (!p.ref.startsWith("refs/heads/") || p.deleted || ZERO.test(p.after)) return;
    const branch = p.ref.slice("refs/heads/".length);
    const defaultBranch = p.repository.default_branch ?? "main";
    const pusher = p.pusher.name ?? p.sender?.login ?? "ghost";
    const push = {
      branch, defaultBranch, before: p.before, after: p.after, forced: p.forced, pusher,
      sender: { login: p.sender?.login ?? pusher, type: p.sender?.type ?? "User" },
      commits: p.commits.map((c) => ({ sha: c.id, message: c.message })),
    };
    await submit({ ...jobBase(context), kind: "push", push }, context);
    if (branch !== defaultBranch) return;
    // The paths the push changed, as its payload lists them; a force push rewrote what the
    // list does not show, so the baseline job judges it whatever it touched.
    const changedPaths = p.forced ? undefined : [...new Set(p.commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]))];
    await submit(
      { ...jobBase(context), kind: "baseline", baseline: { branch, headSha: p.after, reason: "change", slot: new Date().toISOString().slice(0, 13), actor: pusher, ...(changedPaths ? { changedPaths } : {}) } },
      context,
    );
  });
}
