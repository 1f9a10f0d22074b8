// Issue 13 end to end, with the in-process queue: the webhook is answered at once, nothing
// is stranded by a crash or a lost webhook, a burst of pushes collapses to the newest
// head, and GitHub's transient faults are retried without a duplicate effect.
import type { CheckRun, PullRequest } from "./emulator.js";
import { AppUnderTest, until } from "./harness.js";

const GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: production\n";
const BAD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: nginx}]\n";

let app: AppUnderTest;
let numbers = 100;

beforeAll(async () => {
  app = new AppUnderTest();
  await app.start({ env: { RECONCILE_INTERVAL_SECONDS: "3600" } });
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
  app.github.failures.length = 0;
  app.github.delayMs = 0;
});

function newPull(files: Record<string, string>): PullRequest {
  const gh = app.github;
  const base = gh.commit({ "README.md": "hi\n" });
  const head = gh.commit({ "README.md": "hi\n", ...files }, { parents: [base] });
  return gh.openPull({ number: ++numbers, base, head, baseRef: "main", draft: false });
}

const runsOf = (sha: string): CheckRun[] => app.github.checkRuns.filter((r) => r.head_sha === sha && r.name === "gitops-gate");


test("the webhook is answered before the work is done", async () => {
  const pr = newPull({ "deploy/a.yaml": BAD });
  app.github.delayMs = 200;
  const started = Date.now();
  const { status } = await app.deliver("pull_request", app.pullRequestPayload("opened", pr), { wait: false });
  const answered = Date.now() - started;
  expect(status).toBe(202);
  // No GitHub call happens inside the request: with 200 ms per call, an evaluation takes seconds.
  expect(answered).toBeLessThan(1000);
  expect(runsOf(pr.head).filter((r) => r.status === "completed")).toHaveLength(0);
  await app.idle();
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure" })]);
});

test("SIGKILL after the check run was created: on restart the run completes, once", async () => {
  const pr = newPull({ "deploy/a.yaml": BAD });
  app.github.delayMs = 300;
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr), { wait: false });
  await until(() => runsOf(pr.head).find((r) => r.status === "in_progress"));
  await app.kill("SIGKILL");
  app.github.delayMs = 0;
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "in_progress" })]);
  await app.restart();
  const run = await until(() => runsOf(pr.head).find((r) => r.status === "completed"));
  expect(run).toMatchObject({ conclusion: "failure" });
  await app.idle();
  expect(runsOf(pr.head)).toHaveLength(1);
  expect(app.github.comments.filter((c) => c.issue === pr.number)).toHaveLength(1);
}, 90_000);

test("a redelivery of an event whose run was stranded resumes and completes that run", async () => {
  await app.kill("SIGTERM");
  await app.start({ env: { RECONCILE: "off" } });
  const pr = newPull({ "deploy/a.yaml": GOOD });
  const payload = app.pullRequestPayload("opened", pr);
  app.github.delayMs = 300;
  const { id } = await app.deliver("pull_request", payload, { wait: false });
  await until(() => runsOf(pr.head).find((r) => r.status === "in_progress"));
  await app.kill("SIGKILL");
  app.github.delayMs = 0;
  await app.restart();
  await app.deliver("pull_request", payload, { id });
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
  await app.kill("SIGTERM");
  await app.start({ env: { RECONCILE_INTERVAL_SECONDS: "3600" } });
}, 90_000);

test("a pull request whose webhook never arrived is evaluated by the reconciler", async () => {
  const pr = newPull({ "deploy/a.yaml": BAD });
  // No delivery: the App learns of it on its next pass (on start).
  await app.kill("SIGTERM");
  await app.restart();
  const run = await until(() => runsOf(pr.head).find((r) => r.status === "completed"));
  expect(run).toMatchObject({ conclusion: "failure" });
  await app.idle();
  expect(runsOf(pr.head)).toHaveLength(1);
}, 60_000);

