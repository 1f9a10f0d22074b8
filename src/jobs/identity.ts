// A job's identity: the queue adds nothing for an id it holds, so a redelivery, the same
// delivery at two replicas, and `pull_request.synchronize` with `check_suite.requested`
// for one push all become one job and one check run. The check run's `external_id` is the
// same id, so a job retried or resumed after a crash finds the run it started.
import type { Job } from "./job.js";

export interface JobIdentity {
  readonly id: string;
  /** The installation: jobs are shared out fairly between installations. */
  readonly group: string;
  /** A pull request whose newer heads supersede this job (`owner/repo#n`). */
  readonly supersedeKey?: string;
}

export function identityOf(job: Job): JobIdentity {
  const repo = `${job.repo.owner}/${job.repo.repo}`;
  const group = String(job.installationId);
  switch (job.kind) {
    case "evaluate": {
      const t = job.target;
      // One job per head; a base branch edited under the same head is judged again.
      const id = `evaluate:${repo}:${t.pull ?? "group"}:${t.headSha}${job.event === "pull_request.edited" ? `:${t.baseRef}` : ""}`;
      return { id, group, ...(t.pull !== undefined ? { supersedeKey: `${repo}#${t.pull}` } : {}) };
    }
    case "evaluate-pull":
      // A Re-run is its own job (and its own check run); a requested suite shares the push's.
      return job.rerun || !job.headSha
        ? { id: `rerun:${repo}:${job.pull}:${job.delivery}`, group }
        : { id: `evaluate:${repo}:${job.pull}:${job.headSha}`, group, supersedeKey: `${repo}#${job.pull}` };
    case "record-merge":
      return { id: `record:${repo}:${job.merged.mergeSha}`, group };
    case "command":
      return { id: `command:${repo}:${job.commentId}`, group };
    case "push":
      // One job per push; a redelivery of it is a duplicate.
      return { id: `push:${repo}:${job.push.branch}:${job.push.before}:${job.push.after}`, group };
    case "baseline":
      // One baseline per head, reason and hour: the schedule asks at most hourly.
      return { id: `baseline:${repo}:${job.baseline.headSha ?? "tip"}:${job.baseline.reason}:${job.baseline.slot}`, group };
  }
}
