// Issue 15's endpoints: pull requests of a commit, commits of a branch, the App's issues,
// the rules of a branch (rulesets and branch protection) and the App itself.
import { NOT_FOUND, type Route } from "./context.js";
import { APP } from "./routes-checks.js";
import type { Issue, RepoState } from "./repo-state.js";

/** Commits reachable from `sha` by first parents, newest first (as `git log --first-parent`). */
function firstParents(repo: RepoState, sha: string, max: number): string[] {
  const out: string[] = [];
  let at: string | undefined = sha;
  while (at && out.length < max) {
    const c = repo.commits.get(at);
    if (!c) break;
    out.push(c.sha);
    at = c.parents[0];
  }
  return out;
}

/** Whether `sha` is among the commits a pull request brings (reachable from its head, not from its base). */
function inPull(repo: RepoState, sha: string, head: string, base: string): boolean {
  const seen = new Set<string>();
  const stop = new Set(firstParents(repo, base, 10_000));
  const queue = [head];
  while (queue.length) {
    const at = queue.shift() as string;
    if (seen.has(at) || stop.has(at)) continue;
    seen.add(at);
    if (at === sha) return true;
    queue.push(...(repo.commits.get(at)?.parents ?? []));
  }
  return false;
}

function issueJson(repo: RepoState, i: Issue): object {
  return {
    id: i.number, number: i.number, title: i.title, body: i.body, state: i.state, user: i.user,
    labels: i.labels.map((name, n) => ({ id: n + 1, name })), html_url: `https://github.example/${repo.fullName}/issues/${i.number}`,
  };
}

export const auditRoutes: Record<string, Route> = {
  "repos/list-pull-requests-associated-with-commit": ({ repo, p, paged }) => {
    const sha = p["commit_sha"] ?? "";
    const pulls = [...repo.pulls.values()].filter((pr) => pr.head === sha || pr.mergeSha === sha || inPull(repo, sha, pr.head, pr.base));
    return paged(pulls.map((pr) => ({
      number: pr.number, title: pr.title, state: pr.merged ? "closed" : "open", user: { login: pr.user, type: "User" },
      merged_at: pr.merged ? "2026-11-26T12:00:00Z" : null, merge_commit_sha: pr.mergeSha ?? null,
      html_url: `https://github.example/${repo.fullName}/pull/${pr.number}`, head: { sha: pr.head, ref: pr.headRef }, base: { sha: pr.base, ref: pr.baseRef },
    })));
  },
  "repos/list-commits": ({ repo, q, paged }) => {
    const tip = repo.resolve(q.get("sha"));
    if (!tip) return [404, { message: "No commit found" }];
    return paged(firstParents(repo, tip.sha, 1000).map((sha) => ({ sha, commit: { message: repo.commits.get(sha)?.message ?? "" }, parents: (repo.commits.get(sha)?.parents ?? []).map((x) => ({ sha: x })) })));
  },
  "issues/list-for-repo": ({ repo, q, paged }) => {
    const state = q.get("state") ?? "open";
    const labels = (q.get("labels") ?? "").split(",").filter(Boolean);
    const issues = repo.issues
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .sort((a, b) => b.number - a.number);
    return paged(issues.map((i) => issueJson(repo, i)));
  },
  "issues/create": ({ repo, body }) => {
    const number = Math.max(0, ...repo.issues.map((i) => i.number), ...repo.pulls.keys()) + 1;
    const issue: Issue = {
      number, title: String(body["title"]), body: String(body["body"] ?? ""), state: "open", updated: 0,
      labels: ((body["labels"] as unknown[] | undefined) ?? []).map((l) => (typeof l === "string" ? l : String((l as { name?: string }).name))),
      user: { login: `${APP.slug}[bot]`, type: "Bot" },
    };
    repo.issues.push(issue);
    return [201, issueJson(repo, issue)];
  },
  "issues/get": ({ repo, p }) => {
    const issue = repo.issues.find((i) => i.number === Number(p["issue_number"]));
    return issue ? [200, issueJson(repo, issue)] : NOT_FOUND;
  },
  "issues/update": ({ repo, p, body }) => {
    const issue = repo.issues.find((i) => i.number === Number(p["issue_number"]));
    if (!issue) return NOT_FOUND;
    if (typeof body["body"] === "string") issue.body = body["body"];
    if (body["state"] === "open" || body["state"] === "closed") issue.state = body["state"];
    issue.updated++;
    return [200, issueJson(repo, issue)];
  },
  "repos/get-branch-rules": ({ repo, p, paged }) => {
    const checks = repo.rulesets.get(p["branch"] ?? "") ?? [];
    if (checks.length === 0) return paged([]);
    return paged([{
      type: "required_status_checks", ruleset_source_type: "Organization", ruleset_source: repo.owner, ruleset_id: 42,
      parameters: { strict_required_status_checks_policy: checks.some((c) => c.strict), required_status_checks: checks.map((c) => ({ context: c.context, ...(c.integration_id !== undefined ? { integration_id: c.integration_id } : {}) })) },
    }]);
  },
  "repos/get-branch-protection": ({ repo, p }) => {
    if (repo.protectionForbidden) return [403, { message: "Resource not accessible by integration" }];
    const protection = repo.protection.get(p["branch"] ?? "");
    if (!protection) return [404, { message: "Branch not protected" }];
    return [200, { required_status_checks: { strict: protection.strict, contexts: protection.checks.map((c) => c.context), checks: protection.checks } }];
  },
};

/** GET /app, authenticated as the App. */
export function appJson(): object {
  return { id: APP.id, slug: APP.slug, name: APP.slug, owner: { login: "acme" }, permissions: {}, events: [] };
}