test("ten pushes in one second: one verdict for the newest head, the others completed neutral as superseded", async () => {
  const gh = app.github;
  const pr = newPull({ "deploy/a.yaml": GOOD });
  const heads: string[] = [];
  app.github.delayMs = 50;
  for (let i = 0; i < 10; i++) {
    pr.head = gh.commit({ "README.md": "hi\n", "deploy/a.yaml": GOOD.replace("production", `p${i}`) }, { parents: [pr.base] });
    heads.push(pr.head);
    await app.deliver("pull_request", app.pullRequestPayload("synchronize", pr), { wait: false });
  }
  await app.idle(90_000);
  const newest = heads[heads.length - 1] as string;
  expect(runsOf(newest)).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
  for (const head of heads.slice(0, -1)) {
    for (const r of runsOf(head)) expect(r).toMatchObject({ status: "completed", conclusion: "neutral", output: expect.objectContaining({ title: `Superseded by ${newest.slice(0, 12)}` }) });
  }
  expect(gh.checkRuns.filter((r) => heads.includes(r.head_sha) && r.status !== "completed")).toEqual([]);
  expect(gh.comments.filter((c) => c.issue === pr.number)).toHaveLength(1);
}, 120_000);

test.each([
  // Contents are read through GraphQL (REST only for what it cannot give whole).
  ["500 twice on reading contents (GraphQL)", { method: "POST", path: /^\/graphql$/, status: 500, times: 2 }, "success"],
  ["502 once on creating the check run", { method: "POST", path: /\/check-runs$/, status: 502, times: 1 }, "success"],
  ["503 twice on completing it", { method: "PATCH", path: /\/check-runs\/\d+$/, status: 503, times: 2 }, "success"],
  ["403 secondary rate limit with retry-after on creating it", { method: "POST", path: /\/check-runs$/, status: 403, times: 1, headers: { "retry-after": "1" } }, "success"],
  ["429 with retry-after on the comment", { method: "POST", path: /\/issues\/\d+\/comments$/, status: 429, times: 1, headers: { "retry-after": "1" } }, "success"],
  // GraphQL down for good: REST answers instead.
  ["503 that never ends on GraphQL", { method: "POST", path: /^\/graphql$/, status: 503, times: 10_000 }, "success"],
  // Contents unreadable for good, by any route: the run completes as a failure with the cause.
  ["503 that never ends on GraphQL and on REST contents", [{ method: "POST", path: /^\/graphql$/, status: 503, times: 10_000 }, { method: "GET", path: /\/(git\/blobs|contents)\//, status: 503, times: 10_000 }], "failure"],
] as const)("%s: no run left in progress, no duplicate effect", async (_what, failure, conclusion) => {
  const pr = newPull({ "deploy/a.yaml": GOOD });
  app.github.failures.push(...(Array.isArray(failure) ? failure : [failure]).map((f) => ({ ...f })));
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  app.github.failures.length = 0;
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed", conclusion })]);
  expect(app.github.comments.filter((c) => c.issue === pr.number).length).toBeLessThanOrEqual(1);
  if (conclusion === "failure") expect(runsOf(pr.head)[0]?.output.summary).toContain("could not evaluate");
}, 120_000);

test("401 from the installation-token endpoint is retried", async () => {
  const gh = app.github;
  // A new installation: the App has no token for it yet.
  gh.installations.set(777, { account: "beta" });
  const repo = gh.addRepo("beta/infra", { installationId: 777 });
  const base = repo.commit({ "README.md": "hi\n" });
  const head = repo.commit({ "README.md": "hi\n", "deploy/a.yaml": GOOD }, { parents: [base] });
  const pr = gh.openPull({ number: 1, base, head, baseRef: "main", draft: false }, repo);
  gh.failures.push({ method: "POST", path: /\/app\/installations\/777\/access_tokens$/, status: 401, times: 1 });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr, repo));
  expect(repo.checkRuns.filter((r) => r.head_sha === head)).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
}, 60_000);

test("a burst of 50 pull requests: every one completes, memory stays under 300 MB", async () => {
  const pulls = Array.from({ length: 50 }, (_, i) => newPull({ [`deploy/app-${i}.yaml`]: i % 2 ? BAD : GOOD }));
  let peak = 0;
  const sample = setInterval(() => {
    void fetch(`${app.url}/metrics`).then((r) => r.text()).then((t) => {
      const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(t)?.[1] ?? 0);
      peak = Math.max(peak, rss);
    }, () => undefined);
  }, 200);
  try {
    await Promise.all(pulls.map((pr) => app.deliver("pull_request", app.pullRequestPayload("opened", pr), { wait: false })));
    await app.idle(180_000);
  } finally {
    clearInterval(sample);
  }
  for (const pr of pulls) expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed" })]);
  expect(peak).toBeGreaterThan(0);
  expect(peak).toBeLessThan(300 * 1024 * 1024);
}, 240_000);
