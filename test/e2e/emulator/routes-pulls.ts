// Repositories, pull requests, reviews, permissions, releases.
import { NOT_FOUND, type Route } from "./context.js";
import type { PullRequest, RepoState } from "./repo-state.js";

export function pullJson(repo: RepoState, pr: PullRequest): object {
  return {
    number: pr.number, title: pr.title, state: pr.merged ? "closed" : "open", draft: pr.draft, user: { login: pr.user, type: "User" },
    merged: Boolean(pr.merged), merge_commit_sha: pr.mergeSha ?? null, body: pr.body ?? null,
    html_url: `https://github.example/${repo.fullName}/pull/${pr.number}`,
    head: { sha: pr.head, ref: pr.headRef, repo: repo.json() }, base: { sha: pr.base, ref: pr.baseRef, repo: repo.json() },
    changed_files: repo.changedFiles(pr).length,
  };
}

export const pullRoutes: Record<string, Route> = {
  "repos/get": ({ repo }) => [200, repo.json()],
  "pulls/get": ({ repo, p }) => {
    const pr = repo.pulls.get(Number(p["pull_number"]));
    return pr ? [200, pullJson(repo, pr)] : NOT_FOUND;
  },
  "pulls/list": ({ repo, q, paged }) => {
    const state = q.get("state") ?? "open";
    const head = q.get("head");
    const pulls = [...repo.pulls.values()]
      .filter((pr) => state === "all" || (state === "open") === !pr.merged)
      .filter((pr) => !head || head === `${repo.owner}:${pr.headRef}`)
      .sort((a, b) => b.number - a.number);
    return paged(pulls.map((pr) => pullJson(repo, pr)));
  },
  "pulls/list-files": ({ repo, p, paged }) => {
    const pr = repo.pulls.get(Number(p["pull_number"]));
    if (!pr) return NOT_FOUND;
    // GitHub lists at most 3,000 files of a pull request.
    return paged(repo.changedFiles(pr).slice(0, 3000).map((f) => ({ ...f, additions: 1, deletions: 0, changes: 1 })));
  },
  "pulls/create": ({ repo, body }) => {
    const head = repo.branches.get(String(body["head"]));
    const base = repo.branches.get(String(body["base"]));
    if (!head || !base) return [422, { message: "head or base branch not found" }];
    if ([...repo.pulls.values()].some((pr) => !pr.merged && pr.headRef === String(body["head"]))) {
      return [422, { message: "Validation Failed", errors: [{ message: `A pull request already exists for ${repo.owner}:${String(body["head"])}.` }] }];
    }
    const number = Math.max(0, ...repo.pulls.keys()) + 1;
    const pr: PullRequest = { number, title: String(body["title"]), body: String(body["body"] ?? ""), head, base, baseRef: String(body["base"]), headRef: String(body["head"]), draft: false, user: "gitops-gate[bot]" };
    repo.pulls.set(number, pr);
    return [201, pullJson(repo, pr)];
  },
  "pulls/list-reviews": ({ repo, p, paged }) =>
    paged((repo.reviews.get(Number(p["pull_number"])) ?? []).map((r, i) => ({ id: i + 1, user: { login: r.user, type: "User" }, state: r.state, commit_id: r.commit, body: "" }))),
  "repos/get-collaborator-permission-level": ({ repo, p }) => {
    const role = repo.roles.get(p["username"] ?? "");
    if (!role) return [404, { message: "Not a collaborator" }];
    const permission = role === "maintain" ? "write" : role === "triage" ? "read" : role;
    return [200, { permission, role_name: role, user: { login: p["username"] } }];
  },
  "repos/create-release": ({ repo, body, nextId }) => {
    if (!repo.tags.has(String(body["tag_name"]))) return [422, { message: "tag not found" }];
    const release = { id: nextId(), tag_name: String(body["tag_name"]), name: String(body["name"] ?? ""), body: String(body["body"] ?? "") };
    repo.releases.push(release);
    return [201, release];
  },
};
