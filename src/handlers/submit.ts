import type { Context } from "probot";
import type { Job } from "../jobs/job.js";

/** Where handlers hand their jobs: run at once, or queued. */
export type SubmitJob = (job: Job, context: Context) => Promise<void>;

/** The fields every job takes from the delivery that asked for it. */
export function jobBase(context: Context): Pick<Job, "delivery" | "event" | "installationId" | "repo"> {
  const payload = context.payload as { action?: string; installation?: { id: number } };
  const installationId = payload.installation?.id;
  if (installationId === undefined) throw new Error(`handle ${context.name}: the delivery names no installation`);
  return { delivery: context.id, event: payload.action ? `${context.name}.${payload.action}` : context.name, installationId, repo: context.repo() };
}
