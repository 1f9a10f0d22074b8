// Fake of the SourceReader seam over the FakeRepos of a FakeRepoReader: refs resolve to
// commits, folders list their files with a tree id that changes with their content.
import { createHash } from "node:crypto";
import type { GitEntry, RepoRef, SourceReader } from "../../src/github/types.js";
import type { FakeRepoReader } from "./repo-reader.js";
import { blobSha } from "./repo.js";

export class FakeSourceReader implements SourceReader {
  readonly failWith: Partial<Record<keyof SourceReader, Error>> = {};
  readonly calls: Array<keyof SourceReader> = [];

  constructor(private readonly world: FakeRepoReader) {}

  private enter(method: keyof SourceReader): void {
    this.calls.push(method);
    const error = this.failWith[method];
    if (error) throw error;
  }

  async resolveCommit(repo: RepoRef, ref: string | undefined): Promise<string | undefined> {
    this.enter("resolveCommit");
    return this.world.repos.get(`${repo.owner}/${repo.repo}`)?.resolve(ref ?? "main")?.sha;
  }

  async entry(repo: RepoRef, commit: string, path: string): Promise<GitEntry | undefined> {
    this.enter("entry");
    const files = this.world.repos.get(`${repo.owner}/${repo.repo}`)?.commits.get(commit)?.files;
    if (!files) return undefined;
    const file = files.get(path);
    if (file !== undefined) return { type: "blob", sha: blobSha(file), size: Buffer.byteLength(file) };
    const prefix = path ? `${path}/` : "";
    const below = [...files].filter(([p]) => p.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b));
    if (below.length === 0) return undefined;
    const sha = createHash("sha1").update(below.map(([p, c]) => `${p}\0${blobSha(c)}`).join("\n")).digest("hex");
    return { type: "tree", sha, files: below.map(([p, c]) => ({ path: p.slice(prefix.length), sha: blobSha(c), size: Buffer.byteLength(c) })) };
  }

  async readBlob(repo: RepoRef, sha: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }> {
    this.enter("readBlob");
    const content = this.world.repos.get(`${repo.owner}/${repo.repo}`)?.blobs.get(sha);
    if (content === undefined) throw new Error(`read blob ${sha}: not found`);
    const bytes = Buffer.from(content);
    return bytes.length > maxBytes ? { tooLarge: bytes.length } : { bytes };
  }
}
