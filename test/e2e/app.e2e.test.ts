import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../helpers/corpus.js";
import { AppUnderTest, SECRET, example } from "./harness.js";

const GOOD = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  mode: production
`;

const BAD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
`;

let app: AppUnderTest;

beforeAll(async () => {
  app = new AppUnderTest();
  await app.start();
}, 60_000);

afterAll(async () => {
  if (process.env["E2E_LOGS"]) console.log(app.logs.split("\n").slice(-80).join("\n"));
  await app?.stop();
});

afterEach(() => {
  // Every request the App made must be one GitHub would accept.
  expect(app.github.violations).toEqual([]);
});

/**
 * The check run for `sha` once completed. GitHub's webhook middleware answers after 10 s
 * even when the handler runs on (retries with back-off take longer), so wait for state.
 */
async function completedRun(sha: string, count = 1) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const runs = app.github.checkRuns.filter((r) => r.head_sha === sha);
    if (runs.length >= count && runs.every((r) => r.status === "completed")) return runs[runs.length - 1];
    if (Date.now() > deadline) return runs[runs.length - 1];
    await new Promise((r) => setTimeout(r, 100));
  }
}

function newPull(number: number, files: Record<string, string>, base: Record<string, string> = { "README.md": "hi\n" }) {
  const gh = app.github;
  const baseSha = gh.commit(base);
  const headSha = gh.commit({ ...base, ...files });
  return gh.openPull({ number, head: headSha, base: baseSha, baseRef: "main", draft: false });
}

test("a clean pull request gets a passing check and a comment", async () => {
  const pr = newPull(1, { "deploy/config.yaml": GOOD });
  const { status } = await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  expect(status).toBe(202);
  const runs = app.github.checkRuns.filter((r) => r.head_sha === pr.head);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ name: "gitops-gate", status: "completed", conclusion: "success" });
  const comments = app.github.comments.filter((c) => c.issue === 1);
  expect(comments).toHaveLength(1);
  expect(comments[0]?.body).toContain("nothing blocks this change");
});

const NODEPORT = `apiVersion: v1
kind: Service
metadata:
  name: admin
  namespace: shop
spec:
  type: NodePort
  ports:
    - port: 80
`;

test("findings on several files become annotations at the right lines, and the check fails", async () => {
  const pr = newPull(2, { "deploy/web.yaml": BAD, "deploy/config.yaml": GOOD, "deploy/admin-svc.yaml": NODEPORT });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  const at = (id: string) => run?.output.annotations.filter((a) => String(a["title"]).includes(`[${id}]`)).map((a) => [a["path"], a["start_line"], a["annotation_level"]]);
  expect(at("k8s-image-tag")).toEqual([["deploy/web.yaml", 11, "failure"]]);
  expect(at("k8s-privileged")).toEqual([["deploy/web.yaml", 13, "failure"]]);
  expect(at("k8s-service-nodeport")).toEqual([["deploy/admin-svc.yaml", 7, "failure"]]);
  expect(run?.output.annotations.some((a) => a["path"] === "deploy/config.yaml")).toBe(false);
  expect(run?.output.summary).toContain("| `deploy/web.yaml` | 13 |");
  const comment = app.github.comments.find((c) => c.issue === 2);
  expect(comment?.body).toContain("blocked by");
});

test("a push that fixes everything: new SHA passes, the same comment is edited", async () => {
  const gh = app.github;
  const pr = gh.pulls.get(2);
  if (!pr) throw new Error("scenario order: PR 2 first");
  const fixed = readFileSync(join(ROOT, "examples", "good", "web.yaml"), "utf8");
  const fixedSvc = NODEPORT.replace("NodePort", "ClusterIP");
  const base = gh.commits.get(pr.base)?.files ?? new Map<string, string>();
  pr.head = gh.commit(new Map([...base, ["deploy/web.yaml", fixed], ["deploy/config.yaml", GOOD], ["deploy/admin-svc.yaml", fixedSvc]]));
  await app.deliver("pull_request", app.pullRequestPayload("synchronize", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ status: "completed", conclusion: "success" });
  const comments = gh.comments.filter((c) => c.issue === 2);
  expect(comments).toHaveLength(1);
  expect(comments[0]?.updated).toBe(1);
  expect(comments[0]?.body).toContain("all blocking findings are fixed");
});

