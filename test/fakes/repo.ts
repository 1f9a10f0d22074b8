// A fake repository for the RepoReader fake: commits are whole trees (path → text), blobs
// are addressed by git's own blob hash, so shas line up as they do on GitHub.
import { createHash } from "node:crypto";

export function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest("hex");
}

export interface FakeCommit {
  readonly sha: string;
  readonly files: ReadonlyMap<string, string>;
  readonly parents: readonly string[];
  readonly message: string;
  /** Paths of `files` that are symbolic links: their content is the target. */
  readonly links: ReadonlySet<string>;
  /** Submodules: path → commit of the other repository. */
  readonly submodules: ReadonlyMap<string, string>;
}

export class FakeRepo {
  readonly commits = new Map<string, FakeCommit>();
  readonly blobs = new Map<string, string>();
  readonly branches = new Map<string, string>();
  private counter = 0;

  /** Adds a commit whose tree is `files`; returns its sha. */
  commit(files: Record<string, string>, options: { parents?: string[]; message?: string; branch?: string; links?: string[]; submodules?: Record<string, string> } = {}): string {
    const sha = createHash("sha1").update(`commit ${++this.counter} ${JSON.stringify([files, options.links, options.submodules])}`).digest("hex");
    for (const content of Object.values(files)) this.blobs.set(blobSha(content), content);
    this.commits.set(sha, {
      sha, files: new Map(Object.entries(files)), parents: options.parents ?? [], message: options.message ?? `commit ${this.counter}`,
      links: new Set(options.links ?? []), submodules: new Map(Object.entries(options.submodules ?? {})),
    });
    if (options.branch) this.branches.set(options.branch, sha);
    return sha;
  }

  /** The commit a ref names: a sha, or a branch. */
  resolve(ref: string): FakeCommit | undefined {
    return this.commits.get(ref) ?? this.commits.get(this.branches.get(ref) ?? "");
  }
}
