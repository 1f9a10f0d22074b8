import picomatch from "picomatch";
import { loadConfig } from "../config/load.js";
import { DEFAULT_CONFIG, type GateConfig } from "../config/schema.js";
import type { ChangedFile, CommentStore, ReleaseStore, RepoReader, RepoRef } from "../github/types.js";
import { parseFile } from "../manifests/index.js";
import { DEFAULT_LIMITS } from "../manifests/types.js";
import { diffEnvironment, type ManifestSnapshot } from "../release/facts.js";
import { codeOwners, codeOwnersMatcher, linkedIssues, rollbackNotes, type MergeMethod, type ReleaseRecord } from "../release/record.js";
import { RELEASE_COMMENT_MARKER, renderReleaseComment, renderReleaseJson, renderReleaseMarkdown } from "../render/release.js";
import { mapLimit } from "./map-limit.js";
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
  readonly releases: ReleaseStore;
  readonly comments: CommentStore;
}

export type MergeOutcome = "recorded" | "duplicate" | "skipped";

const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];
const CONCURRENCY = 8;


/** How GitHub merged: two parents is a merge commit; one parent and the PR number in the message, a squash. */
function mergeMethod(parents: number, message: string, number: number, commits: number): MergeMethod {
  if (parents > 1) return "merge";
  if (commits <= 1 || message.split("\n")[0]?.includes(`(#${number})`)) return "squash";
  return "rebase";
}

/** The environment a path belongs to; without configured environments, the branch's name. */
function environmentOf(config: GateConfig, branch: string): (path: string) => string {
  const envs = Object.entries(config.environments).map(([name, e]) => [name, picomatch([...e.paths], { dot: true })] as const);
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
  // 1. Config from the branch merged into; only release branches get records.
  const loaded = await loadConfig(pr.repo, (repo, path) => reader.readFile(repo, path, repo.owner === pr.repo.owner && repo.repo === pr.repo.repo ? pr.baseRef : undefined));
  const config = loaded.ok ? loaded.config : undefined;
  const branches = config?.release.branches.length ? config.release.branches : [pr.defaultBranch];
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
  const effective = config ?? DEFAULT_CONFIG;
  const formatOf = selector(effective);
  const manifests = changed.files.flatMap((f) => {
    const format = formatOf(f.path);
    return format ? [{ ...f, format }] : [];
  });
  if (manifests.length === 0 && effective.release.withoutManifests === "none") return "skipped";

  // 5. Both sides parsed with the same parsers as the check.
  const read = async (sha: string | undefined, f: ChangedFile & { format: string }): Promise<unknown[]> => {
    if (!sha) return [];
    const blob = await reader.readBlob(sha, DEFAULT_LIMITS.maxBytes);
    if ("tooLarge" in blob) return [];
    const parsed = parseFile({ path: f.path, bytes: blob.bytes }, f.format);
    return parsed.ok ? parsed.documents.map((d) => d.content) : [];
  };
  const sides = await mapLimit(manifests, CONCURRENCY, async (f) => ({
    file: f,
    before: await read(f.status === "added" ? undefined : (f.baseSha ?? (f.status === "removed" ? f.sha : undefined)), f),
    after: await read(f.status === "removed" ? undefined : f.sha, f),
  }));

  // 6. Facts per environment, and who owns rolling each back.
  const envOf = environmentOf(effective, pr.baseRef);
  const byEnv = new Map<string, { before: ManifestSnapshot[]; after: ManifestSnapshot[] }>();
  for (const s of sides) {
    const env = envOf(s.file.path);
    const slot = byEnv.get(env) ?? { before: [], after: [] };
    slot.before.push({ path: s.file.path, documents: s.before });
    slot.after.push({ path: s.file.path, documents: s.after });
    byEnv.set(env, slot);
  }
  let codeowners: string | undefined;
  for (const path of CODEOWNERS_PATHS) {
    const f = await reader.readFile(pr.repo, path, pr.mergeSha);
    if (f) {
      codeowners = Buffer.from(f.bytes).toString("utf8");
      break;
    }
  }
  const matcher = codeOwnersMatcher(picomatch);
  const environments = [...byEnv].sort(([a], [b]) => a.localeCompare(b)).map(([env, s]) => {
    const facts = diffEnvironment(env, s.before, s.after);
    const configured = effective.environments[env]?.owners ?? [];
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
      summary: policy?.summary.split("\n")[0]?.replace(/^#+\s*/, "") ?? null,
      acceptedWarnings: policy ? Number(/\*\*(\d+)\*\* warning/.exec(policy.summary)?.[1] ?? 0) : null,
    },
    environments,
    manifestsChanged: manifests.length > 0,
  };

  // 8. Publish: the check run holds the JSON; the comment is found again and edited.
  const title = record.manifestsChanged
    ? `Release of #${pr.number}: ${environments.map((e) => e.environment).join(", ")}`
    : `Merge of #${pr.number}: no manifests changed`;
  const published = await deps.releases.publish(pr.mergeSha, { title: title.slice(0, 255), summary: renderReleaseMarkdown(record), text: renderReleaseJson(record) });
  // 9. Optionally a tag and a GitHub release per environment, the record as the body.
  if (effective.release.tags) {
    for (const env of environments) {
      const tag = `release/${env.environment.replace(/[^\w.-]+/g, "-")}/pr-${pr.number}`;
      await deps.releases.tagRelease({ tag, mergeSha: pr.mergeSha, name: `${env.environment}: #${pr.number} ${pr.title}`.slice(0, 255), body: renderReleaseMarkdown({ ...record, environments: [env] }) });
    }
  }
  const body = renderReleaseComment(record, published.url || null);
  const existing = await deps.comments.find(RELEASE_COMMENT_MARKER);
  if (existing) {
    if (existing.body !== body) await deps.comments.update(existing.id, body);
  } else await deps.comments.create(body);
  return "recorded";
}
