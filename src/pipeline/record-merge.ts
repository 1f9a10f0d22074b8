import { globMatcher } from "../config/glob.js";
import { defaultConfig, loadConfig } from "../config/load.js";
import { environmentsOf, type Config } from "../config/schema.js";
import type { ChangedFile, CommentStore, ReleaseStore, RepoReader, RepoRef } from "../github/types.js";
import { parseFile } from "../manifests/index.js";
import { CONTENT_CONCURRENCY, MAX_CHECK_OUTPUT, MAX_TITLE } from "../limits.js";
import type { Logger } from "../log.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import { diffEnvironment, type ManifestSnapshot } from "../release/facts.js";
import { CODEOWNERS_PATHS, codeOwners, codeOwnersMatcher, linkedIssues, rollbackNotes, type MergeMethod, type ReleaseRecord } from "../release/record.js";
import { verdictFacts } from "../render/check-run.js";
import { RELEASE_COMMENT_MARKER, renderReleaseComment, renderReleaseJson, renderReleaseMarkdown } from "../render/release.js";
import { plain } from "../render/escape.js";
import { truncate } from "../render/truncate.js";
import type { WorkerPool } from "../evaluation/worker-pool.js";
import type { BlobCache } from "./blob-cache.js";
import { mapLimit } from "./map-limit.js";
import { renderedSnapshots } from "./render-snapshots.js";
import { selector } from "./select.js";

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

/** The environment a path belongs to; without configured environments, the branch's name. */
function environmentOf(config: Config, branch: string): (path: string) => string {
  const envs = environmentsOf(config).map((e) => [e.name, globMatcher(e.paths)] as const);
  if (envs.length === 0) return () => branch;
  return (path) => envs.find(([, m]) => m(path))?.[0] ?? "unassigned";
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

  // 4. What changed, and which of it is a manifest.
  const changed = await reader.diffCommits(before, pr.mergeSha);
  const formatOf = selector(config);
  const manifests = changed.files.flatMap((f) => {
    const format = formatOf(f.path);
    return format ? [{ ...f, format }] : [];
  });
  if (manifests.length === 0 && config.release.without_manifests === "none") return "skipped";

  // 5. Rendered roots the merge touches, both sides; their inputs are not read as files.
  const rendered = await renderedSnapshots({ repo: pr.repo, before, after: pr.mergeSha, changed: changed.files.flatMap((f) => (f.previousPath ? [f.path, f.previousPath] : [f.path])) }, config, deps);

  // 6. The other manifests, both sides parsed with the same parsers as the check.
  const read = async (sha: string | undefined, f: ChangedFile & { format: string }, size: number | undefined): Promise<unknown[]> => {
    // Sizes come from the trees: a blob over the limit is never downloaded.
    if (!sha || size === undefined || size > DEFAULT_LIMITS.maxBytes) return [];
    const blob = await reader.readBlob(sha, DEFAULT_LIMITS.maxBytes);
    if ("tooLarge" in blob) return [];
    const parsed = parseFile({ path: f.path, bytes: blob.bytes }, f.format);
    return parsed.ok ? parsed.documents.map((d) => d.content) : [];
  };
  const sides = await mapLimit(manifests.filter((f) => !rendered.rendered.has(f.path)), CONTENT_CONCURRENCY, async (f) => ({
    file: f,
    before: await read(f.status === "added" || f.baseKind !== "file" ? undefined : f.baseSha, f, f.baseSize),
    after: await read(f.status === "removed" || f.kind !== "file" ? undefined : f.sha, f, f.size),
  }));

  // 7. Facts per environment, and who owns rolling each back.
  const envOf = environmentOf(config, pr.baseRef);
  const byEnv = new Map<string, { before: ManifestSnapshot[]; after: ManifestSnapshot[] }>();
  const add = (env: string, path: string, before: readonly unknown[], after: readonly unknown[]) => {
    const slot = byEnv.get(env) ?? { before: [], after: [] };
    slot.before.push({ path, documents: before });
    slot.after.push({ path, documents: after });
    byEnv.set(env, slot);
  };
  for (const s of sides) add(envOf(s.file.path), s.file.path, s.before, s.after);
  for (const r of rendered.snapshots) {
    // A side that cannot be rendered would read as every object added or removed: leave it out, and say so.
    if (r.error) continue;
    const env = r.environment ?? envOf(r.files[0] ?? r.target.root);
    const [first, ...rest] = r.files.length ? r.files : [r.target.label];
    add(env, first as string, r.before, r.after);
    for (const f of rest) add(env, f, [], []);
  }
  let codeowners: string | undefined;
  for (const path of CODEOWNERS_PATHS) {
    const f = await reader.readFile(pr.repo, path, pr.mergeSha);
    if (f) {
      codeowners = Buffer.from(f.bytes).toString("utf8");
      break;
    }
  }
  const matcher = codeOwnersMatcher();
  const environments = [...byEnv].sort(([a], [b]) => a.localeCompare(b)).map(([env, s]) => {
    const facts = diffEnvironment(env, s.before, s.after);
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
    ...(rendered.snapshots.some((r) => r.error) ? { renderErrors: rendered.snapshots.flatMap((r) => (r.error ? [r.error] : [])) } : {}),
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
