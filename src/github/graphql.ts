// Reads that REST answers one request per object, through GitHub's GraphQL API: blob
// contents by id, files at a revision (`<ref>:<path>`), and what is at paths of a commit
// (mode, size, blob id; no content). Asks made in the same turn of the event loop go out
// as one query of at most MAX_GRAPHQL_OBJECTS contents and MAX_GRAPHQL_ENTRIES entries
// (DataLoader's idea), so a hundred files cost two requests instead of a hundred. Anything GraphQL cannot give whole (a
// binary or cut blob, text that is not the blob's bytes, an object it did not resolve)
// answers `undefined`: the caller falls back to REST for that object only.
import { MAX_GRAPHQL_ENTRIES, MAX_GRAPHQL_OBJECTS, MAX_PER_PAGE } from "../limits.js";
import type { EntryKind, PathEntry, RepoRef } from "./types.js";

/** `octokit.graphql`: a query and its variables → `data` (throws with `.data` on partial errors). */
export type GraphqlCall = (query: string, variables: Record<string, unknown>) => Promise<unknown>;

/** A blob as GraphQL gives it: bytes when whole, else undefined (use REST). */
export type BlobRead = { readonly sha: string; readonly bytes: Uint8Array } | undefined;

/** A pull request's head and this App's newest comments on it. */
export interface PullState {
  readonly head: string;
  /** The viewer's (this App's) comments among the last MAX_PER_PAGE. */
  readonly comments: ReadonlyArray<{ readonly id: number; readonly body: string }>;
  /** Whether those were all of the pull request's comments (else a marker may sit further back). */
  readonly allComments: boolean;
}

/** A check run of this App on a commit, as GraphQL lists it. */
export interface ListedCheckRun {
  readonly id: number;
  readonly externalId: string | null;
  readonly completed: boolean;
}

type Fail = (e: unknown) => void;
type Ask =
  | { readonly kind: "blob"; readonly repo: RepoRef; readonly oid: string; readonly done: (r: BlobRead) => void; readonly fail: Fail }
  | { readonly kind: "file"; readonly repo: RepoRef; readonly expression: string; readonly done: (r: BlobRead | null) => void; readonly fail: Fail }
  | { readonly kind: "entry"; readonly repo: RepoRef; readonly commit: string; readonly path: string; readonly done: (r: PathEntry | null | undefined) => void; readonly fail: Fail }
  | { readonly kind: "pull"; readonly repo: RepoRef; readonly number: number; readonly done: (r: PullState | undefined) => void; readonly fail: Fail }
  | { readonly kind: "runs"; readonly repo: RepoRef; readonly commit: string; readonly appId: number; readonly name: string; readonly done: (r: ListedCheckRun[] | undefined) => void; readonly fail: Fail };

const BLOB_FIELDS = "... on Blob { oid byteSize isBinary isTruncated text }";

interface RawBlob {
  oid?: string;
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

/** The blob's bytes when GraphQL gave all of them, else undefined. */
export function wholeBlob(raw: RawBlob | null | undefined): BlobRead {
  if (!raw || raw.isBinary || raw.isTruncated || typeof raw.text !== "string" || !raw.oid) return undefined;
  const bytes = Buffer.from(raw.text, "utf8");
  // Text is the blob decoded as UTF-8: bytes that were not UTF-8 would come back altered.
  return bytes.length === raw.byteSize ? { sha: raw.oid, bytes } : undefined;
}

/** Git's file modes, as GraphQL's `TreeEntry.mode` gives them (decimal). */
export function entryKind(mode: number, type: string): EntryKind | "folder" | undefined {
  if (type === "tree" || mode === 0o40000) return "folder";
  if (type === "commit" || mode === 0o160000) return "submodule";
  if (type !== "blob") return undefined;
  return mode === 0o120000 ? "link" : "file";
}

const key = (r: RepoRef) => `${r.owner}/${r.repo}`.toLowerCase();

/** Errors of one query that name an alias: those objects fall back; any other error fails the query. */
function dataOf(e: unknown): Record<string, unknown> | undefined {
  const data = (e as { data?: unknown; errors?: unknown }).data;
  return data && typeof data === "object" ? (data as Record<string, unknown>) : undefined;
}

export class GraphqlReader {
  private pending: Ask[] = [];
  private scheduled = false;
  /** Queries sent, for logs and tests. */
  queries = 0;

  constructor(private readonly call: GraphqlCall) {}

