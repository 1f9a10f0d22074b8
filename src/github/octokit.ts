import type { ProbotOctokit } from "probot";
import { MAX_ANNOTATIONS_PER_REQUEST, MAX_GRAPHQL_BLOB_BYTES, MAX_PER_PAGE, MAX_PULL_REQUEST_FILES } from "../limits.js";
import { GraphqlReader, type PullState } from "./graphql.js";
import { treeReader } from "./trees.js";
import { retryDelay } from "../queue/retry.js";
import type { Annotation, ChangedFile, ChangedFiles, CheckOutput, CheckPublisher, CommentStore, Conclusion, PathEntry, ReleaseStore, RepoReader, RepoRef, RevertWriter } from "./types.js";

export type Octokit = InstanceType<typeof ProbotOctokit>;

export const CHECK_NAME = "gitops-gate";

function status(e: unknown): number | undefined {
  return (e as { status?: number }).status;
}

/**
 * Renames among the changes of a tree diff: a file removed at one path and added at another
 * with the same content is one rename, as GitHub lists it.
 */
export function pairRenames(files: readonly ChangedFile[]): ChangedFile[] {
  const removed = files.filter((f) => f.status === "removed");
  const bySha = new Map<string, ChangedFile[]>();
  for (const f of removed) bySha.set(f.sha, [...(bySha.get(f.sha) ?? []), f]);
  const renamedFrom = new Set<string>();
  const out: ChangedFile[] = [];
  for (const f of files) {
    if (f.status !== "added") continue;
    const from = bySha.get(f.sha)?.shift();
    if (!from) continue;
    renamedFrom.add(from.path);
    out.push({ ...f, status: "renamed", baseSha: f.sha, previousPath: from.path, ...(from.size !== undefined ? { baseSize: from.size } : {}), ...(from.kind ? { baseKind: from.kind } : {}) });
  }
  const renamedTo = new Set(out.map((f) => f.path));
  return [...files.filter((f) => !renamedTo.has(f.path) && !(f.status === "removed" && renamedFrom.has(f.path))), ...out];
}

/** Check runs as GitHub lists them: only the ones this App created count (`app.id`). */
interface ListedRun {
  readonly app?: { readonly id?: number } | null;
}

/** Runs of this App: asked of GitHub by `app_id`, and checked again on each run listed. */
function ours<T extends ListedRun>(runs: readonly T[], appId: number): T[] {
  return runs.filter((r) => r.app?.id === appId);
}

/**
 * `appId` is this App's id: the policy verdict a merge record reads back comes only from
 * check runs this App created, never from another App (or a token with checks: write)
 * that named a run `gitops-gate`.
 */
/** One job's GraphQL reads, shared by its reader, check publisher and comment store so they batch together. */
export function graphqlReader(octokit: Octokit): GraphqlReader {
  return new GraphqlReader((query, variables) => octokit.graphql(query, variables));
}

/**
 * GraphQL is a faster way to the same answers: when it fails as a server does (5xx, a
 * network error), REST is asked instead. A rate limit is not routed around (REST would
 * spend the same budget faster): it goes to the queue, which waits as GitHub asks.
 */
function orRest<T>(asked: Promise<T>): Promise<T | undefined> {
  return asked.catch((e: unknown) => {
    if (retryDelay(e, 1) !== undefined && !isRateLimit(e)) return undefined;
    throw e;
  });
}

function isRateLimit(e: unknown): boolean {
  const s = status(e);
  return s === 403 || s === 429;
}

/** A promise kept per key for the job's lifetime, forgotten when it fails (so a retry asks again). */
function memo<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let hit = cache.get(key);
  if (!hit) {
    hit = make();
    cache.set(key, hit);
    hit.catch(() => cache.delete(key));
  }
  return hit;
}

/**
 * Reads a job makes, each once: files at a ref, the pull request's files and head, and what
 * is at paths of a commit come from memory the second time (the pipeline asks for them early,
 * all at once, and again where it uses them). Blob contents, files and entries go through
 * GraphQL in batches; REST answers what GraphQL cannot give whole.
 */
