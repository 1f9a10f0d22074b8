import type { CommentStore, ReleaseStore, RepoReader, RepoRef, RevertWriter, TreeChange } from "../github/types.js";
import { loadConfig } from "../config/load.js";
import { explainFailure } from "../github/failures.js";
import type { Logger } from "../log.js";
import type { ReleaseRecord } from "../release/record.js";
import { code, mention, owner, plain, text, url } from "../render/escape.js";

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
  /** Release records of this App only (matched by its id, not only by name). */
  readonly releases: ReleaseStore;
  readonly writer: RevertWriter;
  /** Replies on the merged pull request. */
  readonly replies: CommentStore;
  readonly pullState: (pull: number) => Promise<{ merged: boolean; mergeSha: string | null; title: string; url: string }>;
  readonly log: Pick<Logger, "warn" | "error">;
}

export type RollbackOutcome = "ignored" | "refused" | "malformed" | "conflict" | "opened" | "exists" | "failed";

const COMMAND = /^\/gitops-gate(?:\s+(\S+))?\s*(.*)$/;
const WRITE_ROLES = new Set(["admin", "maintain", "write"]);
/** GitHub's limit on a pull request title. */
const MAX_PULL_TITLE = 256;

/**
 * `/gitops-gate rollback` on a merged pull request: an authorised user gets a pull request
 * that reverts the merge onto the current default branch; anyone else gets a short no.
 * A revert that later commits would conflict with is refused, naming the paths.
 *
 * Idempotent and resumable: the revert branch has one name per merge, so a second command
 * finds the open pull request and points to it, opens the pull request for a branch left
 * without one (a failure half way), and resets a stale branch onto a fresh revert. Every
 * failure gets a reply with its cause and the way on: the command never dead-ends.
 */
export async function handleRollbackCommand(req: RollbackRequest, deps: RollbackDeps): Promise<RollbackOutcome> {
  const line = req.body.trim().split("\n")[0]?.trim() ?? "";
  const m = COMMAND.exec(line);
  if (!m) return "ignored";
  // Never act for bots, the App included: no loops, no automation escalating through us.
  if (req.commenterType === "Bot") return "ignored";
  const who = mention(req.commenter);
  if (m[1] !== "rollback" || m[2]) {
    await deps.replies.create(`${who} unknown command ${code(line, { max: 80 })}. The command is \`/gitops-gate rollback\`, on a merged pull request.`);
    return "malformed";
  }
  try {
    return await rollback(req, deps, who);
  } catch (e) {
    // The reply says what happened and that the same command resumes; the raw error is logged.
    const { cause, action } = explainFailure(e);
    deps.log.error({ err: e, pull: req.pull }, "rollback failed");
    await deps.replies.create(`${who} the rollback could not be completed: ${text(cause)}. ${text(action)} Comment \`/gitops-gate rollback\` again to resume: it picks up where this one stopped.`);
    return "failed";
  }
}

