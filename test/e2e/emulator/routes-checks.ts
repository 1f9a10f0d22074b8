// Check runs and issue comments.
import { NOT_FOUND, type Route } from "./context.js";
import type { CheckRun, Comment } from "./repo-state.js";

export const APP = { id: 123, slug: "gitops-gate" };

export const checkRoutes: Record<string, Route> = {
  "checks/create": ({ repo, body, nextId }) => {
    const output = body["output"] as { annotations?: Array<Record<string, unknown>> } | undefined;
    // GitHub: "a maximum of 50 annotations" per create or update request.
    if ((output?.annotations?.length ?? 0) > 50) return [422, { message: "annotations: at most 50 per request" }];
    const run: CheckRun = {
      id: nextId(), head_sha: String(body["head_sha"]), name: String(body["name"]), external_id: String(body["external_id"] ?? ""),
      status: String(body["status"] ?? "queued"), conclusion: (body["conclusion"] as string | undefined) ?? null,
      output: { ...(output as object), annotations: [...(output?.annotations ?? [])] }, updates: 0, app: APP,
      started_at: String(body["started_at"] ?? new Date().toISOString()),
    };
    if (run.conclusion) run.status = "completed";
    repo.checkRuns.push(run);
    return [201, run];
  },
  "checks/update": ({ repo, p, body }) => {
    const run = repo.checkRuns.find((r) => r.id === Number(p["check_run_id"]));
    if (!run) return NOT_FOUND;
    const output = body["output"] as { title?: string; summary?: string; text?: string; annotations?: Array<Record<string, unknown>> } | undefined;
    if ((output?.annotations?.length ?? 0) > 50) return [422, { message: "annotations: at most 50 per request" }];
    run.updates++;
    if (body["status"]) run.status = String(body["status"]);
    if (body["conclusion"]) {
      run.conclusion = String(body["conclusion"]);
      run.status = "completed";
    }
    if (output) run.output = { ...run.output, ...output, annotations: [...run.output.annotations, ...(output.annotations ?? [])] };
    return [200, run];
  },
  "checks/get": ({ repo, p }) => {
    const run = repo.checkRuns.find((r) => r.id === Number(p["check_run_id"]));
    return run ? [200, run] : NOT_FOUND;
  },
  "checks/list-for-ref": ({ repo, p, q }) => {
    const commit = repo.resolve(p["ref"] ?? null);
    const runs = repo.checkRuns
      .filter((r) => r.head_sha === (commit?.sha ?? p["ref"]) && (!q.get("check_name") || r.name === q.get("check_name")) && (!q.get("status") || r.status === q.get("status")))
      .filter((r) => !q.get("app_id") || r.app.id === Number(q.get("app_id")))
      .map((r) => ({ ...r, html_url: `https://github.example/${repo.fullName}/runs/${r.id}`, completed_at: r.status === "completed" ? new Date(r.id * 1000).toISOString() : null }));
    return [200, { total_count: runs.length, check_runs: runs }];
  },
  "issues/list-comments": ({ repo, p, paged }) => paged(repo.comments.filter((c) => c.issue === Number(p["issue_number"]))),
  "issues/create-comment": ({ repo, p, body, nextId }) => {
    const c: Comment = { id: nextId(), issue: Number(p["issue_number"]), body: String(body["body"]), user: { login: `${APP.slug}[bot]`, type: "Bot" }, updated: 0 };
    repo.comments.push(c);
    return [201, c];
  },
  "issues/update-comment": ({ repo, p, body }) => {
    const c = repo.comments.find((x) => x.id === Number(p["comment_id"]));
    if (!c) return NOT_FOUND;
    c.body = String(body["body"]);
    c.updated++;
    return [200, c];
  },
};