test("a redelivered event starts no second check run and writes no second comment", async () => {
  const pr = newPull(3, { "deploy/config.yaml": GOOD });
  const payload = app.pullRequestPayload("opened", pr);
  const first = await app.deliver("pull_request", payload);
  await app.deliver("pull_request", payload, { id: first.id });
  expect(app.github.checkRuns.filter((r) => r.head_sha === pr.head)).toHaveLength(1);
  expect(app.github.comments.filter((c) => c.issue === 3)).toHaveLength(1);
});

test("a webhook with a wrong or missing signature gets a 4xx and causes no API call", async () => {
  const pr = newPull(4, { "deploy/web.yaml": BAD });
  const before = app.github.requests.length;
  const wrong = await app.deliver("pull_request", app.pullRequestPayload("opened", pr), { secret: "not-the-secret" });
  const missing = await app.deliver("pull_request", app.pullRequestPayload("opened", pr), { secret: null });
  expect(wrong.status).toBeGreaterThanOrEqual(400);
  expect(wrong.status).toBeLessThan(500);
  expect(missing.status).toBeGreaterThanOrEqual(400);
  expect(missing.status).toBeLessThan(500);
  await new Promise((r) => setTimeout(r, 300));
  expect(app.github.requests.length).toBe(before);
});

test("an invalid config fails the check with an annotation at the line at fault", async () => {
  const config = "paths:\n  include: ['**/*.yaml']\ncomment: sometimes\n";
  const pr = newPull(5, { "deploy/config.yaml": GOOD }, { ".github/gitops-gate.yml": config });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run?.output.annotations.map((a) => [a["path"], a["start_line"]])).toEqual([[".github/gitops-gate.yml", 3]]);
  expect(run?.output.summary).toContain("/comment must be equal to one of the allowed values");
});

test("a pull request that edits the config is judged by the base branch's config", async () => {
  const baseConfig = "namespaces: all\n";
  const lax = "namespaces: [kubernetes.labels]\n";
  const pr = newPull(6, { ".github/gitops-gate.yml": lax, "deploy/web.yaml": BAD }, { ".github/gitops-gate.yml": baseConfig });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run?.output.summary).toContain("the new config takes effect after merge");
  expect(run?.output.annotations.some((a) => String(a["title"]).includes("[k8s-privileged]"))).toBe(true);
});

test("3,001 changed files: the check fails closed and says why", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 3001; i++) files[`deploy/many/cm-${String(i).padStart(4, "0")}.yaml`] = GOOD.replace("settings", `settings-${i}`);
  const pr = newPull(7, files);
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run?.output.summary).toContain("GitHub lists at most 3,000");
  expect(run).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Too many changed files to evaluate" } });
  expect(run?.output.summary).toContain("at most 3,000");
}, 60_000);

test("a draft pull request passes without evaluation, with a one-line reason", async () => {
  const pr = newPull(8, { "deploy/web.yaml": BAD });
  pr.draft = true;
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ status: "completed", conclusion: "success", output: { title: "Draft: not evaluated" } });
});

