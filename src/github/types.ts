// The seam between the pipeline and GitHub (policy-bot's pull.Context idea): small
// interfaces the pipeline sees, an Octokit implementation, and fakes in tests.

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/**
 * What git stores at a path: a file, a symbolic link (mode 120000: its blob holds the
 * target path), or a submodule (mode 160000: a commit of another repository, no blob).
 */
export type EntryKind = "file" | "link" | "submodule";

/** A path of a commit's tree, as the tree API lists it. */
export interface TreeEntry {
  readonly path: string;
  /** Blob sha (a submodule: the commit it points to). */
  readonly sha: string;
  /** Bytes of the blob (0 for a submodule). */
  readonly size: number;
  readonly kind: EntryKind;
}

/** What is at a path of a commit: an entry, or a folder. */
export type PathEntry = TreeEntry | { readonly path: string; readonly kind: "folder" };

export interface ChangedFile {
  readonly path: string;
  readonly status: string;
  /** Blob sha of the file at the head commit (for a removed file: at the base). */
  readonly sha: string;
  /** Blob sha at the base commit, when the file existed there (tree diffs only). */
  readonly baseSha?: string;
  /**
   * Size and kind at the head (a removed file: at the base), from the tree; list-files
   * does not say them, so the pipeline looks them up (`RepoReader.lookup`) before any read.
   */
  readonly size?: number;
  readonly kind?: EntryKind;
  /** Size and kind at the base, when the file existed there (tree diffs only). */
  readonly baseSize?: number;
  readonly baseKind?: EntryKind;
  /** For a renamed file (status `renamed`): its path at the base. */
  readonly previousPath?: string;
}

export interface ChangedFiles {
  readonly files: readonly ChangedFile[];
  /** True when GitHub stopped listing at its limit and files are missing. */
  readonly truncated: boolean;
}

export interface RepoReader {
  listChangedFiles(pull: number, expectedCount: number): Promise<ChangedFiles>;
  /**
   * Every entry of a commit (files, links and submodules, with blob shas and sizes);
   * `truncated` when GitHub could not list them all.
   */
  tree(sha: string): Promise<{ readonly files: readonly TreeEntry[]; readonly truncated: boolean }>;
  /**
   * What is at each of `paths` at a commit (absent paths are left out): from the whole tree,
   * or folder by folder where GitHub truncated it, so sizes are known before any download.
   */
  lookup(sha: string, paths: readonly string[]): Promise<ReadonlyMap<string, PathEntry>>;
  /** Files that differ between two commits, from their trees (merge groups have no pull request). */
  diffCommits(baseSha: string, headSha: string): Promise<ChangedFiles>;
  /**
   * Raw bytes of a blob, or its size when it is larger than `maxBytes`. The blob API sends
   * the content with the size: callers check the size from the tree first and never ask
   * for a blob over their limit; the check here is a second line. `size` (from the tree)
   * lets a large blob skip the batched reads that would only give part of it.
   */
  readBlob(sha: string, maxBytes: number, size?: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }>;
  /** A file at a ref of any repository the installation can read; undefined when absent. */
  readFile(repo: RepoRef, path: string, ref?: string): Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined>;
  /** The pull request's current head sha (for "is this result still the newest?"). */
  currentHead(pull: number): Promise<string>;
  getCommit(sha: string): Promise<{ sha: string; parents: string[]; message: string }>;
  /** Users whose latest review approves `headSha`. */
  approvers(pull: number, headSha: string): Promise<string[]>;
  /** Whether `user` is an active member of the team `org/team` (false when the team or the member is unknown). */
  isTeamMember(org: string, team: string, user: string): Promise<boolean>;
  /** The newest completed gitops-gate check run on a commit. */
  policyCheck(headSha: string): Promise<{ conclusion: string; url: string; summary: string } | undefined>;
  /** The tip of a branch. */
  branchHead(branch: string): Promise<string>;
  /** The user's permission on the repository: admin, maintain, write, triage, read or none. */
  permission(user: string): Promise<string>;
}

/** A completed `gitops-gate/release` check run on a merge commit. */
export interface ReleaseStore {
  find(mergeSha: string): Promise<{ id: number; text: string } | undefined>;
  publish(mergeSha: string, output: { title: string; summary: string; text: string }): Promise<{ id: number; url: string }>;
  /** An annotated tag on the merge commit and a GitHub release from it; "exists" when the tag does. */
  tagRelease(params: { tag: string; mergeSha: string; name: string; body: string }): Promise<"created" | "exists">;
}

export interface TreeChange {
  readonly path: string;
  /** The blob (a submodule: the commit) to put at `path`, or null to delete it. */
  readonly sha: string | null;
  /** What to put there; default a file. */
  readonly kind?: EntryKind;
}

/** Git writes for a revert pull request. */
export interface RevertWriter {
  /** A commit on top of `parent` whose tree is `parent`'s tree with `changes`; returns its sha. */
  commit(parent: string, changes: readonly TreeChange[], message: string): Promise<string>;
  /** Creates the branch, or reports that it exists already. */
  createBranch(name: string, sha: string): Promise<"created" | "exists">;
  /** Points an existing branch at `sha`, whatever it held (a stale revert branch). */
  resetBranch(name: string, sha: string): Promise<void>;
  /** The open pull request from this repository's branch `head`, if there is one. */
  findOpenPull(head: string): Promise<{ number: number; url: string } | undefined>;
  openPull(params: { title: string; head: string; base: string; body: string }): Promise<{ number: number; url: string }>;
}

