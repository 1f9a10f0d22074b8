import { defaultConfig, loadConfig } from "../config/load.js";
import { environmentsOf } from "../config/schema.js";
import type { CommentStore, ReleaseStore, RepoReader, RepoRef } from "../github/types.js";
import { MAX_CHECK_OUTPUT, MAX_TITLE } from "../limits.js";
import type { Logger } from "../log.js";
import { CODEOWNERS_PATHS, codeOwners, codeOwnersMatcher, linkedIssues, rollbackNotes, type MergeMethod, type ReleaseRecord } from "../release/record.js";
import { verdictFacts } from "../render/check-run.js";
import { RELEASE_COMMENT_MARKER, renderReleaseComment, renderReleaseJson, renderReleaseMarkdown } from "../render/release.js";
import { plain } from "../render/escape.js";
import { truncate } from "../render/truncate.js";
import type { WorkerPool } from "../evaluation/worker-pool.js";
import type { BlobCache } from "./blob-cache.js";
import { releaseFacts } from "./release-facts.js";

export interface MergedPullRequest {
  readonly repo: RepoRef;
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
  readonly url: string;
  readonly author: string;
  readonly mergedBy: string;
  readonly mergedAt: string;
  readonly mergeSha: string;
  readonly baseSha: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly defaultBranch: string;
  readonly labels: readonly string[];
  readonly commits: number;
}

export interface MergeDeps {
  readonly reader: RepoReader;
  /** For the rendered state before and after the merge. */
  readonly pool: () => Promise<WorkerPool>;
  readonly blobs: BlobCache;
  readonly releases: ReleaseStore;
  readonly comments: CommentStore;
  readonly log: Pick<Logger, "warn">;
}

export type MergeOutcome = "recorded" | "duplicate" | "skipped";

/** How GitHub merged: two parents is a merge commit; one parent and the PR number in the message, a squash. */
function mergeMethod(parents: number, message: string, number: number, commits: number): MergeMethod {
  if (parents > 1) return "merge";
  if (commits <= 1 || message.split("\n")[0]?.includes(`(#${number})`)) return "squash";
  return "rebase";
}

/**
 * On merge: the release record (facts per environment, who approved, the policy verdict,
 * rollback notes) as a completed `gitops-gate/release` check run on the merge commit and
 * one comment on the pull request. Nothing is written twice for a redelivered event.
 */
