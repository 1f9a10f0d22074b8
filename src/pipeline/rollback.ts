import type { CommentStore, ReleaseStore, RepoReader, RepoRef, RevertWriter, TreeChange } from "../github/types.js";
import { loadConfig } from "../config/load.js";
import type { Logger } from "../log.js";
import type { ReleaseRecord } from "../release/record.js";

export interface RollbackRequest {
  readonly repo: RepoRef;
  readonly pull: number;
  readonly commenter: string;
  readonly commenterType: string;
  readonly body: string;
  readonly defaultBranch: string;
}

export interface RollbackDeps {
  readonly reader: RepoReader;
  readonly releases: ReleaseStore;
  readonly writer: RevertWriter;
  /** Replies on the merged pull request. */
  readonly replies: CommentStore;
  readonly pullState: (pull: number) => Promise<{ merged: boolean; mergeSha: string | null; title: string; url: string }>;
  readonly log: Pick<Logger, "warn">;
}

export type RollbackOutcome = "ignored" | "refused" | "malformed" | "conflict" | "opened" | "exists";

const COMMAND = /^\/gitops-gate(?:\s+(\S+))?\s*(.*)$/;
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);

/**
 * `/gitops-gate rollback` on a merged pull request: an authorised user gets a pull request
 * that reverts the merge onto the current default branch; anyone else gets a short no.
 * A revert that later commits would conflict with is refused, naming the paths.
 */
export async function handleRollbackCommand(req: RollbackRequest, deps: RollbackDeps): Promise<RollbackOutcome> {
  const text = req.body.trim().split("\n")[0]?.trim() ?? "";
  const m = COMMAND.exec(text);
  if (!m) return "ignored";
  // Never act for bots, the App included: no loops, no automation escalating through us.
  if (req.commenterType === "Bot") return "ignored";
  if (m[1] !== "rollback" || m[2]) {
    await deps.replies.create(`@${req.commenter} unknown command \`${text.slice(0, 80)}\`. The command is \`/gitops-gate rollback\`, on a merged pull request.`);
    return "malformed";
  }
  const pr = await deps.pullState(req.pull);
  if (!pr.merged || !pr.mergeSha) {
    await deps.replies.create(`@${req.commenter} this pull request is not merged; there is nothing to roll back.`);
    return "malformed";
  }
  const stored = await deps.releases.find(pr.mergeSha);
  const record = stored ? parseRecord(stored.text) : undefined;
  if (!record?.beforeSha) {
    await deps.replies.create(`@${req.commenter} this merge has no gitops-gate release record, so there is no recorded state to return to.`);
    return "malformed";
  }

  // Who may: write access, the rollback owners of the record, or users the config names.
  // An invalid config names nobody: the rules that need no config still apply, and the
  // reply says why `rollback.allowed` was not read.
  const loaded = await loadConfig(req.repo, (repo, path) => deps.reader.readFile(repo, path, repo.owner === req.repo.owner && repo.repo === req.repo.repo ? req.defaultBranch : undefined));
  if (!loaded.ok) deps.log.warn({ configError: loaded.error }, "rollback: the config is invalid; rollback.allowed is not applied");
  const allowed = new Set((loaded.ok ? loaded.config.rollback.allowed : []).map((u) => u.replace(/^@/, "").toLowerCase()));
  const owners = new Set(record.environments.flatMap((e) => e.rollback.owners).map((o) => o.replace(/^@/, "").toLowerCase()));
  const who = req.commenter.toLowerCase();
  const permitted = allowed.has(who) || owners.has(who) || WRITE_ROLES.has(await deps.reader.permission(req.commenter));
  if (!permitted) {
    const configNote = loaded.ok ? "" : ` The config's \`rollback.allowed\` list was not read: ${loaded.error.path} line ${loaded.error.line} is invalid.`;
    await deps.replies.create(`@${req.commenter} you may not roll this back: it takes write access to the repository, or being a rollback owner (${[...owners].map((o) => `@${o}`).join(", ") || "none recorded"}).${configNote}`);
    return "refused";
  }

  // The revert: every file the merge changed goes back to its state before the merge,
  // provided nothing has changed it since; otherwise say which paths conflict.
  const [changed, tip] = await Promise.all([deps.reader.diffCommits(record.beforeSha, pr.mergeSha), deps.reader.branchHead(req.defaultBranch)]);
  const sinceMerge = await deps.reader.diffCommits(pr.mergeSha, tip);
  const touchedSince = new Set(sinceMerge.files.map((f) => f.path));
  const conflicts = changed.files.filter((f) => touchedSince.has(f.path)).map((f) => f.path).sort();
  if (conflicts.length > 0) {
    await deps.replies.create(
      [`@${req.commenter} a clean revert is not possible: later commits on \`${req.defaultBranch}\` changed the same files:`, "", ...conflicts.map((p) => `- \`${p}\``), "", `Revert by hand (\`${record.environments[0]?.rollback.revertCommand ?? `git revert ${pr.mergeSha}`}\`) and resolve the conflicts in a pull request.`].join("\n"),
    );
    return "conflict";
  }
  const changes: TreeChange[] = changed.files.map((f) => ({ path: f.path, sha: f.status === "added" ? null : (f.baseSha ?? f.sha) }));
  const branch = `gitops-gate/rollback-${req.pull}-${pr.mergeSha.slice(0, 7)}`;
  const title = `Revert "${pr.title}"`;
  const commit = await deps.writer.commit(tip, changes, `${title}\n\nThis reverts #${req.pull} (${pr.mergeSha}), requested by @${req.commenter}.`);
  if ((await deps.writer.createBranch(branch, commit)) === "exists") {
    await deps.replies.create(`@${req.commenter} a rollback branch \`${branch}\` exists already; see its pull request.`);
    return "exists";
  }
  const notes = record.environments.flatMap((e) => [
    `#### \`${e.environment}\` (owner: ${e.rollback.owners.join(", ")})`,
    ...e.rollback.warnings.map((w) => `> ⚠️ ${w}`),
    ...e.rollback.restore.map((r) => `- ${r}`),
    "",
  ]);
  const opened = await deps.writer.openPull({
    title,
    head: branch,
    base: req.defaultBranch,
    body: [`Reverts ${pr.url} (merge \`${pr.mergeSha}\`), as requested by @${req.commenter}.`, "", `Release record: the \`gitops-gate/release\` check run on ${pr.mergeSha}.`, "", "### Rollback notes", "", ...notes].join("\n"),
  });
  await deps.replies.create(`@${req.commenter} opened ${opened.url} to revert this merge. It goes through the same gitops-gate check as any change.`);
  return "opened";
}

/** A stored release record, or undefined when the text is not one (never trusted blindly). */
function parseRecord(text: string): ReleaseRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<ReleaseRecord> | null;
    if (!value || typeof value !== "object" || value.schema !== "gitops-gate/release-record@1") return undefined;
    if (typeof value.beforeSha !== "string" || !Array.isArray(value.environments)) return undefined;
    return value as ReleaseRecord;
  } catch {
    return undefined;
  }
}
