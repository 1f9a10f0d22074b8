// A local, stateful GitHub REST API for end-to-end tests, on 127.0.0.1 over real HTTP.
// Every request the App makes is validated against GitHub's OpenAPI description; a
// request GitHub would reject is answered 422 and recorded in `violations`. It holds any
// number of repositories and installations; an installation token reads only the
// repositories of its installation, as on GitHub (others answer 404).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OpenApiValidator, type Matched } from "./openapi-validator.js";
import { NOT_FOUND, type Reply, type Route, type RouteContext } from "./emulator/context.js";
import { blobSha, RepoState, type CommitOptions, type PullRequest } from "./emulator/repo-state.js";
import { checkRoutes } from "./emulator/routes-checks.js";
import { gitRoutes } from "./emulator/routes-git.js";
import { graphqlRequest } from "./emulator/graphql.js";
import { pullRoutes } from "./emulator/routes-pulls.js";
import { appJson, auditRoutes } from "./emulator/rules-issues.js";

export { blobSha, RepoState };
export type { CheckRun, Comment, Commit, CommitOptions, Issue, PullRequest } from "./emulator/repo-state.js";

const validator = new OpenApiValidator(new URL("./github-openapi.json", import.meta.url));

export interface Failure {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Record<string, string>;
  times: number;
}

const ROUTES: Record<string, Route> = { ...gitRoutes, ...pullRoutes, ...checkRoutes, ...auditRoutes };

export class GitHubEmulator {
  readonly owner = "acme";
  readonly repo = "deploy";
  readonly repoId = 1296269;
  readonly installationId = 2311213;
  /** Every repository, by `owner/name`; `acme/deploy` is the one most tests use. */
  readonly repos = new Map<string, RepoState>();
  /** Installations: id → the account it is installed on. */
  readonly installations = new Map<number, { account: string }>([[this.installationId, { account: this.owner }]]);
  /** Teams (`org/slug`) and their members, for team membership lookups. */
  readonly teams = new Map<string, Set<string>>();
  /** Files on the default branch of repositories that need no history (the org's .github repo). */
  readonly otherRepos = new Map<string, Map<string, string>>();
  /** Every answered request: `start` when it arrived, `at` when it was answered. */
  readonly requests: Array<{ start?: number; at?: number; method: string; path: string; operationId?: string; status: number; installation?: number }> = [];
  readonly violations: string[] = [];
  readonly failures: Failure[] = [];
  /** Milliseconds every answer waits, as GitHub's take time (benchmarks). */
  delayMs = 0;
  /** What GET /rate_limit reports as left in the hour. */
  rateLimitRemaining = 4999;
  private server?: Server;
  private starting?: Promise<string>;
  private next = 1000;
  private repoIds = 5000;

  constructor() {
    this.repos.set(`${this.owner}/${this.repo}`, new RepoState(this.owner, this.repo, this.repoId, this.installationId));
  }

  /** The repository most tests work in. */
  get main(): RepoState {
    return this.repos.get(`${this.owner}/${this.repo}`) as RepoState;
  }

  /** Adds (or returns) a repository; by default readable by the main installation. */
  addRepo(fullName: string, options: { installationId?: number | null } = {}): RepoState {
    const existing = this.repos.get(fullName);
    if (existing) return existing;
    const [owner, name] = fullName.split("/") as [string, string];
    const installation = options.installationId === null ? undefined : (options.installationId ?? this.installationId);
    const state = new RepoState(owner, name, ++this.repoIds, installation);
    this.repos.set(fullName, state);
    return state;
  }

  get defaultBranch(): string {
    return this.main.defaultBranch;
  }
  set defaultBranch(b: string) {
    this.main.defaultBranch = b;
  }
  get commits() { return this.main.commits; }
  get branches() { return this.main.branches; }
  get blobs() { return this.main.blobs; }
  get pulls() { return this.main.pulls; }
  get checkRuns() { return this.main.checkRuns; }
  get comments() { return this.main.comments; }
  get issues() { return this.main.issues; }
  get reviews() { return this.main.reviews; }
  get tags() { return this.main.tags; }
  get tagObjects() { return this.main.tagObjects; }
  get releases() { return this.main.releases; }
  get roles() { return this.main.roles; }

