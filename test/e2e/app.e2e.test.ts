import { AppUnderTest } from "./harness.js";

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
  await app?.stop();
});

afterEach(() => {
  // Every request the App made must be one GitHub would accept.
  expect(app.github.violations).toEqual([]);
});

function newPull(number: number, files: Record<string, string>, base: Record<string, string> = { "README.md": "hi\n" }) {
  const gh = app.github;
  const baseSha = gh.commit(base);
  const headSha = gh.commit({ ...base, ...files });
  return gh.openPull({ number, head: headSha, base: baseSha, baseRef: "main", draft: false });
}

test("a clean pull request gets a passing check and a comment", async () => {
  const pr = newPull(1, { "deploy/config.yaml": GOOD });
  const { status } = await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  expect(status).toBe(200);
  const runs = app.github.checkRuns.filter((r) => r.head_sha === pr.head);
  expect(runs).toHaveLength(1);
  expect(runs[0]).toMatchObject({ name: "gitops-gate", status: "completed", conclusion: "success" });
  const comments = app.github.comments.filter((c) => c.issue === 1);
  expect(comments).toHaveLength(1);
  expect(comments[0]?.body).toContain("nothing blocks this change");
});

test("findings become annotations at the right lines, and the check fails", async () => {
  const pr = newPull(2, { "deploy/web.yaml": BAD, "deploy/config.yaml": GOOD });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = app.github.checkRuns.find((r) => r.head_sha === pr.head);
  expect(run).toMatchObject({ status: "completed", conclusion: "failure" });
  const at = (id: string) => run?.output.annotations.filter((a) => String(a["title"]).includes(`[${id}]`)).map((a) => [a["path"], a["start_line"], a["annotation_level"]]);
  expect(at("k8s-image-tag")).toEqual([["deploy/web.yaml", 11, "failure"]]);
  expect(at("k8s-privileged")).toEqual([["deploy/web.yaml", 13, "failure"]]);
  expect(run?.output.summary).toContain("| `deploy/web.yaml` | 13 |");
  const comment = app.github.comments.find((c) => c.issue === 2);
  expect(comment?.body).toContain("blocked by");
});