export function octokitRepoReader(octokit: Octokit, repo: RepoRef, appId: number, gql: GraphqlReader = graphqlReader(octokit)): RepoReader {
  const trees = treeReader(async (treeSha, recursive) => (await octokit.rest.git.getTree({ ...repo, tree_sha: treeSha, ...(recursive ? { recursive: "true" } : {}) })).data);
  const files = new Map<string, Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined>>();
  const entries = new Map<string, Promise<PathEntry | null | undefined>>();
  const lists = new Map<string, Promise<ChangedFiles>>();
  const heads = new Map<string, Promise<string>>();
  const restFile = async (target: RepoRef, path: string, ref: string | undefined) => {
    try {
      const { data } = await octokit.rest.repos.getContent({ ...target, path, ...(ref ? { ref } : {}) });
      if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return undefined;
      return { bytes: Buffer.from(data.content, "base64") as Uint8Array, ref: ref ?? "default branch", sha: data.sha };
    } catch (e) {
      if (status(e) === 404) return undefined;
      throw e;
    }
  };
  const listFiles = async (pull: number, expectedCount: number): Promise<ChangedFiles> => {
    const files: ChangedFile[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...repo, pull_number: pull, per_page: MAX_PER_PAGE })) {
      for (const f of page.data) files.push({ path: f.filename, status: f.status, sha: f.sha ?? "", ...(f.previous_filename ? { previousPath: f.previous_filename } : {}) });
      if (files.length >= MAX_PULL_REQUEST_FILES) break;
    }
    return { files, truncated: expectedCount > files.length || files.length > MAX_PULL_REQUEST_FILES };
  };
  return {
    listChangedFiles: (pull, expectedCount) => memo(lists, `${pull}:${expectedCount}`, () => listFiles(pull, expectedCount)),
    async tree(sha) {
      const { entries: all, truncated } = await trees.full(sha);
      return { files: all, truncated };
    },
    async lookup(sha, paths) {
      // The commit's whole tree when it is (being) read anyway; else only these paths, in one query.
      if (trees.listed(sha)) return trees.lookup(sha, paths);
      const found = await Promise.all(paths.map((p) => memo(entries, `${sha}:${p}`, () => orRest(gql.entry(repo, sha, p)))));
      if (found.some((e) => e === undefined)) return trees.lookup(sha, paths);
      return new Map(found.flatMap((e) => (e ? [[e.path, e] as const] : [])));
    },
    async diffCommits(baseSha, headSha) {
      // Trees, not the compare API: compare lists at most 300 files.
      const [base, head] = await Promise.all([trees.full(baseSha), trees.full(headSha)]);
      const before = new Map(base.entries.map((e) => [e.path, e]));
      const after = new Map(head.entries.map((e) => [e.path, e]));
      const files: ChangedFile[] = [];
      for (const [path, e] of after) {
        const b = before.get(path);
        if (b?.sha === e.sha && b.kind === e.kind) continue;
        files.push({ path, sha: e.sha, size: e.size, kind: e.kind, status: b ? "modified" : "added", ...(b ? { baseSha: b.sha, baseSize: b.size, baseKind: b.kind } : {}) });
      }
      for (const [path, b] of before) {
        if (!after.has(path)) files.push({ path, sha: b.sha, size: b.size, kind: b.kind, status: "removed", baseSha: b.sha, baseSize: b.size, baseKind: b.kind });
      }
      return { files: pairRenames(files), truncated: base.truncated || head.truncated };
    },
    async readBlob(sha, maxBytes, treeSize) {
      if (treeSize === undefined || treeSize <= MAX_GRAPHQL_BLOB_BYTES) {
        const read = await orRest(gql.blob(repo, sha));
        if (read) return read.bytes.length > maxBytes ? { tooLarge: read.bytes.length } : { bytes: read.bytes };
      }
      const { data } = await octokit.rest.git.getBlob({ ...repo, file_sha: sha });
      const size = data.size ?? 0;
      if (size > maxBytes) return { tooLarge: size };
      return { bytes: Buffer.from(data.content, data.encoding === "base64" ? "base64" : "utf8") };
    },
    readFile(target, path, ref) {
      return memo(files, `${target.owner}/${target.repo}:${ref ?? ""}:${path}`, async () => {
        // `HEAD` in GraphQL is the default branch, as REST without a ref.
        const read = await orRest(gql.file(target, ref ?? "HEAD", path));
        if (read === null) return undefined;
        if (read) return { bytes: read.bytes, ref: ref ?? "default branch", sha: read.sha };
        return restFile(target, path, ref);
      });
    },
    currentHead(pull) {
      return memo(heads, String(pull), async () => {
        const state = await orRest(gql.pull(repo, pull));
        if (state) return state.head;
        const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pull });
        return data.head.sha;
      });
    },
    async getCommit(sha) {
      const { data } = await octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
      return { sha: data.sha, parents: data.parents.map((p) => p.sha), message: data.message };
    },
    async isTeamMember(org, team, user) {
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({ org, team_slug: team, username: user });
        return data.state === "active";
      } catch (e) {
        if (status(e) === 404) return false;
        throw e;
      }
    },
    async approvers(pull, headSha) {
      const latest = new Map<string, { state: string; commit: string | null }>();
      for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listReviews, { ...repo, pull_number: pull, per_page: MAX_PER_PAGE })) {
        for (const r of page.data) {
          // Comments do not change a reviewer's verdict; approvals and change requests do.
          if (r.user && r.state !== "COMMENTED") latest.set(r.user.login, { state: r.state, commit: r.commit_id });
        }
      }
      return [...latest].filter(([, r]) => r.state === "APPROVED" && r.commit === headSha).map(([u]) => u).sort();
    },
    async policyCheck(headSha) {
      const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: headSha, check_name: CHECK_NAME, status: "completed", app_id: appId, per_page: MAX_PER_PAGE });
      const run = ours(data.check_runs, appId).sort((a, b) => String(b.completed_at).localeCompare(String(a.completed_at)))[0];
      return run ? { conclusion: run.conclusion ?? "neutral", url: run.html_url ?? "", summary: run.output.summary ?? "" } : undefined;
    },
    async branchHead(branch) {
      const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
      return data.commit.sha;
    },
    async permission(user) {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: user });
        return data.role_name ?? data.permission;
      } catch (e) {
        if (status(e) === 404) return "none";
        throw e;
      }
    },
  };
}