export async function recordMerge(pr: MergedPullRequest, deps: MergeDeps): Promise<MergeOutcome> {
  const { reader } = deps;
  // 1. Config from the branch merged into; only release branches get records. A broken
  // config does not cost the audit trail: the record is written with the built-in
  // settings (default branch, one environment, owners from CODEOWNERS) and says so.
  const loaded = await loadConfig(pr.repo, (repo, path) => reader.readFile(repo, path, repo.owner === pr.repo.owner && repo.repo === pr.repo.repo ? pr.baseRef : undefined));
  const config = loaded.ok ? loaded.config : defaultConfig();
  const configError = loaded.ok ? undefined : `${loaded.error.path} line ${loaded.error.line}: ${loaded.error.message}`;
  const branches = config.release.branches.length ? config.release.branches : [pr.defaultBranch];
  if (!branches.includes(pr.baseRef)) return "skipped";
  // 2. A record on the merge commit means this merge was recorded already.
  if (await deps.releases.find(pr.mergeSha)) return "duplicate";

  // 3. The state before the merge, however GitHub merged.
  const merge = await reader.getCommit(pr.mergeSha);
  const method = mergeMethod(merge.parents.length, merge.message, pr.number, pr.commits);
  let before = merge.parents[0] ?? pr.baseSha;
  if (method === "rebase") {
    let sha = pr.mergeSha;
    for (let i = 0; i < pr.commits; i++) sha = (await reader.getCommit(sha)).parents[0] ?? sha;
    before = sha;
  }

  // 4-6. What changed, as facts per environment (the same facts an unreviewed push reports).
  const facts = await releaseFacts({ repo: pr.repo, before, after: pr.mergeSha, branch: pr.baseRef }, config, deps);
  const { manifests } = facts;
  if (manifests.length === 0 && config.release.without_manifests === "none") return "skipped";

  // 7. Who owns rolling each environment back.
  let codeowners: string | undefined;
  for (const path of CODEOWNERS_PATHS) {
    const f = await reader.readFile(pr.repo, path, pr.mergeSha);
    if (f) {
      codeowners = Buffer.from(f.bytes).toString("utf8");
      break;
    }
  }
  const matcher = codeOwnersMatcher();
  const environments = facts.environments.map((facts) => {
    const env = facts.environment;
    const configured = environmentsOf(config).find((e) => e.name === env)?.owners ?? [];
    const fromCodeowners = codeowners ? codeOwners(codeowners, facts.files, matcher) : [];
    const [owners, ownersFrom] = configured.length
      ? [configured.map((o) => (o.startsWith("@") ? o : `@${o}`)), "config" as const]
      : fromCodeowners.length
        ? [fromCodeowners, "CODEOWNERS" as const]
        : [[`@${pr.mergedBy}`], "merger" as const];
    return { ...facts, rollback: rollbackNotes({ facts, method, mergeSha: pr.mergeSha, commits: pr.commits, owners, ownersFrom }) };
  });

  // 7. Who approved the merged head, and what the policy said about it.
  const [approvedBy, policy] = await Promise.all([reader.approvers(pr.number, pr.headSha), reader.policyCheck(pr.headSha)]);
  const verdict = policy ? verdictFacts(policy.summary) : undefined;
  const record: ReleaseRecord = {
    schema: "gitops-gate/release-record@1",
    repository: `${pr.repo.owner}/${pr.repo.repo}`,
    pullRequest: { number: pr.number, title: pr.title, url: pr.url, labels: pr.labels, linkedIssues: linkedIssues(pr.body) },
    author: pr.author,
    mergedBy: pr.mergedBy,
    approvedBy,
    mergedAt: pr.mergedAt,
    mergeSha: pr.mergeSha,
    baseSha: pr.baseSha,
    beforeSha: before,
    headSha: pr.headSha,
    mergeMethod: method,
    branch: pr.baseRef,
    policy: {
      verdict: (policy?.conclusion as ReleaseRecord["policy"]["verdict"] | undefined) ?? "not evaluated",
      checkRunUrl: policy?.url || null,
      summary: verdict?.headline ?? null,
      acceptedWarnings: verdict ? verdict.warnings : null,
      sources: verdict?.policies ?? [],
      preExisting: verdict?.preExisting ?? null,
      waivers: verdict?.waivers ?? [],
    },
    environments,
    manifestsChanged: manifests.length > 0,
    ...(configError ? { configError } : {}),
    ...(facts.renderErrors.length ? { renderErrors: [...facts.renderErrors] } : {}),
  };

  // 8. Publish: the check run holds the JSON; the comment is found again and edited.
  const title = record.manifestsChanged
    ? `Release of #${pr.number}: ${environments.map((e) => e.environment).join(", ")}`
    : `Merge of #${pr.number}: no manifests changed`;
  const json = renderReleaseJson(record);
  const shortened = json.length < JSON.stringify(record).length ? "> The machine-readable record (this check run's text) was shortened to fit GitHub's 65,535 characters: its `omitted` field counts what each list lost.\n\n" : "";
  const summary = truncate(`${shortened}${renderReleaseMarkdown(record)}`, MAX_CHECK_OUTPUT);
  const published = await deps.releases.publish(pr.mergeSha, { title: plain(truncate(title, MAX_TITLE, "…"), MAX_TITLE), summary, text: json });
  // 9. The record stands; tags, releases and the comment repeat it, best effort.
  const bestEffort = (what: string) => (e: unknown) => deps.log.warn({ err: e, mergeSha: pr.mergeSha }, `${what} could not be written; the release record stands`);
  if (config.release.tags) {
    for (const env of environments) {
      // A git ref name: no `..`, no leading `.` or `-` in a component (git check-ref-format).
      const tag = `release/${env.environment.replace(/[^\w.-]+/g, "-").replace(/\.{2,}/g, ".").replace(/^[.-]+/, "") || "env"}/pr-${pr.number}`;
      const name = truncate(`${env.environment}: #${pr.number} ${pr.title}`, MAX_TITLE, "…");
      await deps.releases.tagRelease({ tag, mergeSha: pr.mergeSha, name, body: renderReleaseMarkdown({ ...record, environments: [env] }) }).catch(bestEffort(`tag ${tag}`));
    }
  }
  await writeRecordComment(deps.comments, renderReleaseComment(record, published.url || null)).catch(bestEffort("the release comment"));
  return "recorded";
}

async function writeRecordComment(comments: CommentStore, body: string): Promise<void> {
  const existing = await comments.find(RELEASE_COMMENT_MARKER);
  if (!existing) await comments.create(body);
  else if (existing.body !== body) await comments.update(existing.id, body);
}