  /** A blob by id; undefined when GraphQL cannot give it whole (read it with REST). */
  blob(repo: RepoRef, oid: string): Promise<BlobRead> {
    return new Promise((done, fail) => this.enqueue({ kind: "blob", repo, oid, done, fail }));
  }

  /** A file at `ref` (`ref:path`): null when absent, undefined when GraphQL cannot give it whole. */
  file(repo: RepoRef, ref: string, path: string): Promise<BlobRead | null> {
    return new Promise((done, fail) => this.enqueue({ kind: "file", repo, expression: `${ref}:${path}`, done, fail }));
  }

  /** What is at `path` of a commit: null when nothing is, undefined when GraphQL could not say. */
  entry(repo: RepoRef, commit: string, path: string): Promise<PathEntry | null | undefined> {
    return new Promise((done, fail) => this.enqueue({ kind: "entry", repo, commit, path, done, fail }));
  }

  /** A pull request's head and the App's comments on it; undefined when GraphQL could not say. */
  pull(repo: RepoRef, number: number): Promise<PullState | undefined> {
    return new Promise((done, fail) => this.enqueue({ kind: "pull", repo, number, done, fail }));
  }

  /** This App's check runs named `name` on a commit; undefined when GraphQL could not say. */
  checkRuns(repo: RepoRef, commit: string, appId: number, name: string): Promise<ListedCheckRun[] | undefined> {
    return new Promise((done, fail) => this.enqueue({ kind: "runs", repo, commit, appId, name, done, fail }));
  }

  private enqueue(ask: Ask): void {
    this.pending.push(ask);
    if (this.scheduled) return;
    this.scheduled = true;
    // After every ask made in this turn (and the microtasks it starts) has joined the batch.
    setImmediate(() => {
      this.scheduled = false;
      const asks = this.pending;
      this.pending = [];
      // Contents weigh; entries (mode, size, id) are small: each query carries up to 50 of
      // the first and twice as many of the second.
      const contents = asks.filter((a) => a.kind !== "entry");
      const entries = asks.filter((a) => a.kind === "entry");
      const queries = Math.max(Math.ceil(contents.length / MAX_GRAPHQL_OBJECTS), Math.ceil(entries.length / MAX_GRAPHQL_ENTRIES));
      for (let i = 0; i < queries; i++) {
        void this.send([...contents.slice(i * MAX_GRAPHQL_OBJECTS, (i + 1) * MAX_GRAPHQL_OBJECTS), ...entries.slice(i * MAX_GRAPHQL_ENTRIES, (i + 1) * MAX_GRAPHQL_ENTRIES)]);
      }
    });
  }

