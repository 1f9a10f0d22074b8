// Fake of the RepoReader seam (policy-bot's pulltest.Context idea): state to answer from,
// and an error to throw per method.
import type { ChangedFile, ChangedFiles, RepoReader, RepoRef } from "../../src/github/types.js";
import { blobSha, FakeRepo } from "./repo.js";

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
  readonly calls: Array<keyof RepoReader> = [];

  constructor(readonly ref: RepoRef, readonly repo = new FakeRepo()) {
    this.repos.set(`${ref.owner}/${ref.repo}`, repo);
  }

  private enter(method: keyof RepoReader): void {
    this.calls.push(method);
    const error = this.failWith[method];
    if (error) throw error;
  }

  async listChangedFiles(pull: number): Promise<ChangedFiles> {
    this.enter("listChangedFiles");
    const pr = this.pulls.get(pull);
    if (!pr) throw new Error(`list files of #${pull}: no such pull request`);
    return this.diff(pr.base, pr.head);
  }

  async tree(sha: string): Promise<{ files: Array<{ path: string; sha: string; size: number }>; truncated: boolean }> {
    this.enter("tree");
    const files = this.repo.resolve(sha)?.files ?? new Map<string, string>();
    return { files: [...files].map(([path, c]) => ({ path, sha: blobSha(c), size: Buffer.byteLength(c) })), truncated: false };
  }

  async diffCommits(baseSha: string, headSha: string): Promise<ChangedFiles> {
    this.enter("diffCommits");
    return this.diff(baseSha, headSha);
  }

  private diff(baseSha: string, headSha: string): ChangedFiles {
    const base = this.repo.resolve(baseSha)?.files ?? new Map<string, string>();
    const head = this.repo.resolve(headSha)?.files ?? new Map<string, string>();
    const files: ChangedFile[] = [];
    for (const [path, content] of head) {
      const before = base.get(path);
      if (before !== content) files.push({ path, sha: blobSha(content), status: before === undefined ? "added" : "modified", ...(before !== undefined ? { baseSha: blobSha(before) } : {}) });
    }
    for (const [path, content] of base) if (!head.has(path)) files.push({ path, sha: blobSha(content), status: "removed", baseSha: blobSha(content) });
    return { files, truncated: false };
  }

  async readBlob(sha: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
    this.enter("readBlob");
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
