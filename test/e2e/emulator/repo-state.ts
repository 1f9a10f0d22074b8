// One repository of the emulator: git objects (commits as whole trees, blobs by git's own
// hash, tree objects for folders), refs, pull requests, check runs, comments, reviews.
import { createHash } from "node:crypto";
import { listFiles } from "../../fakes/repo.js";

export interface Commit {
  readonly sha: string;
  readonly files: ReadonlyMap<string, string>;
  readonly parents: readonly string[];
  readonly message: string;
  /** Paths that are symbolic links (mode 120000): their content is the link's target. */
  readonly links?: ReadonlySet<string>;
  /** Submodules (mode 160000, type commit): path → the commit of the other repository. */
  readonly submodules?: ReadonlyMap<string, string>;
}

export interface PullRequest {
  number: number;
  title: string;
  head: string;
  base: string;
  baseRef: string;
  headRef: string;
  draft: boolean;
  user: string;
  body?: string;
  merged?: boolean;
  mergeSha?: string;
}

export interface CheckRun {
  id: number;
  head_sha: string;
  name: string;
  external_id: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string; annotations: Array<Record<string, unknown>> };
  updates: number;
  started_at: string;
  /** The App that created it (GitHub sets this from the token). */
  app: { id: number; slug: string };
}

export interface Comment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  updated: number;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  labels: string[];
  user: { login: string; type: string };
  updated: number;
}

export function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest("hex");
}

/** A folder's tree sha: a digest of the paths and blobs below it, stable for equal content. */
export function treeSha(files: ReadonlyMap<string, string>, prefix: string): string {
  const h = createHash("sha1").update(`tree ${prefix}\0`);
  for (const [path, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (prefix === "" || path.startsWith(`${prefix}/`)) h.update(`${path.slice(prefix ? prefix.length + 1 : 0)}\0${blobSha(content)}\n`);
  }
  return h.digest("hex");
}

export interface CommitOptions {
  parents?: string[];
  message?: string;
  /** Paths of `files` that are symbolic links: their content is the link's target. */
  links?: string[];
  /** Submodules: path → commit sha of the repository it points to. */
  submodules?: Record<string, string>;
}

export class RepoState {
  defaultBranch = "main";
  readonly commits = new Map<string, Commit>();
  readonly branches = new Map<string, string>();
  readonly blobs = new Map<string, string>();
  readonly pulls = new Map<number, PullRequest>();
  readonly checkRuns: CheckRun[] = [];
  readonly comments: Comment[] = [];
  readonly issues: Issue[] = [];
  /** Reviews per pull request: user, state, commit. */
  readonly reviews = new Map<number, Array<{ user: string; state: string; commit: string }>>();
  readonly tags = new Map<string, string>();
  readonly tagObjects = new Map<string, { tag: string; object: string; message: string }>();
  readonly releases: Array<{ id: number; tag_name: string; name: string; body: string }> = [];
  /** Repository roles per user (admin, maintain, write, triage, read); absent: none. */
  readonly roles = new Map<string, string>();
  /**
   * Required status checks of active rulesets (repository and organisation) per branch. A
   * repository starts as the README's setup leaves it: `gitops-gate` required on main,
   * pinned to the App (id 123); tests of the enforcement audit change it.
   */
  readonly rulesets = new Map<string, Array<{ context: string; integration_id?: number; strict?: boolean }>>([["main", [{ context: "gitops-gate", integration_id: 123 }]]]);
  /** Branch protection per branch (absent: "Branch not protected"). */
  readonly protection = new Map<string, { checks: Array<{ context: string; app_id: number | null }>; strict: boolean }>();
  /** The installation lacks `administration: read`: branch protection answers 403. */
  protectionForbidden = false;
  private commitCounter = 0;

  constructor(
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    /** The installation that can read it; undefined: no installation of the App can. */
    public installationId: number | undefined,
  ) {}

  get fullName(): string {
    return `${this.owner}/${this.name}`;
  }

  /** Adds a commit whose tree is `files` and returns its sha. */
  commit(files: Record<string, string> | Map<string, string>, options: CommitOptions = {}): string {
    const map = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
    for (const content of map.values()) this.blobs.set(blobSha(content), content);
    const hash = createHash("sha1").update(`${this.fullName} commit ${++this.commitCounter}`);
    for (const [path, content] of map) hash.update(`${path}\0${blobSha(content)}\n`);
    const sha = hash.update(JSON.stringify([options.links ?? [], Object.entries(options.submodules ?? {})])).digest("hex");
    this.commits.set(sha, {
      sha, files: map, parents: options.parents ?? [], message: options.message ?? `commit ${this.commitCounter}`,
      ...(options.links ? { links: new Set(options.links) } : {}),
      ...(options.submodules ? { submodules: new Map(Object.entries(options.submodules)) } : {}),
    });
    return sha;
  }

  /** A branch, a tag or a commit sha → the commit. */
  resolve(ref: string | null): Commit | undefined {
    const name = ref ?? this.defaultBranch;
    const bare = name.replace(/^refs\/(heads|tags)\//, "");
    return this.commits.get(this.branches.get(bare) ?? this.tags.get(bare) ?? name);
  }

  /** The files of a pull request as GitHub lists them: a removed file re-added elsewhere with at least half its lines is `renamed`, with `previous_filename`. */
  changedFiles(pr: PullRequest): Array<{ filename: string; status: string; sha: string; previous_filename?: string }> {
    const base = this.commits.get(pr.base)?.files ?? new Map<string, string>();
    const head = this.commits.get(pr.head)?.files ?? new Map<string, string>();
    const out: Array<{ filename: string; status: string; sha: string; previous_filename?: string }> = listFiles(base, head).map((f) => ({
      filename: f.path, status: f.status, sha: blobSha(f.content), ...(f.previousPath ? { previous_filename: f.previousPath } : {}),
    }));
    // Submodules are listed with the commit they point to, as GitHub lists them.
    const baseSubs = this.commits.get(pr.base)?.submodules ?? new Map<string, string>();
    for (const [path, sha] of this.commits.get(pr.head)?.submodules ?? []) {
      const before = baseSubs.get(path);
      if (before !== sha) out.push({ filename: path, status: before === undefined ? "added" : "modified", sha });
    }
    return out.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  json(): object {
    return { id: this.id, name: this.name, full_name: this.fullName, default_branch: this.defaultBranch, owner: { login: this.owner, type: "Organization" } };
  }
}
