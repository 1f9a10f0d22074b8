// Issue 13, item 6, end to end: what one evaluation costs in GitHub requests. Contents come
// through GraphQL (validated against GitHub's schema by the emulator) in batches, the first
// reads share one query, a quick verdict creates its check run completed in one request,
// and a large blob is read through REST once, never twice.
import type { PullRequest } from "./emulator.js";
import { AppUnderTest } from "./harness.js";

const app = new AppUnderTest();
let numbers = 0;

beforeAll(() => app.start({ env: { RECONCILE: "off", CHECK_RUN_START_MS: "5000" } }), 60_000);
afterAll(() => app.stop());
afterEach(() => expect(app.github.violations).toEqual([]));

function workload(i: number, tag: string, hostNetwork: boolean): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web-${i}, namespace: shop, labels: {app.kubernetes.io/name: web-${i}, app.kubernetes.io/owner: shop}}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: web-${i}}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web-${i}}}
    spec:
${hostNetwork ? "      hostNetwork: true\n" : ""}      securityContext: {runAsNonRoot: true, runAsUser: 10001}
      containers:
        - name: web
          image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/web:${tag}
          resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 128Mi}}
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: ["ALL"]}}
          livenessProbe: {httpGet: {path: /healthz, port: 8080}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`;
}

function pull(n: number, extra: Record<string, string> = {}): PullRequest {
  const before: Record<string, string> = { "README.md": "hi\n" };
  const after: Record<string, string> = { "README.md": "hi\n", ...extra };
  for (let i = 0; i < n; i++) {
    before[`deploy/app-${i}.yaml`] = workload(i, "1.0.0", false);
    after[`deploy/app-${i}.yaml`] = workload(i, "1.0.1", i === 0);
  }
  const gh = app.github;
  const base = gh.commit(before);
  const head = gh.commit(after, { parents: [base] });
  return gh.openPull({ number: ++numbers, base, head, baseRef: "main", draft: false });
}

async function evaluate(pr: PullRequest) {
  const gh = app.github;
  const from = gh.requests.length;
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const requests = gh.requests.slice(from);
  const ops = requests.map((r) => r.operationId ?? `${r.method} ${r.path}`);
  const runs = gh.checkRuns.filter((r) => r.head_sha === pr.head && r.name === "gitops-gate");
  return { requests, ops, runs };
}

test("ten changed manifests with a new finding: seven requests, contents in one GraphQL query, the run created completed", async () => {
  // A first pull request warms the installation token.
  await evaluate(pull(1));
  const { ops, runs } = await evaluate(pull(10));
  expect(runs).toEqual([expect.objectContaining({ status: "completed", conclusion: "failure", updates: 0 })]);
  expect(runs[0]?.output.annotations.length).toBeGreaterThan(0);
  // Goal 4 + ⌈N/100⌉ + ⌈N/50⌉ + ⌈annotations/50⌉ = 7: the first GraphQL query (config, waivers,
  // head, comment, check run), the file list, the head's tree, one query of contents with the
  // base's entries, (one of the base's contents for the file with the finding, unless an
  // earlier evaluation read that blob), the run, the comment.
  expect(ops.length).toBeLessThanOrEqual(7);
  expect(ops.filter((o) => o !== "graphql").sort()).toEqual(["checks/create", "git/get-tree", "issues/create-comment", "pulls/list-files"]);
});

test("a hundred changed manifests: two queries of contents, no REST reads", async () => {
  const pr = pull(100);
  const { ops } = await evaluate(pr);
  // The first query, two of contents (each with 50 of the base's entries), one of the base's contents.
  expect(ops.filter((o) => o === "graphql").length).toBeLessThanOrEqual(4);
  expect(ops.length).toBeLessThanOrEqual(4 + 1 + 2 + 1);
  expect(ops).not.toContain("git/get-blob");
  expect(ops).not.toContain("repos/get-content");
  expect(ops).not.toContain("checks/list-for-ref");
  expect(ops).not.toContain("issues/list-comments");
});

test("a blob over GraphQL's text size is read through REST once; the verdict counts it", async () => {
  // A ConfigMap of 600 KiB: over the size GraphQL is trusted with, under the 2 MiB file limit.
  const big = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\ndata:\n  blob: "${"x".repeat(600 * 1024)}"\n`;
  const pr = pull(1, { "deploy/big.yaml": big });
  const { ops, runs } = await evaluate(pr);
  expect(ops.filter((o) => o === "git/get-blob")).toHaveLength(1);
  expect(runs).toEqual([expect.objectContaining({ status: "completed" })]);
});