/** `name`: the check run's name (the PR verdict's by default, `gitops-gate/baseline` for baselines); `gql`: the job's GraphQL reader. */
export function octokitCheckPublisher(octokit: Octokit, repo: RepoRef, appId: number, options: { name?: string; gql?: GraphqlReader } = {}): CheckPublisher {
  const name = options.name ?? CHECK_NAME;
  const gql = options.gql ?? graphqlReader(octokit);
  const annotate = async (id: number, output: CheckOutput, annotations: readonly Annotation[]) => {
    for (let i = 0; i < annotations.length; i += MAX_ANNOTATIONS_PER_REQUEST) {
      const batch = annotations.slice(i, i + MAX_ANNOTATIONS_PER_REQUEST) as Annotation[];
      await octokit.rest.checks.update({ ...repo, check_run_id: id, output: { title: output.title, summary: output.summary, annotations: batch } });
    }
  };
  const text = (output: CheckOutput) => ({ title: output.title, summary: output.summary, ...(output.text ? { text: output.text } : {}) });
  const first = (annotations: readonly Annotation[]) => (annotations.length ? { annotations: annotations.slice(0, MAX_ANNOTATIONS_PER_REQUEST) as Annotation[] } : {});
  return {
    async findByExternalId(headSha, externalId) {
      // In the job's first GraphQL query when the pipeline asks early; REST when GraphQL cannot say.
      const listed = await orRest(gql.checkRuns(repo, headSha, appId, name));
      if (listed) {
        const run = listed.find((r) => r.externalId === externalId);
        return run ? { id: run.id, completed: run.completed } : undefined;
      }
      const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: headSha, check_name: name, app_id: appId, per_page: MAX_PER_PAGE });
      const run = ours(data.check_runs, appId).find((r) => r.external_id === externalId);
      return run ? { id: run.id, completed: run.status === "completed" } : undefined;
    },
    async start(headSha, externalId) {
      const { data } = await octokit.rest.checks.create({
        ...repo,
        name,
        head_sha: headSha,
        external_id: externalId,
        status: "in_progress",
        started_at: new Date().toISOString(),
        output: { title: "Evaluating manifests", summary: "gitops-gate is evaluating the changed manifests." },
      });
      return data.id;
    },
    annotate,
    async complete(id, conclusion: Conclusion, output: CheckOutput, annotations = []) {
      await octokit.rest.checks.update({ ...repo, check_run_id: id, status: "completed", conclusion, completed_at: new Date().toISOString(), output: { ...text(output), ...first(annotations) } });
      await annotate(id, output, annotations.slice(MAX_ANNOTATIONS_PER_REQUEST));
    },
    async publish(headSha, externalId, conclusion, output, annotations) {
      const now = new Date().toISOString();
      const { data } = await octokit.rest.checks.create({
        ...repo, name, head_sha: headSha, external_id: externalId,
        status: "completed", conclusion, started_at: now, completed_at: now, output: { ...text(output), ...first(annotations) },
      });
      await annotate(data.id, output, annotations.slice(MAX_ANNOTATIONS_PER_REQUEST));
      return data.id;
    },
  };
}

