// Fake of the RepoReader seam (policy-bot's pulltest.Context idea): state to answer from,
// and an error to throw per method.
import type { ChangedFile, ChangedFiles, PathEntry, RepoReader, RepoRef, TreeEntry } from "../../src/github/types.js";
import { pairRenames } from "../../src/github/octokit.js";
import { blobSha, FakeRepo, listFiles } from "./repo.js";

export class FakeRepoReader implements RepoReader {
  /** Repositories by `owner/repo`; `repo` is the one being judged. */
  readonly repos = new Map<string, FakeRepo>();
  /** Errors to throw, per method. */
  readonly failWith: Partial<Record<keyof RepoReader, Error>> = {};
  /** Pull requests: base and head commits. */
  readonly pulls = new Map<number, { base: string; head: string }>();
  approved: string[] = [];
  policy: { conclusion: string; url: string; summary: string } | undefined;
  readonly roles = new Map<string, string>();
  /** Teams (`org/slug`) and their members. */
  readonly teams = new Map<string, Set<string>>();
  readonly calls: Array<keyof RepoReader> = [];
  /** Blob shas read, in order. */
  readonly blobReads: string[] = [];

  constructor(readonly ref: RepoRef, readonly repo = new FakeRepo()) {
    this.repos.set(`${ref.owner}/${ref.repo}`, repo);
  }

  private enter(method: keyof RepoReader): void {
    this.calls.push(method);
    const error = this.failWith[method];
    if (error) throw error;
  }

  /** As GitHub's list-files: paths, statuses and shas; no sizes, kinds or base blobs. */
  async listChangedFiles(pull: number): Promise<ChangedFiles> {
    this.enter("listChangedFiles");
    const pr = this.pulls.get(pull);
    if (!pr) throw new Error(`list files of #${pull}: no such pull request`);
    // GitHub's list: renames by similar content, with the previous path.
    const renamed = new Map(
      listFiles(this.repo.resolve(pr.base)?.files ?? new Map(), this.repo.resolve(pr.head)?.files ?? new Map())
        .filter((f) => f.previousPath)
        .map((f) => [f.path, f.previousPath as string]),
    );
    const files = this.diff(pr.base, pr.head).files.filter((f) => !(f.status === "removed" && [...renamed.values()].includes(f.path)));
    return {
      files: files.map((f) => (renamed.has(f.path) ? { path: f.path, status: "renamed", sha: f.sha, previousPath: renamed.get(f.path) as string } : { path: f.path, status: f.status, sha: f.sha })),
      truncated: false,
    };
  }

  /** Every entry of a commit: files, links and submodules. */
  entries(sha: string): TreeEntry[] {
    const c = this.repo.resolve(sha);
    if (!c) return [];
    const files = [...c.files].map(([path, content]): TreeEntry => ({ path, sha: blobSha(content), size: Buffer.byteLength(content), kind: c.links.has(path) ? "link" : "file" }));
    return [...files, ...[...c.submodules].map(([path, sha]): TreeEntry => ({ path, sha, size: 0, kind: "submodule" }))];
  }

  async tree(sha: string): Promise<{ files: TreeEntry[]; truncated: boolean }> {
    this.enter("tree");
    return { files: this.entries(sha), truncated: false };
  }

  async lookup(sha: string, paths: readonly string[]): Promise<ReadonlyMap<string, PathEntry>> {
    this.enter("lookup");
    const entries = new Map(this.entries(sha).map((e) => [e.path, e]));
    const out = new Map<string, PathEntry>();
    for (const p of paths) {
      const e = entries.get(p);
      if (e) out.set(p, e);
      else if ([...entries.keys()].some((k) => k.startsWith(`${p}/`))) out.set(p, { path: p, kind: "folder" });
    }
    return out;
  }

  async diffCommits(baseSha: string, headSha: string): Promise<ChangedFiles> {
    this.enter("diffCommits");
    return this.diff(baseSha, headSha);
  }

  private diff(baseSha: string, headSha: string): ChangedFiles {
    const base = new Map(this.entries(baseSha).map((e) => [e.path, e]));
    const head = new Map(this.entries(headSha).map((e) => [e.path, e]));
    const files: ChangedFile[] = [];
    for (const [path, e] of head) {
      const b = base.get(path);
      if (b?.sha === e.sha && b.kind === e.kind) continue;
      files.push({ path, sha: e.sha, size: e.size, kind: e.kind, status: b ? "modified" : "added", ...(b ? { baseSha: b.sha, baseSize: b.size, baseKind: b.kind } : {}) });
    }
    for (const [path, b] of base) if (!head.has(path)) files.push({ path, sha: b.sha, size: b.size, kind: b.kind, status: "removed", baseSha: b.sha, baseSize: b.size, baseKind: b.kind });
    return { files: pairRenames(files), truncated: false };
  }

  async readBlob(sha: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
    this.enter("readBlob");
    this.blobReads.push(sha);
    const content = this.repo.blobs.get(sha);
    if (content === undefined) throw new Error(`read blob ${sha}: not found`);
    const bytes = Buffer.from(content);
    return bytes.length > maxBytes ? { tooLarge: bytes.length } : { bytes };
  }

  async readFile(target: RepoRef, path: string, ref?: string): Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined> {
    this.enter("readFile");
    const repo = this.repos.get(`${target.owner}/${target.repo}`);
    const commit = repo?.resolve(ref ?? "main");
    const content = commit?.files.get(path);
    return content === undefined ? undefined : { bytes: Buffer.from(content), ref: ref ?? "default branch", sha: blobSha(content) };
  }

  async currentHead(pull: number): Promise<string> {
    this.enter("currentHead");
    const pr = this.pulls.get(pull);
    if (!pr) throw new Error(`get #${pull}: no such pull request`);
    return pr.head;
  }

  async getCommit(sha: string): Promise<{ sha: string; parents: string[]; message: string }> {
    this.enter("getCommit");
    const c = this.repo.commits.get(sha);
    if (!c) throw new Error(`get commit ${sha}: not found`);
    return { sha, parents: [...c.parents], message: c.message };
  }

  async approvers(): Promise<string[]> {
    this.enter("approvers");
    return this.approved;
  }

  async isTeamMember(org: string, team: string, user: string): Promise<boolean> {
    this.enter("isTeamMember");
    return this.teams.get(`${org}/${team}`)?.has(user) ?? false;
  }

  async policyCheck(): Promise<{ conclusion: string; url: string; summary: string } | undefined> {
    this.enter("policyCheck");
    return this.policy;
  }

  async branchHead(branch: string): Promise<string> {
    this.enter("branchHead");
    const sha = this.repo.branches.get(branch);
    if (!sha) throw new Error(`get branch ${branch}: not found`);
    return sha;
  }

  async permission(user: string): Promise<string> {
    this.enter("permission");
    return this.roles.get(user) ?? "none";
  }
}
