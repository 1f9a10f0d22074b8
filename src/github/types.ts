// The seam between the pipeline and GitHub (policy-bot's pull.Context idea): small
// interfaces the pipeline sees, an Octokit implementation, and fakes in tests.

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface ChangedFile {
  readonly path: string;
  readonly status: string;
  /** Blob sha of the file at the head commit. */
  readonly sha: string;
}

export interface ChangedFiles {
  readonly files: readonly ChangedFile[];
  /** True when GitHub stopped listing at its limit and files are missing. */
  readonly truncated: boolean;
}

export interface RepoReader {
  listChangedFiles(pull: number, expectedCount: number): Promise<ChangedFiles>;
  /** Files that differ between two commits, from their trees (merge groups have no pull request). */
  diffCommits(baseSha: string, headSha: string): Promise<ChangedFiles>;
  /** Raw bytes of a blob; refuses blobs larger than `maxBytes` without downloading them. */
  readBlob(sha: string, maxBytes: number): Promise<{ bytes: Uint8Array } | { tooLarge: number }>;
  /** A file at a ref of any repository the installation can read; undefined when absent. */
  readFile(repo: RepoRef, path: string, ref?: string): Promise<{ bytes: Uint8Array; ref: string; sha: string } | undefined>;
  /** The pull request's current head sha (for "is this result still the newest?"). */
  currentHead(pull: number): Promise<string>;
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
  /** The id of a check run this delivery already started, so a redelivery starts none. */
  findByExternalId(headSha: string, externalId: string): Promise<number | undefined>;
  start(headSha: string, externalId: string): Promise<number>;
  /** Adds annotations (GitHub takes 50 per request; the implementation batches). */
  annotate(id: number, output: CheckOutput, annotations: readonly Annotation[]): Promise<void>;
  complete(id: number, conclusion: Conclusion, output: CheckOutput): Promise<void>;
}

export interface CommentStore {
  find(marker: string): Promise<{ id: number; body: string } | undefined>;
  create(body: string): Promise<void>;
  update(id: number, body: string): Promise<void>;
}