export type AnnotationLevel = "failure" | "warning" | "notice";

export interface Annotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: AnnotationLevel;
  readonly title: string;
  readonly message: string;
  readonly raw_details?: string;
}

export interface CheckOutput {
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly annotations?: readonly Annotation[];
}

export type Conclusion = "success" | "failure" | "neutral";

export interface CheckPublisher {
  /** A check run this job already started (so a redelivery or a retry starts none), and whether it completed. */
  findByExternalId(headSha: string, externalId: string): Promise<{ readonly id: number; readonly completed: boolean } | undefined>;
  start(headSha: string, externalId: string): Promise<number>;
  /** Adds annotations (GitHub takes 50 per request; the implementation batches). */
  annotate(id: number, output: CheckOutput, annotations: readonly Annotation[]): Promise<void>;
  /** Completes a started run; at most one request's worth of `annotations` ride along. */
  complete(id: number, conclusion: Conclusion, output: CheckOutput, annotations?: readonly Annotation[]): Promise<void>;
  /**
   * Creates the run already completed (a verdict reached before the run had to show it was
   * in progress): one request with the first annotations, more only for the rest. Its id.
   */
  publish(headSha: string, externalId: string, conclusion: Conclusion, output: CheckOutput, annotations: readonly Annotation[]): Promise<number>;
}

export interface CommentStore {
  find(marker: string): Promise<{ id: number; body: string } | undefined>;
  create(body: string): Promise<void>;
  update(id: number, body: string): Promise<void>;
}

/** A file or folder at a commit, as git stores it. */
export type GitEntry =
  | { readonly type: "tree"; readonly sha: string; readonly files: ReadonlyArray<{ readonly path: string; readonly sha: string; readonly size: number }> }
  | { readonly type: "blob"; readonly sha: string; readonly size: number };

/** Reads policy sources in any repository the installation (or token) can read. */
export interface SourceReader {
  /** A branch, tag or sha (undefined: the default branch) → its commit; undefined when unreadable. */
  resolveCommit(repo: RepoRef, ref: string | undefined): Promise<string | undefined>;
  /** What is at `path` ("" for the root) at a commit: a folder with every file below it, a file, or nothing. */
  entry(repo: RepoRef, commit: string, path: string): Promise<GitEntry | undefined>;
  readBlob(repo: RepoRef, sha: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }>;
}

/** A pull request GitHub associates with a commit (the commits-to-pulls API). */
export interface CommitPull {
  readonly number: number;
  readonly merged: boolean;
  /** The commit the merge made on the base branch (merge, squash or the last rebased commit). */
  readonly mergeSha: string | null;
}

/** Reads what a push to a branch contains and how it came about. */
export interface PushReader {
  /** Pull requests associated with a commit: open, closed and merged ones. */
  pullsOf(sha: string): Promise<readonly CommitPull[]>;
}

/** An issue this App keeps (found by its label and a hidden marker in its body). */
export interface KeptIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly url: string;
}

/** Issues the App opens, keeps up to date and closes: one per subject, never duplicated. */
export interface IssueStore {
  /** The open issue with `label` whose body holds `marker`, opened by this App. */
  findOpen(label: string, marker: string): Promise<KeptIssue | undefined>;
  create(params: { title: string; body: string; labels: readonly string[] }): Promise<KeptIssue>;
  update(number: number, params: { body?: string; state?: "open" | "closed"; stateReason?: "completed" | "not_planned" }): Promise<void>;
  /** Adds a comment (why the App closed an issue). */
  comment(number: number, body: string): Promise<void>;
}

/** A status check a ruleset or branch protection requires. */
export interface RequiredCheck {
  readonly context: string;
  /** The App whose check run satisfies it; undefined: any source. */
  readonly appId?: number;
  readonly strict: boolean;
  readonly source: "ruleset" | "branch protection";
}

/** The rules GitHub applies to a branch, as far as the installation may read them. */
export interface BranchRules {
  /** Required status checks from active rulesets (repository and organisation) and branch protection. */
  readonly checks: readonly RequiredCheck[];
  /** False when GitHub refused branch protection to this installation (no `administration: read`). */
  readonly protectionReadable: boolean;
}

export interface RulesReader {
  /** Required status checks of a branch from its rulesets (repository and organisation) and its branch protection. */
  branchRules(branch: string): Promise<BranchRules>;
  /** Where the repository's rules are edited, for the note's link. */
  readonly settingsUrl: string;
}

/** A completed check run of this App read back by name: its output and when it completed. */
export interface NamedRun {
  readonly id: number;
  readonly headSha: string;
  readonly completed: boolean;
  readonly completedAt: string | null;
  readonly summary: string;
  readonly text: string;
  readonly url: string;
}

/** Check runs of another name than `gitops-gate` (unreviewed pushes, baselines), this App's only. */
export interface NamedChecks {
  /** This App's runs of this name on a commit, newest first. */
  list(sha: string): Promise<readonly NamedRun[]>;
  /** The newest run of this name on the branch's recent history (up to `depth` commits back from `head`). */
  newestOnBranch(branch: string, depth: number): Promise<NamedRun | undefined>;
  /** A run created completed at once. */
  publish(sha: string, externalId: string, conclusion: Conclusion, output: CheckOutput): Promise<{ id: number; url: string }>;
}