async function rollback(req: RollbackRequest, deps: RollbackDeps, who: string): Promise<RollbackOutcome> {
  const pr = await deps.pullState(req.pull);
  if (!pr.merged || !pr.mergeSha) {
    await deps.replies.create(`${who} this pull request is not merged; there is nothing to roll back.`);
    return "malformed";
  }
  const stored = await deps.releases.find(pr.mergeSha);
  const record = stored ? parseRecord(stored.text, pr.mergeSha) : undefined;
  if (!record) {
    await deps.replies.create(`${who} this merge has no gitops-gate release record, so there is no recorded state to return to.`);
    return "malformed";
  }

  // Who may: write access, the rollback owners of the record, or users the config names.
  // An invalid config names nobody: the rules that need no config still apply, and the
  // reply says why `rollback.allowed` was not read.
  const loaded = await loadConfig(req.repo, (repo, path) => deps.reader.readFile(repo, path, repo.owner === req.repo.owner && repo.repo === req.repo.repo ? req.defaultBranch : undefined));
  if (!loaded.ok) deps.log.warn({ configError: loaded.error }, "rollback: the config is invalid; rollback.allowed is not applied");
  const allowed = new Set((loaded.ok ? loaded.config.rollback.allowed : []).map((u) => u.replace(/^@/, "").toLowerCase()));
  const owners = new Set(record.environments.flatMap((e) => e.rollback.owners).map((o) => o.replace(/^@/, "").toLowerCase()));
  const login = req.commenter.toLowerCase();
  const permitted = allowed.has(login) || owners.has(login) || WRITE_ROLES.has(await deps.reader.permission(req.commenter));
  if (!permitted) {
    const configNote = loaded.ok ? "" : ` The config's \`rollback.allowed\` list was not read: ${code(loaded.error.path)} line ${loaded.error.line} is invalid.`;
    await deps.replies.create(`${who} you may not roll this back: it takes write access to the repository, or being a rollback owner (${[...owners].map(owner).join(", ") || "none recorded"}).${configNote}`);
    return "refused";
  }

  // 1. A revert pull request already open for this merge: point to it.
  const branch = `gitops-gate/rollback-${req.pull}-${pr.mergeSha.slice(0, 7)}`;
  const open = await deps.writer.findOpenPull(branch);
  if (open) {
    await deps.replies.create(`${who} a rollback pull request is already open: ${url(open.url) ?? `#${open.number}`}.`);
    return "exists";
  }

  // 2. The revert: every file the merge changed goes back to its state before the merge,
  // provided nothing has changed it since; otherwise say which paths conflict.
  const [changed, tip] = await Promise.all([deps.reader.diffCommits(record.beforeSha, pr.mergeSha), deps.reader.branchHead(req.defaultBranch)]);
  const sinceMerge = await deps.reader.diffCommits(pr.mergeSha, tip);
  const touchedSince = new Set(sinceMerge.files.map((f) => f.path));
  const conflicts = changed.files.filter((f) => touchedSince.has(f.path)).map((f) => f.path).sort();
  if (conflicts.length > 0) {
    const listed = conflicts.slice(0, 50).map((p) => `- ${code(p)}`);
    await deps.replies.create(
      [
        `${who} a clean revert is not possible: later commits on ${code(req.defaultBranch)} changed the same files:`, "", ...listed,
        ...(conflicts.length > listed.length ? [`- and ${conflicts.length - listed.length} more`] : []),
        "", `Revert by hand (${code(record.environments[0]?.rollback.revertCommand ?? `git revert ${pr.mergeSha}`)}) and resolve the conflicts in a pull request.`,
      ].join("\n"),
    );
    return "conflict";
  }
  const changes: TreeChange[] = changed.files.map((f) => (f.status === "added" ? { path: f.path, sha: null } : { path: f.path, sha: f.baseSha ?? f.sha, kind: f.baseKind ?? "file" }));
  const title = plain(`Revert "${pr.title.replace(/\s+/g, " ")}"`, MAX_PULL_TITLE);
  const commit = await deps.writer.commit(tip, changes, `${title}\n\nThis reverts #${req.pull} (${pr.mergeSha}), requested by @${req.commenter}.`);

  // 3. The branch: created, or, left by an earlier attempt without an open pull request, reset
  // onto this fresh revert of the current tip (it may be stale).
  if ((await deps.writer.createBranch(branch, commit)) === "exists") await deps.writer.resetBranch(branch, commit);

  // 4. The pull request.
  const notes = record.environments.flatMap((e) => [
    `#### ${code(e.environment, { max: 100 })} (owner: ${e.rollback.owners.map(owner).join(", ")})`,
    ...e.rollback.warnings.map((w) => `> ⚠️ ${text(w)}`),
    ...e.rollback.restore.map((r) => `- ${text(r)}`),
    "",
  ]);
  const body = [
    `Reverts ${url(pr.url) ?? `#${req.pull}`} (merge ${code(pr.mergeSha)}), as requested by ${who}.`, "",
    `Release record: the \`gitops-gate/release\` check run on ${code(pr.mergeSha)}.`, "", "### Rollback notes", "", ...notes,
  ].join("\n");
  let opened: { number: number; url: string };
  try {
    opened = await deps.writer.openPull({ title, head: branch, base: req.defaultBranch, body: body.slice(0, 60_000) });
  } catch (e) {
    // Another command may have opened it in between: point to it.
    const raced = await deps.writer.findOpenPull(branch).catch(() => undefined);
    if (!raced) {
      const { cause, action } = explainFailure(e);
      deps.log.error({ err: e, pull: req.pull, branch }, "rollback: the revert branch is ready, its pull request could not be opened");
      await deps.replies.create(`${who} the revert is ready on ${code(branch)}, but the pull request could not be opened: ${text(cause)}. ${text(action)} Comment \`/gitops-gate rollback\` again to open it.`);
      return "failed";
    }
    opened = raced;
  }
  await deps.replies.create(`${who} opened ${url(opened.url) ?? `#${opened.number}`} to revert this merge. It goes through the same gitops-gate check as any change.`);
  return "opened";
}

const SHA = /^[0-9a-f]{40}$/;
const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/**
 * A stored release record, or undefined when the text is not one for this merge. Stored
 * text is data, never trusted blindly: the shape is checked field by field, the record
 * must be about this merge commit, and its rollback target must be a commit id.
 */
export function parseRecord(text: string, mergeSha: string): ReleaseRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== "object") return undefined;
  const r = value as Record<string, unknown>;
  if (r["schema"] !== "gitops-gate/release-record@1" || r["mergeSha"] !== mergeSha) return undefined;
  if (typeof r["beforeSha"] !== "string" || !SHA.test(r["beforeSha"]) || !Array.isArray(r["environments"])) return undefined;
  for (const e of r["environments"] as unknown[]) {
    const env = e as { environment?: unknown; rollback?: Record<string, unknown> } | null;
    const rb = env?.rollback;
    if (!env || typeof env.environment !== "string" || !rb || !strings(rb["owners"]) || !strings(rb["warnings"]) || !strings(rb["restore"]) || typeof rb["revertCommand"] !== "string") return undefined;
  }
  return value as ReleaseRecord;
}
