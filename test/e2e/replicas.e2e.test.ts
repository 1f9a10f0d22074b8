// Issue 13 end to end, with Redis: two App replicas share one queue. The same delivery to
// both at once, and pull_request with check_suite for one push, give one run and one
// comment; a replica killed mid-job loses nothing, the other finishes its job.
import type { CheckRun, PullRequest } from "./emulator.js";
import { AppUnderTest, until } from "./harness.js";
import { RedisServer } from "./redis-server.js";

const BAD = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: nginx}]\n";
const GOOD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata:\n  mode: production\n";

const redis = new RedisServer();
let a: AppUnderTest;
let b: AppUnderTest;
let numbers = 0;

beforeAll(async () => {
  await redis.start();
  a = new AppUnderTest();
  b = a.replica();
  const env = { REDIS_URL: redis.url, RECONCILE: "off", QUEUE_LOCK_SECONDS: "4" };
  await a.start({ env });
  await b.start({ env });
}, 90_000);

afterAll(async () => {
  await b?.stop();
  await a?.stop();
  await redis.stop();
});

afterEach(() => {
  expect(a.github.violations).toEqual([]);
  a.github.delayMs = 0;
});

function newPull(files: Record<string, string>): PullRequest {
  const gh = a.github;
  const base = gh.commit({ "README.md": "hi\n" });
  const head = gh.commit({ "README.md": "hi\n", ...files }, { parents: [base] });
  return gh.openPull({ number: ++numbers, base, head, baseRef: "main", draft: false });
}

const runsOf = (sha: string): CheckRun[] => a.github.checkRuns.filter((r) => r.head_sha === sha && r.name === "gitops-gate");


async function bothIdle(): Promise<void> {
  await Promise.all([a.idle(90_000), b.idle(90_000)]);
}

test("the same delivery to two replicas at once: one run, one comment", async () => {
  const pr = newPull({ "deploy/a.yaml": BAD });
  const payload = a.pullRequestPayload("opened", pr);
  const id = "delivery-to-both";
  const [ra, rb] = await Promise.all([a.deliver("pull_request", payload, { id, wait: false }), b.deliver("pull_request", payload, { id, wait: false })]);
  expect([ra.status, rb.status]).toEqual([202, 202]);
  await until(() => runsOf(pr.head).find((r) => r.status === "completed"));
  await bothIdle();
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure" })]);
  expect(a.github.comments.filter((c) => c.issue === pr.number)).toHaveLength(1);
}, 120_000);

test("pull_request.synchronize and check_suite.requested for one push, at different replicas: one run, one comment", async () => {
  const pr = newPull({ "deploy/a.yaml": GOOD });
  const suite = a.aim(structuredClone((await import("./harness.js")).example("check_suite", "requested")));
  const gh = a.github;
  Object.assign(suite["check_suite"] as object, {
    head_sha: pr.head,
    pull_requests: [{ number: pr.number, id: pr.number, url: "", head: { ref: pr.headRef, sha: pr.head, repo: { id: gh.repoId, name: gh.repo, url: "" } }, base: { ref: "main", sha: pr.base, repo: { id: gh.repoId, name: gh.repo, url: "" } } }],
  });
  await Promise.all([a.deliver("pull_request", a.pullRequestPayload("synchronize", pr), { wait: false }), b.deliver("check_suite", suite, { wait: false })]);
  await until(() => runsOf(pr.head).find((r) => r.status === "completed"));
  await bothIdle();
  expect(runsOf(pr.head)).toEqual([expect.objectContaining({ status: "completed", conclusion: "success" })]);
  expect(gh.comments.filter((c) => c.issue === pr.number)).toHaveLength(1);
}, 120_000);

test("a replica killed in the middle of a job: the other finishes it, one run", async () => {
  const pr = newPull({ "deploy/a.yaml": BAD });
  a.github.delayMs = 400;
  // Only replica A takes this one's webhook; it is working when it dies.
  await b.kill("SIGTERM");
  await a.deliver("pull_request", a.pullRequestPayload("opened", pr), { wait: false });
  await until(() => runsOf(pr.head).find((r) => r.status === "in_progress"));
  await b.restart();
  await a.kill("SIGKILL");
  a.github.delayMs = 0;
  // B takes the job over once A's lock expires (QUEUE_LOCK_SECONDS).
  const run = await until(() => runsOf(pr.head).find((r) => r.status === "completed"), 90_000);
  expect(run).toMatchObject({ conclusion: "failure" });
  await b.idle(90_000);
  expect(runsOf(pr.head)).toHaveLength(1);
  await a.restart();
}, 150_000);
