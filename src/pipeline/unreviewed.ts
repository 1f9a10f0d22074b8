// Direct pushes to release branches (issue 15): a commit that reached a release branch
// without a pull request, and changes paths gitops-gate evaluates, gets a completed
// `gitops-gate/unreviewed` check run with the same release facts a merge would record, and
// is listed in the branch's one `gitops-gate:unreviewed` issue. A force push is reported as
// one change, from the branch's tip before it to the tip after. The App's own pushes (revert
// branches) and pushes to other branches are not reported.
import { defaultConfig, loadConfig } from "../config/load.js";
import type { Conclusion, IssueStore, NamedChecks, PushReader, RepoRef } from "../github/types.js";
import type { Logger } from "../log.js";
import { renderUnreviewedCheck, renderUnreviewedIssue, readUnreviewedEntries, unreviewedEntry, unreviewedIssueTitle, unreviewedMarker, UNREVIEWED_LABEL, type UnreviewedEntry, type UnreviewedPush } from "../render/unreviewed.js";
import { auditLog } from "./audit.js";
import { releaseBranches } from "./enforcement.js";
import { releaseFacts, type ReleaseFactsDeps } from "./release-facts.js";

/** A push to a branch, as its webhook tells it. */
export interface PushEvent {
  readonly repo: RepoRef;
  readonly branch: string;
  readonly defaultBranch: string;
  readonly before: string;
  readonly after: string;
  readonly forced: boolean;
  /** Who pushed (the pusher's name, as git and GitHub record it). */
  readonly pusher: string;
  /** The account that sent the event: this App's bot for its own pushes. */
  readonly sender: { readonly login: string; readonly type: string };
  /** The pushed commits, oldest first (GitHub lists at most 2,048; the payload's own). */
  readonly commits: ReadonlyArray<{ readonly sha: string; readonly message: string }>;
}

export interface UnreviewedDeps extends ReleaseFactsDeps {
  readonly pulls: PushReader;
  readonly checks: NamedChecks;
  readonly issues: IssueStore;
  /** This App's bot login (`<slug>[bot]`), whose pushes are never reported; undefined when unknown. */
  readonly botLogin: string | undefined;
  /** The digest of the built-in policies, for the audit line. */
  readonly policyDigest: string;
  /** The enforcement note for check summaries, when the gate is not enforced. */
  readonly enforcement?: (branches: readonly string[], requireUpToDate: boolean) => Promise<string | undefined>;
  readonly log: Pick<Logger, "info" | "warn">;
  readonly now?: () => Date;
}

export type UnreviewedOutcome = "reported" | "reviewed" | "skipped";

const ZERO = /^0+$/;

/** Whether a commit is the merge (merge, squash or last rebased commit) of a merged pull request of this push. */
async function reviewed(sha: string, pushed: ReadonlySet<string>, deps: UnreviewedDeps): Promise<boolean> {
  const pulls = await deps.pulls.pullsOf(sha);
  // Its own pull request's merge commit, or a commit a merged pull request brought along with
  // its merge commit in the same push (the pull request's commits under a merge commit, the
  // rebased commits before the last one).
  return pulls.some((p) => p.merged && p.mergeSha !== null && (p.mergeSha === sha || pushed.has(p.mergeSha)));
}

/** The report a `gitops-gate/unreviewed` run of this App holds in its text. */
function storedReport(text: string): UnreviewedPush | undefined {
  try {
    const data = JSON.parse(text) as Partial<UnreviewedPush> & { schema?: string };
    if (data.schema !== "gitops-gate/unreviewed@1" || typeof data.sha !== "string" || !Array.isArray(data.files) || !Array.isArray(data.environments)) return undefined;
    return data as UnreviewedPush;
  } catch {
    return undefined;
  }
}

