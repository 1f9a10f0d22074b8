// GitHub's GraphQL API for the emulator: every query is parsed and validated against
// GitHub's own published schema (@octokit/graphql-schema), as GitHub does, and executed
// over the emulator's repositories. Only the fields gitops-gate reads resolve; any other
// field of the schema answers an error naming it, so a query the App starts sending is
// implemented here before a test can pass.
import { schema as published } from "@octokit/graphql-schema";
import { buildSchema, execute, parse, validate, type GraphQLError, type GraphQLSchema } from "graphql";
import { APP } from "./routes-checks.js";
import { blobSha, type Commit, type RepoState } from "./repo-state.js";

let schema: GraphQLSchema | undefined;
/** GitHub's schema, built once: it has a few duplicate definitions, which GitHub's own server accepts. */
function githubSchema(): GraphQLSchema {
  schema ??= buildSchema(published.idl, { assumeValidSDL: true });
  return schema;
}

/** What the emulator knows, for one request: the repositories the token may read. */
export interface GraphqlWorld {
  repository(owner: string, name: string): RepoState | undefined;
}

/** A field the emulator does not implement: every other field of every type resolves through this. */
class NotImplemented extends Error {}

/** Git file modes as GraphQL's TreeEntry.mode gives them (decimal). */
const MODE = { file: 0o100644, link: 0o120000, submodule: 0o160000, folder: 0o40000 };

function blob(content: string) {
  const bytes = Buffer.from(content);
  // Text as GitHub decodes it; a NUL byte makes a blob binary (text null), as git's heuristic.
  const binary = bytes.includes(0);
  return { __typename: "Blob", oid: blobSha(content), byteSize: bytes.length, isBinary: binary, isTruncated: false, text: binary ? null : content };
}

function treeEntry(commit: Commit, path: string) {
  const content = commit.files.get(path);
  const name = path.split("/").pop() ?? path;
  const submodule = commit.submodules?.get(path);
  if (submodule) return { name, path, mode: MODE.submodule, type: "commit", oid: submodule, size: 0, object: null };
  if (content !== undefined) {
    const link = commit.links?.has(path) ?? false;
    return { name, path, mode: link ? MODE.link : MODE.file, type: "blob", oid: blobSha(content), size: Buffer.byteLength(content), object: blob(content) };
  }
  const prefix = `${path}/`;
  if ([...commit.files.keys()].some((p) => p.startsWith(prefix))) return { name, path, mode: MODE.folder, type: "tree", oid: blobSha(`tree ${path}`), size: 0, object: null };
  return null;
}

function commitObject(repo: RepoState, commit: Commit) {
  return {
    __typename: "Commit",
    oid: commit.sha,
    file: ({ path }: { path: string }) => treeEntry(commit, path),
    checkSuites: ({ filterBy }: { filterBy?: { appId?: number } }) => {
      if (filterBy?.appId !== undefined && filterBy.appId !== APP.id) return { nodes: [], totalCount: 0 };
      const runs = repo.checkRuns.filter((r) => r.head_sha === commit.sha);
      // One suite per App and commit, as GitHub groups runs.
      return {
        totalCount: runs.length ? 1 : 0,
        nodes: runs.length
          ? [
              {
                checkRuns: ({ filterBy: f }: { filterBy?: { checkName?: string } }) => {
                  const named = runs.filter((r) => !f?.checkName || r.name === f.checkName);
                  return {
                    totalCount: named.length,
                    nodes: named.map((r) => ({ databaseId: r.id, externalId: r.external_id, status: r.status.toUpperCase(), conclusion: r.conclusion?.toUpperCase() ?? null, name: r.name })),
                  };
                },
              },
            ]
          : [],
      };
    },
  };
}