  commit(files: Record<string, string> | Map<string, string>, options: CommitOptions = {}): string {
    return this.main.commit(files, options);
  }

  filesAt(sha: string): Map<string, string> {
    return new Map(this.main.commits.get(sha)?.files ?? []);
  }

  changedFiles(pr: PullRequest): Array<{ filename: string; status: string; sha: string; previous_filename?: string }> {
    return this.main.changedFiles(pr);
  }

  openPull(pr: Omit<PullRequest, "user" | "title" | "headRef"> & Partial<PullRequest>, repo: RepoState = this.main): PullRequest {
    const full: PullRequest = { title: "Update manifests", user: "octocat", headRef: `feature-${pr.number}`, ...pr };
    repo.pulls.set(pr.number, full);
    // The base branch points at the pull request's base commit, as right after it was opened.
    repo.branches.set(full.baseRef, full.base);
    return full;
  }

  /** Listens once, however many Apps share this emulator; resolves to host:port. */
  start(): Promise<string> {
    this.starting ??= (async () => {
      const server = createServer((req, res) => void this.handle(req, res));
      this.server = server;
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `127.0.0.1:${(server.address() as AddressInfo).port}`;
    })();
    return this.starting;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.starting = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A repository the token may read (an installation token: only its installation's). */
  private readable(owner: string, name: string, installation: number | undefined): RepoState | undefined {
    const repo = [...this.repos.values()].find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
    return repo && (installation === undefined || repo.installationId === installation) ? repo : undefined;
  }

  /** The installation an Authorization header's token belongs to (app JWTs: none). */
  private installationOf(req: IncomingMessage): number | undefined {
    const m = /ghs_emulated_(\d+)/.exec(req.headers.authorization ?? "");
    return m ? Number(m[1]) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = Date.now();
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.send(res, method, url.pathname, 400, { message: "Problems parsing JSON" });
    }
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const installation = this.installationOf(req);
    // GraphQL (at /api/graphql on GitHub Enterprise Server, as Octokit addresses it): validated
    // against GitHub's GraphQL schema instead of the REST description.
    if (method === "POST" && (url.pathname === "/graphql" || url.pathname === "/api/graphql")) {
      const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test("/graphql"));
      if (failure) {
        failure.times--;
        return this.send(res, method, "/graphql", failure.status, { message: "injected failure" }, { operationId: "graphql", params: {} } as Matched, failure.headers, installation, start);
      }
      const world = { repository: (owner: string, name: string) => this.readable(owner, name, installation) };
      const [status, out] = await graphqlRequest(world, (body ?? {}) as { query?: unknown; variables?: unknown }, this.violations);
      return this.send(res, method, "/graphql", status, out, { operationId: "graphql", params: {} } as Matched, {}, installation, start);
    }
    const { matched, problems } = validator.validate(method, path, url.searchParams, body);
    if (problems.length > 0) {
      this.violations.push(...problems);
      return this.send(res, method, path, matched ? 422 : 404, { message: problems.join("; ") }, matched, {}, installation, start);
    }
    const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (failure) {
      failure.times--;
      return this.send(res, method, path, failure.status, { message: "injected failure" }, matched, failure.headers, installation, start);
    }
    try {
      const [status, out, headers] = this.route(matched as Matched, url, (body ?? {}) as Record<string, unknown>, installation);
      this.send(res, method, path, status, out, matched, headers, installation, start);
    } catch (e) {
      this.send(res, method, path, 500, { message: (e as Error).message }, matched, {}, installation, start);
    }
  }

