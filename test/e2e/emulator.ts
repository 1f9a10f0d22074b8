// A local, stateful GitHub REST API for end-to-end tests, on 127.0.0.1 over real HTTP.
// Every request the App makes is validated against GitHub's OpenAPI description; a
// request GitHub would reject is answered 422 and recorded in `violations`.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { OpenApiValidator, type Matched } from "./openapi-validator.js";

const validator = new OpenApiValidator(new URL("./github-openapi.json", import.meta.url));

export interface Commit {
  readonly sha: string;
  readonly files: ReadonlyMap<string, string>;
  readonly parents: readonly string[];
  readonly message: string;
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
}

export interface Comment {
  id: number;
  issue: number;
  body: string;
  user: { login: string; type: string };
  updated: number;
}

export interface Failure {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly headers?: Record<string, string>;
  times: number;
}

function blobSha(content: string): string {
  return createHash("sha1").update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest("hex");
}

export class GitHubEmulator {
  readonly owner = "acme";
  readonly repo = "deploy";
  readonly repoId = 1296269;
  readonly installationId = 2311213;
  defaultBranch = "main";
  readonly commits = new Map<string, Commit>();
  readonly branches = new Map<string, string>();
  readonly blobs = new Map<string, string>();
  readonly pulls = new Map<number, PullRequest>();
  readonly checkRuns: CheckRun[] = [];
  readonly comments: Comment[] = [];
  readonly requests: Array<{ method: string; path: string; operationId?: string; status: number }> = [];
  readonly violations: string[] = [];
  readonly failures: Failure[] = [];
  /** Reviews per pull request: user, state, commit. */
  readonly reviews = new Map<number, Array<{ user: string; state: string; commit: string }>>();
  readonly tags = new Map<string, string>();
  readonly tagObjects = new Map<string, { tag: string; object: string; message: string }>();
  readonly releases: Array<{ id: number; tag_name: string; name: string; body: string }> = [];
  /** Repository roles per user (admin, maintain, write, triage, read); absent: none. */
  readonly roles = new Map<string, string>();
  /** Other repositories' files on their default branch (the org's .github repo). */
  readonly otherRepos = new Map<string, Map<string, string>>();
  private server?: Server;
  private nextId = 1000;
  private commitCounter = 0;

  /** Adds a commit whose tree is `files` and returns its sha (trees share the commit's sha). */
  commit(files: Record<string, string> | Map<string, string>, options: { parents?: string[]; message?: string } = {}): string {
    const map = files instanceof Map ? new Map(files) : new Map(Object.entries(files));
    for (const content of map.values()) this.blobs.set(blobSha(content), content);
    const sha = createHash("sha1").update(`commit ${++this.commitCounter}`).update(JSON.stringify([...map])).digest("hex");
    this.commits.set(sha, { sha, files: map, parents: options.parents ?? [], message: options.message ?? `commit ${this.commitCounter}` });
    return sha;
  }

  /** Files of a commit, by path → content. */
  filesAt(sha: string): Map<string, string> {
    return new Map(this.commits.get(sha)?.files ?? []);
  }

  openPull(pr: Omit<PullRequest, "user" | "title" | "headRef"> & Partial<PullRequest>): PullRequest {
    const full: PullRequest = { title: "Update manifests", user: "octocat", headRef: `feature-${pr.number}`, ...pr };
    this.pulls.set(pr.number, full);
    // The base branch points at the pull request's base commit, as right after it was opened.
    this.branches.set(full.baseRef, full.base);
    return full;
  }