function repositoryObject(repo: RepoState) {
  const object = ({ oid, expression }: { oid?: string; expression?: string }) => {
    if (oid !== undefined) {
      const commit = repo.commits.get(oid);
      if (commit) return commitObject(repo, commit);
      const content = repo.blobs.get(oid);
      return content === undefined ? null : blob(content);
    }
    if (expression === undefined) return null;
    // `<rev>:<path>` (a blob or tree at a revision), or a bare revision (its commit).
    const colon = expression.indexOf(":");
    const rev = colon < 0 ? expression : expression.slice(0, colon);
    const commit = repo.resolve(rev === "HEAD" ? null : rev);
    if (!commit) return null;
    if (colon < 0) return commitObject(repo, commit);
    const entry = treeEntry(commit, expression.slice(colon + 1));
    if (!entry) return null;
    if (entry.type === "tree") return { __typename: "Tree", oid: entry.oid };
    if (entry.type === "blob") return entry.object;
    return null;
  };
  return {
    __typename: "Repository",
    nameWithOwner: repo.fullName,
    object,
    pullRequest: ({ number }: { number: number }) => {
      const pr = repo.pulls.get(number);
      if (!pr) throw new Error(`Could not resolve to a PullRequest with the number of ${number}.`);
      return {
        __typename: "PullRequest",
        number,
        headRefOid: pr.head,
        comments: ({ last, first }: { last?: number; first?: number }) => {
          const all = repo.comments.filter((c) => c.issue === number);
          const n = last ?? first ?? 0;
          const nodes = (last !== undefined ? all.slice(Math.max(0, all.length - n)) : all.slice(0, n)).map((c) => ({
            databaseId: c.id,
            body: c.body,
            // The viewer is the installation's bot: the App's own comments.
            viewerDidAuthor: c.user.type === "Bot" && c.user.login === `${APP.slug}[bot]`,
          }));
          return { totalCount: all.length, nodes };
        },
      };
    },
  };
}

/**
 * One GraphQL request: errors as GitHub sends them (HTTP 200 with `errors`, and `data` for
 * what resolved). A query the schema rejects is recorded as a violation.
 */
export async function graphqlRequest(
  world: GraphqlWorld,
  body: { query?: unknown; variables?: unknown },
  violations: string[],
): Promise<[number, unknown]> {
  if (typeof body.query !== "string") {
    violations.push("POST /graphql: no query");
    return [400, { message: "A query attribute must be specified and must be a string." }];
  }
  let document;
  try {
    document = parse(body.query);
  } catch (e) {
    violations.push(`POST /graphql: ${(e as Error).message}`);
    return [200, { errors: [{ message: (e as Error).message }] }];
  }
  const problems = validate(githubSchema(), document);
  if (problems.length) {
    violations.push(...problems.map((p) => `POST /graphql: ${p.message}`));
    return [200, { errors: problems.map((p) => ({ message: p.message, locations: p.locations })) }];
  }
  const rootValue = {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = world.repository(owner, name);
      if (!repo) throw new Error(`Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryObject(repo);
    },
  };
  const result = await execute({
    schema: githubSchema(),
    document,
    rootValue,
    variableValues: (body.variables ?? {}) as Record<string, unknown>,
    // Fields the emulator has no value for: an error naming the field, never a silent null.
    fieldResolver: (source, args, _context, info) => {
      const value = (source as Record<string, unknown> | null)?.[info.fieldName];
      if (value === undefined) throw new NotImplemented(`emulator: GraphQL field ${info.parentType.name}.${info.fieldName} not implemented`);
      return typeof value === "function" ? (value as (a: unknown) => unknown)(args) : value;
    },
  });
  const errors = (result.errors ?? []) as readonly GraphQLError[];
  for (const e of errors) if (e.originalError instanceof NotImplemented) violations.push(`POST /graphql: ${e.message}`);
  return [
    200,
    {
      data: result.data ?? null,
      ...(errors.length ? { errors: errors.map((e) => ({ type: /Could not resolve/.test(e.message) ? "NOT_FOUND" : undefined, message: e.message, path: e.path })) } : {}),
    },
  ];
}
