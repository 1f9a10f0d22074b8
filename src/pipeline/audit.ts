// The audit trail: every decision of the App is one structured log line with a fixed shape,
// `audit: <event>`, so operators can ship them to their log store and query them. The job's
// logger already carries the delivery id, the event and the repository (run-job.ts); each
// line adds the commit, the actor and the digest of the policies that decided. The events
// are listed in the README ("Audit trail"). Their own keys (`repository`, `commit`) differ
// from the job's bindings (`repo`, `sha`: the job's head), so no line holds a key twice.
import { createHash } from "node:crypto";
import type { Logger } from "../log.js";

export const AUDIT_EVENTS = ["verdict", "waiver-applied", "rollback-opened", "rollback-refused", "unreviewed-push", "baseline", "enforcement-missing", "enforcement-restored"] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditFields {
  readonly repository: string;
  readonly commit: string | null;
  /** Who the decision is about: the author, the commenter, the pusher; null for the App's own schedule. */
  readonly actor: string | null;
  /** The policies that decided (see policyDigest); null when no policy was involved. */
  readonly policyDigest: string | null;
  readonly [extra: string]: unknown;
}

/** One digest for a set of policy bundles: sha256 over their sorted digests. */
export function policyDigest(digests: readonly string[]): string | null {
  if (digests.length === 0) return null;
  if (digests.length === 1) return digests[0] as string;
  return createHash("sha256").update([...digests].sort().join("\n")).digest("hex");
}

export function auditLog(log: Pick<Logger, "info">, event: AuditEvent, fields: AuditFields): void {
  log.info({ audit: event, ...fields }, `audit: ${event}`);
}

/** A published verdict, and one line per waiver it applied. */
export function auditVerdict(
  log: Pick<Logger, "info">,
  target: { repo: { owner: string; repo: string }; headSha: string; author?: string; pull: number | undefined },
  verdict: { conclusion: string; blocking: readonly unknown[]; waivers: ReadonlyArray<{ state: string; waived: number; entry: { rule?: string | null; owner?: string | null; expires?: string | null } }> },
  digests: readonly string[],
): void {
  const base = { repository: `${target.repo.owner}/${target.repo.repo}`, commit: target.headSha, actor: target.author ?? null, policyDigest: policyDigest(digests), pull: target.pull ?? null };
  auditLog(log, "verdict", { ...base, conclusion: verdict.conclusion, blocking: verdict.blocking.length });
  for (const w of verdict.waivers) {
    if (w.state === "active" && w.waived > 0) auditLog(log, "waiver-applied", { ...base, rule: w.entry.rule ?? null, owner: w.entry.owner ?? null, expires: w.entry.expires ?? null, waived: w.waived });
  }
}

/** A rollback command's outcome: opened (or found open), or refused. */
export function auditRollback(log: Pick<Logger, "info">, params: { repo: string; pull: number; actor: string; outcome: string; commit?: string | null }): void {
  // `commit`: the merge commit being rolled back, when the pull request was merged.
  const commit = params.commit ?? null;
  if (params.outcome === "opened" || params.outcome === "exists") auditLog(log, "rollback-opened", { repository: params.repo, commit, actor: params.actor, policyDigest: null, pull: params.pull, outcome: params.outcome });
  else if (params.outcome !== "ignored") auditLog(log, "rollback-refused", { repository: params.repo, commit, actor: params.actor, policyDigest: null, pull: params.pull, outcome: params.outcome });
}