  private send(res: ServerResponse, method: string, path: string, status: number, out: unknown, matched?: Matched, headers: Record<string, string> = {}, installation?: number, start?: number): void {
    this.requests.push({ ...(start !== undefined ? { start } : {}), at: Date.now(), method, path, status, ...(matched ? { operationId: matched.operationId } : {}), ...(installation !== undefined ? { installation } : {}) });
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(status === 204 ? undefined : JSON.stringify(out));
  }

  private route(m: Matched, url: URL, body: Record<string, unknown>, installation: number | undefined): Reply {
    const p = m.params;
    if (m.operationId === "apps/create-installation-access-token") {
      const id = Number(p["installation_id"]);
      if (!this.installations.has(id)) return NOT_FOUND;
      return [201, { token: `ghs_emulated_${id}`, expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", contents: "write", pull_requests: "write" } }];
    }
    if (m.operationId === "teams/get-membership-for-user-in-org") {
      const members = this.teams.get(`${p["org"]}/${p["team_slug"]}`);
      if (!members?.has(p["username"] ?? "")) return NOT_FOUND;
      return [200, { url: "", role: "member", state: "active" }];
    }
    const app = this.appRoute(m, url, installation);
    if (app) return app;
    const repo = p["owner"] ? this.repos.get(`${p["owner"]}/${p["repo"]}`) : undefined;
    // A repository outside the token's installation does not exist, as far as the token can tell.
    if (!repo || (installation !== undefined && repo.installationId !== installation)) return this.otherRepo(m, p);
    const handler = ROUTES[m.operationId];
    if (!handler) return [501, { message: `emulator: ${m.operationId} not implemented` }];
    return handler(this.context(m, url, body, repo));
  }

  /** Routes of the App itself (JWT) and of an installation, not of one repository. */
  private appRoute(m: Matched, url: URL, installation: number | undefined): Reply | undefined {
    const page = <T>(items: T[]) => this.context(m, url, {}, this.main).paged(items);
    switch (m.operationId) {
      case "apps/get-authenticated":
        return [200, appJson()];
      case "apps/list-installations":
        return page([...this.installations].map(([id, i]) => ({ id, account: { login: i.account, type: "Organization" }, app_id: 123, target_type: "Organization" })));
      case "apps/list-repos-accessible-to-installation": {
        const repos = [...this.repos.values()].filter((r) => r.installationId === installation).map((r) => r.json());
        return [200, { total_count: repos.length, repositories: repos }];
      }
      case "rate-limit/get": {
        const core = { limit: 5000, remaining: this.rateLimitRemaining, reset: Math.floor(Date.now() / 1000) + 3600, used: 5000 - this.rateLimitRemaining };
        return [200, { resources: { core }, rate: core }];
      }
      default:
        return undefined;
    }
  }

  /** Repositories known only by their default branch's files (`otherRepos`). */
  private otherRepo(m: Matched, p: Record<string, string>): Reply {
    const files = this.otherRepos.get(`${p["owner"]}/${p["repo"]}`);
    if (m.operationId === "repos/get-content" && files?.has(p["path"] ?? "")) {
      const content = files.get(p["path"] ?? "") ?? "";
      return [200, { type: "file", encoding: "base64", path: p["path"], sha: blobSha(content), size: content.length, content: Buffer.from(content).toString("base64") }];
    }
    return NOT_FOUND;
  }

  private context(m: Matched, url: URL, body: Record<string, unknown>, repo: RepoState): RouteContext {
    const q = url.searchParams;
    const page = Number(q.get("page") ?? 1);
    const perPage = Number(q.get("per_page") ?? 30);
    return {
      m, p: m.params, q, body, url, repo,
      nextId: () => this.next++,
      paged: <T>(items: T[]): Reply => {
        const slice = items.slice((page - 1) * perPage, page * perPage);
        const headers: Record<string, string> = {};
        if (page * perPage < items.length) {
          const next = new URL(url.toString());
          next.searchParams.set("page", String(page + 1));
          headers["link"] = `<http://${url.host}/api/v3${next.pathname.replace(/^\/api\/v3/, "")}${next.search}>; rel="next"`;
        }
        return [200, slice, headers];
      },
    };
  }
}
