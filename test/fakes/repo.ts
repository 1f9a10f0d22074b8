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

/** How alike two texts are, by shared lines (git counts a rename at 50% similarity). */
export function similarity(a: string, b: string): number {
  const left = a.split("\n");
  const right = new Map<string, number>();
  for (const l of b.split("\n")) right.set(l, (right.get(l) ?? 0) + 1);
  let same = 0;
  for (const l of left) {
    const n = right.get(l) ?? 0;
    if (n > 0) {
      same++;
      right.set(l, n - 1);
    }
  }
  return same / Math.max(left.length, b.split("\n").length);
}

/**
 * A pull request's files as GitHub lists them: added, modified, removed, and a file removed
 * at one path and added at another with at least half its lines as `renamed`, with the
 * previous path.
 */
export function listFiles(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): Array<{ path: string; status: string; content: string; previousPath?: string }> {
  const out: Array<{ path: string; status: string; content: string; previousPath?: string }> = [];
  const removed = [...base].filter(([p]) => !head.has(p));
  const used = new Set<string>();
  for (const [path, content] of head) {
    const before = base.get(path);
    if (before === content) continue;
    if (before !== undefined) {
      out.push({ path, status: "modified", content });
      continue;
    }
    const from = removed.filter(([p]) => !used.has(p)).map(([p, c]) => [p, similarity(c, content)] as const).filter(([, s]) => s >= 0.5).sort((a, b) => b[1] - a[1])[0]?.[0];
    if (from !== undefined) {
      used.add(from);
      out.push({ path, status: "renamed", content, previousPath: from });
    } else out.push({ path, status: "added", content });
  }
  for (const [path, content] of removed) if (!used.has(path)) out.push({ path, status: "removed", content });
  return out;
}