test("Re-run from the checks UI evaluates again", async () => {
  const pr = newPull(9, { "deploy/web.yaml": BAD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const payload = example("check_run", "rerequested");
  const gh = app.github;
  Object.assign(payload["repository"] as object, { name: gh.repo, full_name: `${gh.owner}/${gh.repo}` });
  ((payload["repository"] as Record<string, Record<string, unknown>>)["owner"] as Record<string, unknown>)["login"] = gh.owner;
  payload["installation"] = { id: gh.installationId };
  Object.assign(payload["check_run"] as object, { name: "gitops-gate", head_sha: pr.head, pull_requests: [{ number: 9, id: 9, url: "", head: { ref: pr.headRef, sha: pr.head, repo: { id: gh.repoId, name: gh.repo, url: "" } }, base: { ref: "main", sha: pr.base, repo: { id: gh.repoId, name: gh.repo, url: "" } } }] });
  const res = await app.deliver("check_run", payload);
  expect(res.status).toBe(202);
  await completedRun(pr.head, 2);
  const runs = gh.checkRuns.filter((r) => r.head_sha === pr.head);
  expect(runs).toHaveLength(2);
  for (const r of runs) expect(r).toMatchObject({ status: "completed", conclusion: "failure" });
});

test("GitHub API errors during evaluation: the check still completes, as a failure with the cause", async () => {
  // Content no earlier test read: the App keeps blobs it has read, by id, across evaluations.
  const pr = newPull(10, { "deploy/web.yaml": `${BAD}# unique to the API-errors test\n` });
  // Every read of contents fails: GraphQL, and REST's blobs should the App fall back to them.
  app.github.failures.push({ method: "POST", path: /^\/graphql$/, status: 500, times: 100 }, { method: "GET", path: /\/git\/blobs\//, status: 500, times: 100 });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  app.github.failures.length = 0;
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run?.output.summary).toContain("could not evaluate this change");
  expect(run?.output.summary).toContain("Re-run");
}, 60_000);

test("a rate limit (403) is waited out and the evaluation completes", async () => {
  const pr = newPull(11, { "deploy/config.yaml": GOOD });
  const reset = String(Math.ceil(Date.now() / 1000) + 1);
  app.github.failures.push({ method: "GET", path: /\/pulls\/11\/files$/, status: 403, times: 1, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset, "x-ratelimit-limit": "5000" } });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  app.github.failures.length = 0;
  const run = await completedRun(pr.head);
  expect(run?.status).toBe("completed");
  expect(run?.conclusion).toBe("success");
}, 60_000);

test("a merge group is evaluated at its head, with no comment", async () => {
  const gh = app.github;
  const base = gh.commit({ "README.md": "hi\n" });
  const head = gh.commit({ "README.md": "hi\n", "deploy/web.yaml": BAD });
  const payload = example("merge_group", "checks_requested");
  Object.assign(payload["repository"] as object, { name: gh.repo, full_name: `${gh.owner}/${gh.repo}` });
  ((payload["repository"] as Record<string, Record<string, unknown>>)["owner"] as Record<string, unknown>)["login"] = gh.owner;
  payload["installation"] = { id: gh.installationId };
  Object.assign(payload["merge_group"] as object, { head_sha: head, base_sha: base, base_ref: "refs/heads/main", head_ref: "refs/heads/gh-readonly-queue/main/pr-12-abc" });
  const comments = gh.comments.length;
  expect((await app.deliver("merge_group", payload)).status).toBe(202);
  const run = await completedRun(head);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  expect(run?.output.annotations.some((a) => a["path"] === "deploy/web.yaml" && a["start_line"] === 13)).toBe(true);
  expect(gh.comments.length).toBe(comments);
});

test("a result for an older SHA never overwrites the comment of a newer push", async () => {
  const gh = app.github;
  const pr = newPull(13, { "deploy/web.yaml": BAD });
  const stale = app.pullRequestPayload("opened", pr);
  // The author pushed again before the first delivery was handled.
  pr.head = gh.commit({ "README.md": "hi\n", "deploy/config.yaml": GOOD });
  await app.deliver("pull_request", stale);
  expect(await completedRun((stale["pull_request"] as { head: { sha: string } }).head.sha)).toMatchObject({ conclusion: "failure" });
  expect(gh.comments.filter((c) => c.issue === 13)).toHaveLength(0);
  await app.deliver("pull_request", app.pullRequestPayload("synchronize", pr));
  expect(await completedRun(pr.head)).toMatchObject({ conclusion: "success" });
  const comments = gh.comments.filter((c) => c.issue === 13);
  expect(comments).toHaveLength(1);
  expect(comments[0]?.body).toContain("nothing blocks");
});

test("one log line per delivery with delivery id, repo, PR, SHA and outcome; no secrets", async () => {
  const pr = newPull(14, { "deploy/config.yaml": GOOD });
  const { id } = await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  await completedRun(pr.head);
  await new Promise((r) => setTimeout(r, 200));
  const lines = app.logs.split("\n").filter((l) => l.includes(id) && l.includes("delivery handled"));
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
  expect(entry).toMatchObject({ delivery: id, repo: "acme/deploy", pr: 14, sha: pr.head, outcome: "success" });
  expect(app.logs).not.toContain(SECRET);
  expect(app.logs).not.toContain("PRIVATE KEY");
});

test("organisation defaults from the org's .github repository (_extends)", async () => {
  const gh = app.github;
  gh.otherRepos.set(`${gh.owner}/.github`, new Map([[".github/gitops-gate.yml", "comment: never\nblock_on: [deny, warn]\n"]]));
  const pr = newPull(15, { "deploy/config.yaml": GOOD }, { ".github/gitops-gate.yml": "_extends: .github\n" });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  gh.otherRepos.clear();
  expect(run?.output.summary).toContain(`Config: ${gh.owner}/.github@`);
  expect(run?.output.summary).toContain("Blocking: deny, warn");
  expect(gh.comments.filter((c) => c.issue === 15)).toHaveLength(0);
});

test("more than 50 annotations go in several updates, all of them kept", async () => {
  const containers = Array.from({ length: 12 }, (_, i) => `        - name: c${i}\n          image: nginx:latest\n`).join("");
  const many = BAD.replace(/ {6}containers:\n[\s\S]*$/, `      containers:\n${containers}`);
  const pr = newPull(16, { "deploy/many.yaml": many });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run?.output.annotations.length).toBeGreaterThan(50);
  const lines = run?.output.annotations.filter((a) => String(a["title"]).includes("[k8s-image-tag]")).map((a) => a["start_line"]);
  expect(lines).toEqual(Array.from({ length: 12 }, (_, i) => 11 + 2 * i));
});

test("a pull request with nothing to check still gets a passing check with a one-line summary", async () => {
  const pr = newPull(17, { "docs/guide.md": "# guide\n" });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  expect(await completedRun(pr.head)).toMatchObject({ conclusion: "success", output: { title: "No manifests changed" } });
});

test("a file over the size limit is an error finding, not a silent skip", async () => {
  const huge = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\ndata:\n  blob: "${"x".repeat(2_200_000)}"\n`;
  const pr = newPull(18, { "deploy/big.yaml": huge });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run?.output.annotations.map((a) => [a["path"], a["title"]])).toEqual([["deploy/big.yaml", "File too large to evaluate [gitops-gate/parse-error]"]]);
});

test("config formats: a file named .manifest is evaluated as YAML when the config says so", async () => {
  const pr = newPull(19, { "deploy/web.manifest": BAD }, { ".github/gitops-gate.yml": 'formats:\n  "deploy/**/*.manifest": yaml\n' });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completedRun(pr.head);
  expect(run).toMatchObject({ conclusion: "failure" });
  expect(run?.output.annotations.some((a) => a["path"] === "deploy/web.manifest" && a["start_line"] === 13)).toBe(true);
  expect(run?.output.summary).toMatch(/Config: acme\/deploy@main:\.github\/gitops-gate\.yml \(blob [0-9a-f]{12}\)/);
});

test("a requested check suite evaluates its pull requests", async () => {
  const gh = app.github;
  const pr = newPull(20, { "deploy/config.yaml": GOOD });
  const payload = example("check_suite", "requested");
  Object.assign(payload["repository"] as object, { name: gh.repo, full_name: `${gh.owner}/${gh.repo}` });
  ((payload["repository"] as Record<string, Record<string, unknown>>)["owner"] as Record<string, unknown>)["login"] = gh.owner;
  payload["installation"] = { id: gh.installationId };
  Object.assign(payload["check_suite"] as object, {
    head_sha: pr.head,
    pull_requests: [{ number: 20, id: 20, url: "", head: { ref: pr.headRef, sha: pr.head, repo: { id: gh.repoId, name: gh.repo, url: "" } }, base: { ref: "main", sha: pr.base, repo: { id: gh.repoId, name: gh.repo, url: "" } } }],
  });
  expect((await app.deliver("check_suite", payload)).status).toBe(202);
  expect(await completedRun(pr.head)).toMatchObject({ conclusion: "success" });
});