export async function reportUnreviewed(push: PushEvent, deps: UnreviewedDeps): Promise<UnreviewedOutcome> {
  const { reader } = deps;
  // 1. Not ours, not a deleted branch, a release branch by the config as it was before the
  // push: an unreviewed push that edits the config (say, `unreviewed: notice`, or paths that
  // exclude what it changes) must not decide how it is itself reported.
  if (deps.botLogin && push.sender.type === "Bot" && push.sender.login === deps.botLogin) return "skipped";
  if (ZERO.test(push.after)) return "skipped";
  const configAt = ZERO.test(push.before) ? push.after : push.before;
  const loaded = await loadConfig(push.repo, (repo, path) => reader.readFile(repo, path, repo.owner === push.repo.owner && repo.repo === push.repo.repo ? configAt : undefined));
  const config = loaded.ok ? loaded.config : defaultConfig();
  const branches = releaseBranches(config, push.defaultBranch);
  if (!branches.includes(push.branch)) return "skipped";

  // 2. What to judge: each pushed commit from its parent; a force push as one change.
  const pushed = new Set(push.commits.map((c) => c.sha));
  const units: Array<{ sha: string; before: string; message: string }> = [];
  if (push.forced && !ZERO.test(push.before)) {
    const head = push.commits.find((c) => c.sha === push.after);
    units.push({ sha: push.after, before: push.before, message: head?.message ?? (await reader.getCommit(push.after)).message });
  } else {
    for (const c of push.commits) {
      if (await reviewed(c.sha, pushed, deps)) continue;
      const parent = (await reader.getCommit(c.sha)).parents[0];
      // A root commit has nothing to be measured from: it is a new history, not a change.
      if (parent) units.push({ sha: c.sha, before: parent, message: c.message });
    }
  }
  if (units.length === 0) return "reviewed";

  // 3. Each one that changes evaluated paths: its facts, a check run, an entry in the issue.
  const note = deps.enforcement ? await deps.enforcement(branches, config.enforcement.require_up_to_date) : undefined;
  const entries: UnreviewedEntry[] = [];
  for (const u of units) {
    // Reported already (a redelivery, or an attempt that stopped before the issue): its run
    // holds the report, so the issue still gets its entry.
    const earlier = (await deps.checks.list(u.sha))[0];
    if (earlier) {
      const again = storedReport(earlier.text);
      if (again) entries.push(unreviewedEntry(again, earlier.url, earlier.completedAt ?? (deps.now?.() ?? new Date()).toISOString()));
      continue;
    }
    const facts = await releaseFacts({ repo: push.repo, before: u.before, after: u.sha, branch: push.branch }, config, deps);
    if (facts.manifests.length === 0) continue;
    const report: UnreviewedPush = {
      sha: u.sha, branch: push.branch, before: u.before, forced: push.forced, pusher: push.pusher, message: u.message,
      files: facts.manifests.map((f) => f.path), environments: facts.environments, renderErrors: facts.renderErrors,
    };
    const conclusion: Conclusion = config.unreviewed === "notice" ? "neutral" : "failure";
    const rendered = renderUnreviewedCheck(report, { conclusion, ...(note ? { notes: [note] } : {}) });
    const run = await deps.checks.publish(u.sha, `unreviewed:${u.sha}`, conclusion, rendered);
    auditLog(deps.log, "unreviewed-push", {
      repository: `${push.repo.owner}/${push.repo.repo}`, commit: u.sha, actor: push.pusher, policyDigest: deps.policyDigest,
      branch: push.branch, forced: push.forced, ...(push.forced ? { before: u.before } : {}), files: report.files.length, conclusion,
    });
    entries.push(unreviewedEntry(report, run.url, (deps.now?.() ?? new Date()).toISOString()));
  }
  if (entries.length === 0) return "reviewed";

  // 4. The branch's one open issue: found by label and marker, updated in place, else opened.
  const marker = unreviewedMarker(push.branch);
  const open = await deps.issues.findOpen(UNREVIEWED_LABEL, marker);
  if (open) {
    const known = readUnreviewedEntries(open.body);
    const fresh = entries.filter((e) => !known.entries.some((k) => k.sha === e.sha));
    if (fresh.length) await deps.issues.update(open.number, { body: renderUnreviewedIssue(push.branch, [...known.entries, ...fresh], known.earlier) });
  } else {
    await deps.issues.create({ title: unreviewedIssueTitle(push.branch), body: renderUnreviewedIssue(push.branch, entries), labels: [UNREVIEWED_LABEL] });
  }
  return "reported";
}