  /** One query for a batch: per repository, blobs and files by alias, entries grouped by commit. */
  private async send(asks: readonly Ask[]): Promise<void> {
    const variables: Record<string, unknown> = {};
    const params: string[] = [];
    const parts: string[] = [];
    const repos = new Map<string, { repo: RepoRef; asks: Array<{ ask: Ask; alias: string }> }>();
    asks.forEach((ask, i) => {
      const k = key(ask.repo);
      if (!repos.has(k)) repos.set(k, { repo: ask.repo, asks: [] });
      repos.get(k)?.asks.push({ ask, alias: `a${i}` });
    });
    let r = 0;
    for (const { repo, asks: mine } of repos.values()) {
      const fields: string[] = [];
      const commits = new Map<string, { alias: string; entries: string[] }>();
      for (const { ask, alias } of mine) {
        if (ask.kind === "blob") {
          params.push(`$${alias}: GitObjectID!`);
          variables[alias] = ask.oid;
          fields.push(`${alias}: object(oid: $${alias}) { ${BLOB_FIELDS} }`);
        } else if (ask.kind === "file") {
          params.push(`$${alias}: String!`);
          variables[alias] = ask.expression;
          fields.push(`${alias}: object(expression: $${alias}) { ${BLOB_FIELDS} }`);
        } else if (ask.kind === "pull") {
          params.push(`$${alias}: Int!`);
          variables[alias] = ask.number;
          fields.push(`${alias}: pullRequest(number: $${alias}) { headRefOid comments(last: ${MAX_PER_PAGE}) { totalCount nodes { databaseId body viewerDidAuthor } } }`);
        } else if (ask.kind === "runs") {
          params.push(`$${alias}: GitObjectID!`, `$${alias}app: Int!`, `$${alias}name: String!`);
          Object.assign(variables, { [alias]: ask.commit, [`${alias}app`]: ask.appId, [`${alias}name`]: ask.name });
          // One suite per App and commit; 100 runs of one name is far more than one commit gets.
          fields.push(`${alias}: object(oid: $${alias}) { ... on Commit { checkSuites(first: 10, filterBy: {appId: $${alias}app}) { nodes { checkRuns(first: ${MAX_PER_PAGE}, filterBy: {checkName: $${alias}name}) { nodes { databaseId externalId status } } } } } }`);
        } else {
          let c = commits.get(ask.commit);
          if (!c) {
            c = { alias: `c${r}_${commits.size}`, entries: [] };
            commits.set(ask.commit, c);
            params.push(`$${c.alias}: GitObjectID!`);
            variables[c.alias] = ask.commit;
          }
          params.push(`$${alias}: String!`);
          variables[alias] = ask.path;
          c.entries.push(`${alias}: file(path: $${alias}) { mode type size oid }`);
        }
      }
      for (const c of commits.values()) fields.push(`${c.alias}: object(oid: $${c.alias}) { ... on Commit { ${c.entries.join(" ")} } }`);
      params.push(`$r${r}o: String!`, `$r${r}n: String!`);
      variables[`r${r}o`] = repo.owner;
      variables[`r${r}n`] = repo.repo;
      parts.push(`r${r}: repository(owner: $r${r}o, name: $r${r}n) { ${fields.join(" ")} }`);
      r++;
    }
    const query = `query gitopsGateRead(${params.join(", ")}) { ${parts.join(" ")} }`;
    let data: Record<string, unknown>;
    try {
      this.queries++;
      data = (await this.call(query, variables)) as Record<string, unknown>;
    } catch (e) {
      // Partial answers (a repository or object it could not resolve) keep what resolved.
      const partial = dataOf(e);
      if (!partial) {
        for (const ask of asks) ask.fail(e);
        return;
      }
      data = partial;
    }
    r = 0;
    for (const { asks: mine } of repos.values()) {
      const repoData = data[`r${r++}`] as Record<string, unknown> | null | undefined;
      for (const { ask, alias } of mine) {
        if (ask.kind === "blob") ask.done(wholeBlob(repoData?.[alias] as RawBlob | null | undefined));
        else if (ask.kind === "file") {
          if (!repoData) ask.done(undefined);
          else {
            const raw = repoData[alias] as RawBlob | null | undefined;
            // null: nothing at that path (or a folder); a blob GraphQL cut: REST.
            ask.done(raw === null ? null : raw && !raw.oid ? null : wholeBlob(raw));
          }
        } else if (ask.kind === "pull") {
          const pr = repoData?.[alias] as { headRefOid: string; comments: { totalCount: number; nodes: Array<{ databaseId: number; body: string; viewerDidAuthor: boolean }> } } | null | undefined;
          ask.done(
            pr
              ? { head: pr.headRefOid, comments: pr.comments.nodes.filter((c) => c.viewerDidAuthor).map((c) => ({ id: c.databaseId, body: c.body })), allComments: pr.comments.totalCount <= pr.comments.nodes.length }
              : undefined,
          );
        } else if (ask.kind === "runs") {
          const commit = repoData?.[alias] as { checkSuites?: { nodes: Array<{ checkRuns: { nodes: Array<{ databaseId: number; externalId: string | null; status: string }> } }> } } | null | undefined;
          ask.done(commit?.checkSuites ? commit.checkSuites.nodes.flatMap((suite) => suite.checkRuns.nodes.map((c) => ({ id: c.databaseId, externalId: c.externalId, completed: c.status === "COMPLETED" }))) : undefined);
        } else {
          const commit = Object.values(repoData ?? {}).find((v): v is Record<string, unknown> => Boolean(v && typeof v === "object" && alias in (v as object)));
          if (!commit) {
            ask.done(undefined);
            continue;
          }
          const e = commit[alias] as { mode: number; type: string; size: number; oid: string } | null;
          if (e === null) {
            ask.done(null);
            continue;
          }
          const kind = entryKind(e.mode, e.type);
          if (kind === undefined) ask.done(undefined);
          else if (kind === "folder") ask.done({ path: ask.path, kind: "folder" });
          else ask.done({ path: ask.path, sha: e.oid, size: kind === "submodule" ? 0 : e.size, kind });
        }
      }
    }
  }
}