/** The pull request's comments: the App's marker comment from the job's GraphQL query when it is among the last 100. */
export function octokitCommentStore(octokit: Octokit, repo: RepoRef, issue: number, gql: GraphqlReader = graphqlReader(octokit)): CommentStore {
  // The pull request's state is read once per job (asked early, used when writing).
  let pull: Promise<PullState | undefined> | undefined;
  return {
    async find(marker) {
      if (issue && !pull) {
        const asked = orRest(gql.pull(repo, issue));
        pull = asked;
        asked.catch(() => {
          if (pull === asked) pull = undefined;
        });
      }
      const state = pull ? await pull : undefined;
      const mine = state?.comments.findLast((c) => c.body.includes(marker));
      if (mine) return mine;
      if (state?.allComments) return undefined;
      for await (const page of octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: issue, per_page: MAX_PER_PAGE })) {
        const found = page.data.find((c) => c.body?.includes(marker) && c.user?.type === "Bot");
        if (found) return { id: found.id, body: found.body ?? "" };
      }
      return undefined;
    },
    async create(body) {
      pull = undefined;
      await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body });
    },
    async update(id, body) {
      pull = undefined;
      await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body });
    },
  };
}

export const RELEASE_CHECK_NAME = "gitops-gate/release";

/** Release records are this App's check runs only: another App's run of the same name is no record (`appId`). */
export function octokitReleaseStore(octokit: Octokit, repo: RepoRef, appId: number): ReleaseStore {
  return {
    async find(mergeSha) {
      const { data } = await octokit.rest.checks.listForRef({ ...repo, ref: mergeSha, check_name: RELEASE_CHECK_NAME, app_id: appId, per_page: MAX_PER_PAGE });
      const run = ours(data.check_runs, appId)[0];
      return run ? { id: run.id, text: run.output.text ?? "" } : undefined;
    },
    async publish(mergeSha, output) {
      const { data } = await octokit.rest.checks.create({
        ...repo, name: RELEASE_CHECK_NAME, head_sha: mergeSha, external_id: `release:${mergeSha}`,
        status: "completed", conclusion: "neutral", completed_at: new Date().toISOString(), output,
      });
      return { id: data.id, url: data.html_url ?? "" };
    },
    async tagRelease({ tag, mergeSha, name, body }) {
      const { data: tagObject } = await octokit.rest.git.createTag({ ...repo, tag, message: name, object: mergeSha, type: "commit" });
      try {
        await octokit.rest.git.createRef({ ...repo, ref: `refs/tags/${tag}`, sha: tagObject.sha });
      } catch (e) {
        if (status(e) === 422) return "exists";
        throw e;
      }
      await octokit.rest.repos.createRelease({ ...repo, tag_name: tag, name, body });
      return "created";
    },
  };
}

export function octokitRevertWriter(octokit: Octokit, repo: RepoRef): RevertWriter {
  return {
    async commit(parent, changes, message) {
      const { data: parentCommit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: parent });
      const { data: tree } = await octokit.rest.git.createTree({
        ...repo,
        base_tree: parentCommit.tree.sha,
        tree: changes.map((c) =>
          c.kind === "submodule" ? { path: c.path, mode: "160000" as const, type: "commit" as const, sha: c.sha } : { path: c.path, mode: c.kind === "link" ? ("120000" as const) : ("100644" as const), type: "blob" as const, sha: c.sha },
        ),
      });
      const { data } = await octokit.rest.git.createCommit({ ...repo, message, tree: tree.sha, parents: [parent] });
      return data.sha;
    },
    async createBranch(name, sha) {
      try {
        await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${name}`, sha });
        return "created";
      } catch (e) {
        if (status(e) === 422) return "exists";
        throw e;
      }
    },
    async resetBranch(name, sha) {
      await octokit.rest.git.updateRef({ ...repo, ref: `heads/${name}`, sha, force: true });
    },
    async findOpenPull(head) {
      const { data } = await octokit.rest.pulls.list({ ...repo, state: "open", head: `${repo.owner}:${head}`, per_page: 1 });
      const pr = data[0];
      return pr ? { number: pr.number, url: pr.html_url } : undefined;
    },
    async openPull(params) {
      const { data } = await octokit.rest.pulls.create({ ...repo, ...params });
      return { number: data.number, url: data.html_url };
    },
  };
}