  changedFiles(pr: PullRequest): Array<{ filename: string; status: string; sha: string }> {
    const base = this.commits.get(pr.base)?.files ?? new Map<string, string>();
    const head = this.commits.get(pr.head)?.files ?? new Map<string, string>();
    const out: Array<{ filename: string; status: string; sha: string }> = [];
    for (const [path, content] of head) {
      const before = base.get(path);
      if (before === undefined) out.push({ filename: path, status: "added", sha: blobSha(content) });
      else if (before !== content) out.push({ filename: path, status: "modified", sha: blobSha(content) });
    }
    for (const [path, content] of base) if (!head.has(path)) out.push({ filename: path, status: "removed", sha: blobSha(content) });
    return out.sort((a, b) => a.filename.localeCompare(b.filename));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    const method = req.method ?? "GET";
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.send(res, method, url.pathname, 400, { message: "Problems parsing JSON" });
    }
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const { matched, problems } = validator.validate(method, path, url.searchParams, body);
    if (problems.length > 0) {
      this.violations.push(...problems);
      return this.send(res, method, path, matched ? 422 : 404, { message: problems.join("; ") }, matched);
    }
    const failure = this.failures.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (failure) {
      failure.times--;
      return this.send(res, method, path, failure.status, { message: "injected failure" }, matched, failure.headers);
    }
    try {
      const [status, out, headers] = this.route(matched as Matched, url, body as Record<string, unknown>);
      this.send(res, method, path, status, out, matched, headers);
    } catch (e) {
      this.send(res, method, path, 500, { message: (e as Error).message }, matched);
    }
  }

  private send(res: ServerResponse, method: string, path: string, status: number, out: unknown, matched?: Matched, headers: Record<string, string> = {}): void {
    this.requests.push({ method, path, status, ...(matched ? { operationId: matched.operationId } : {}) });
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(status === 204 ? undefined : JSON.stringify(out));
  }

  private repoJson(): object {
    return { id: this.repoId, name: this.repo, full_name: `${this.owner}/${this.repo}`, default_branch: this.defaultBranch, owner: { login: this.owner, type: "Organization" } };
  }

  private pullJson(pr: PullRequest): object {
    return {
      number: pr.number, title: pr.title, state: pr.merged ? "closed" : "open", draft: pr.draft, user: { login: pr.user, type: "User" },
      merged: Boolean(pr.merged), merge_commit_sha: pr.mergeSha ?? null, body: pr.body ?? null,
      html_url: `https://github.example/${this.owner}/${this.repo}/pull/${pr.number}`,
      head: { sha: pr.head, ref: pr.headRef, repo: this.repoJson() }, base: { sha: pr.base, ref: pr.baseRef, repo: this.repoJson() },
      changed_files: this.changedFiles(pr).length,
    };
  }

  private resolveRef(ref: string | null): Commit | undefined {
    const name = ref ?? this.defaultBranch;
    return this.commits.get(this.branches.get(name) ?? name);
  }

  private route(m: Matched, url: URL, body: Record<string, unknown>): [number, unknown, Record<string, string>?] {
    const p = m.params;
    const q = url.searchParams;
    const page = Number(q.get("page") ?? 1);
    const perPage = Number(q.get("per_page") ?? 30);
    const paged = <T>(items: T[]): [number, T[], Record<string, string>] => {
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < items.length) {
        const next = new URL(url.toString());
        next.searchParams.set("page", String(page + 1));
        headers["link"] = `<http://${url.host}/api/v3${next.pathname.replace(/^\/api\/v3/, "")}${next.search}>; rel="next"`;
      }
      return [200, slice, headers];
    };
    if (m.operationId !== "apps/create-installation-access-token" && p["owner"] && `${p["owner"]}/${p["repo"]}` !== `${this.owner}/${this.repo}`) {
      const files = this.otherRepos.get(`${p["owner"]}/${p["repo"]}`);
      if (m.operationId === "repos/get-content" && files?.has(p["path"] ?? "")) {
        const content = files.get(p["path"] ?? "") ?? "";
        return [200, { type: "file", encoding: "base64", path: p["path"], sha: blobSha(content), size: content.length, content: Buffer.from(content).toString("base64") }];
      }
      return [404, { message: "Not Found" }];
    }
    switch (m.operationId) {
      case "apps/create-installation-access-token":
        return [201, { token: "ghs_emulated", expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: { checks: "write", contents: "read", pull_requests: "write" } }];
      case "repos/get":
        return [200, this.repoJson()];
      case "pulls/get": {
        const pr = this.pulls.get(Number(p["pull_number"]));
        return pr ? [200, this.pullJson(pr)] : [404, { message: "Not Found" }];
      }
      case "pulls/list-files": {
        const pr = this.pulls.get(Number(p["pull_number"]));
        if (!pr) return [404, { message: "Not Found" }];
        // GitHub lists at most 3,000 files of a pull request.
        return paged(this.changedFiles(pr).slice(0, 3000).map((f) => ({ ...f, additions: 1, deletions: 0, changes: 1 })));
      }
      case "git/get-blob": {
        const content = this.blobs.get(p["file_sha"] ?? "");
        if (content === undefined) return [404, { message: "Not Found" }];
        return [200, { sha: p["file_sha"], size: Buffer.byteLength(content), encoding: "base64", content: Buffer.from(content).toString("base64") }];
      }
      case "git/get-commit": {
        const c = this.commits.get(p["commit_sha"] ?? "");
        if (!c) return [404, { message: "Not Found" }];
        return [200, { sha: c.sha, message: c.message, tree: { sha: c.sha }, parents: c.parents.map((x) => ({ sha: x })) }];
      }
      case "git/create-tree": {
        const base = body["base_tree"] ? this.commits.get(String(body["base_tree"])) : undefined;
        if (body["base_tree"] && !base) return [422, { message: "base_tree not found" }];
        const files = new Map(base?.files ?? []);
        for (const e of body["tree"] as Array<{ path: string; sha?: string | null; content?: string }>) {
          if (e.sha === null) files.delete(e.path);
          else if (e.content !== undefined) files.set(e.path, e.content);
          else {
            const content = this.blobs.get(e.sha ?? "");
            if (content === undefined) return [422, { message: `blob ${e.sha} not found` }];
            files.set(e.path, content);
          }
        }
        const sha = this.commit(files, { message: "tree" });
        return [201, { sha, tree: [], truncated: false }];
      }
      case "git/create-commit": {
        const tree = this.commits.get(String(body["tree"]));
        if (!tree) return [422, { message: "tree not found" }];
        const sha = this.commit(new Map(tree.files), { parents: (body["parents"] as string[]) ?? [], message: String(body["message"]) });
        return [201, { sha, message: body["message"], tree: { sha }, parents: ((body["parents"] as string[]) ?? []).map((x) => ({ sha: x })) }];
      }
      case "git/create-ref": {
        const ref = String(body["ref"]);
        if (ref.startsWith("refs/tags/")) {
          const name = ref.slice("refs/tags/".length);
          if (this.tags.has(name)) return [422, { message: "Reference already exists" }];
          this.tags.set(name, String(body["sha"]));
          return [201, { ref, object: { sha: body["sha"], type: "tag" } }];
        }
        if (!ref.startsWith("refs/heads/")) return [422, { message: "ref must start with refs/" }];
        const name = ref.slice("refs/heads/".length);
        if (this.branches.has(name)) return [422, { message: "Reference already exists" }];
        this.branches.set(name, String(body["sha"]));
        return [201, { ref, object: { sha: body["sha"], type: "commit" } }];
      }
      case "git/create-tag": {
        const sha = createHash("sha1").update(`tag ${String(body["tag"])} ${String(body["object"])}`).digest("hex");
        this.tagObjects.set(sha, { tag: String(body["tag"]), object: String(body["object"]), message: String(body["message"]) });
        return [201, { sha, tag: body["tag"], message: body["message"], object: { sha: body["object"], type: body["type"] } }];
      }
      case "repos/create-release": {
        if (!this.tags.has(String(body["tag_name"]))) return [422, { message: "tag not found" }];
        const release = { id: this.nextId++, tag_name: String(body["tag_name"]), name: String(body["name"] ?? ""), body: String(body["body"] ?? "") };
        this.releases.push(release);
        return [201, release];
      }
      case "repos/get-branch": {
        const sha = this.branches.get(p["branch"] ?? "");
        return sha ? [200, { name: p["branch"], commit: { sha } }] : [404, { message: "Branch not found" }];
      }
      case "pulls/create": {
        const head = this.branches.get(String(body["head"]));
        const base = this.branches.get(String(body["base"]));
        if (!head || !base) return [422, { message: "head or base branch not found" }];
        const number = Math.max(0, ...this.pulls.keys()) + 1;
        const pr: PullRequest = { number, title: String(body["title"]), body: String(body["body"] ?? ""), head, base, baseRef: String(body["base"]), headRef: String(body["head"]), draft: false, user: "gitops-gate[bot]" };
        this.pulls.set(number, pr);
        return [201, this.pullJson(pr)];
      }
      case "pulls/list-reviews":
        return paged((this.reviews.get(Number(p["pull_number"])) ?? []).map((r, i) => ({ id: i + 1, user: { login: r.user, type: "User" }, state: r.state, commit_id: r.commit, body: "" })));
      case "repos/get-collaborator-permission-level": {
        const role = this.roles.get(p["username"] ?? "");
        if (!role) return [404, { message: "Not a collaborator" }];
        const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
        return [200, { permission, role_name: role, user: { login: p["username"] } }];
      }
      case "git/get-tree": {
        const commit = this.resolveRef(p["tree_sha"] ?? null);
        if (!commit) return [404, { message: "Not Found" }];
        const tree = [...commit.files].map(([path, content]) => ({ path, mode: "100644", type: "blob", sha: blobSha(content), size: Buffer.byteLength(content) }));
        return [200, { sha: commit.sha, truncated: false, tree }];
      }
      case "repos/get-content": {
        const commit = this.resolveRef(q.get("ref"));
        const content = commit?.files.get(p["path"] ?? "");
        if (content === undefined) return [404, { message: "Not Found" }];
        return [200, { type: "file", encoding: "base64", path: p["path"], sha: blobSha(content), size: Buffer.byteLength(content), content: Buffer.from(content).toString("base64") }];
      }
      case "checks/create": {
        const run: CheckRun = {
          id: this.nextId++, head_sha: String(body["head_sha"]), name: String(body["name"]), external_id: String(body["external_id"] ?? ""),
          status: String(body["status"] ?? "queued"), conclusion: (body["conclusion"] as string | undefined) ?? null,
          output: { ...(body["output"] as object), annotations: [...(((body["output"] as { annotations?: [] } | undefined)?.annotations) ?? [])] }, updates: 0,
        };
        if (run.conclusion) run.status = "completed";
        this.checkRuns.push(run);
        return [201, run];
      }
      case "checks/update": {
        const run = this.checkRuns.find((r) => r.id === Number(p["check_run_id"]));
        if (!run) return [404, { message: "Not Found" }];
        const output = body["output"] as { title?: string; summary?: string; text?: string; annotations?: Array<Record<string, unknown>> } | undefined;
        if ((output?.annotations?.length ?? 0) > 50) return [422, { message: "annotations: at most 50 per request" }];
        run.updates++;
        if (body["status"]) run.status = String(body["status"]);
        if (body["conclusion"]) {
          run.conclusion = String(body["conclusion"]);
          run.status = "completed";
        }
        if (output) {
          run.output = { ...run.output, ...output, annotations: [...run.output.annotations, ...(output.annotations ?? [])] };
        }
        return [200, run];
      }
      case "checks/list-for-ref": {
        const commit = this.resolveRef(p["ref"] ?? null);
        const runs = this.checkRuns.filter(
          (r) => r.head_sha === (commit?.sha ?? p["ref"]) && (!q.get("check_name") || r.name === q.get("check_name")) && (!q.get("status") || r.status === q.get("status")),
        ).map((r) => ({ ...r, html_url: `https://github.example/${this.owner}/${this.repo}/runs/${r.id}`, completed_at: r.status === "completed" ? new Date(r.id * 1000).toISOString() : null }));
        return [200, { total_count: runs.length, check_runs: runs }];
      }
      case "issues/list-comments":
        return paged(this.comments.filter((c) => c.issue === Number(p["issue_number"])));
      case "issues/create-comment": {
        const c: Comment = { id: this.nextId++, issue: Number(p["issue_number"]), body: String(body["body"]), user: { login: "gitops-gate[bot]", type: "Bot" }, updated: 0 };
        this.comments.push(c);
        return [201, c];
      }
      case "issues/update-comment": {
        const c = this.comments.find((x) => x.id === Number(p["comment_id"]));
        if (!c) return [404, { message: "Not Found" }];
        c.body = String(body["body"]);
        c.updated++;
        return [200, c];
      }
      default:
        return [501, { message: `emulator: ${m.operationId} not implemented` }];
    }
  }
}
