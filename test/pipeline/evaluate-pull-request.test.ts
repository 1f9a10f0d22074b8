// The pull-request pipeline against fakes of the GitHub seam: every check run it starts is
// completed, whatever fails along the way, and side effects after the verdict never change it.
import { BlobCache } from "../../src/pipeline/blob-cache.js";
import { evaluatePullRequest, type PipelineDeps } from "../../src/pipeline/evaluate-pull-request.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "o", repo: "r" };
// One set of policies and one worker pool for the file, as the App has them.
const shared = policyDeps();
afterAll(() => shared.close());
const FAILING = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: a, image: nginx}]\n";

function world(files: Record<string, string> = {}, baseFiles: Record<string, string> = {}) {
  const reader = new FakeRepoReader(REPO);
  const base = reader.repo.commit(baseFiles, { branch: "main" });
  const head = reader.repo.commit({ ...baseFiles, ...files }, { parents: [base] });
  reader.pulls.set(1, { base, head });
  const checks = new FakeCheckPublisher();
  const comments = new FakeCommentStore();
  const log = new FakeLog();
  const deps: PipelineDeps = { ...shared, reader, sources: new FakeSourceReader(reader), checks, comments, log };
  const target = { repo: REPO, pull: 1, headSha: head, baseRef: "main", baseSha: base, changedFiles: Object.keys(files).length, draft: false, runKey: "d1" };
  return { reader, checks, comments, log, deps, target };
}

/** An error as Octokit throws it: a status, the request, the response headers. */
function httpError(status: number, message: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { status, request: { method: "GET", url: "https://api.github.com/repos/o/r/pulls/1/files?per_page=100" }, response: { headers } });
}

test.each([
  ["listing files", "listChangedFiles", httpError(403, "API rate limit exceeded for installation ID 1. secret-detail", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1796140800" }), /Cause: GitHub's API rate limit for this installation is used up until \d\d:\d\d UTC/],
  ["reading a blob", "readBlob", httpError(502, "Bad Gateway secret-detail"), /Cause: GitHub's API was unavailable \(HTTP 502\) \(GET \/repos\/o\/r\/pulls\/1\/files\)/],
  ["reading the config", "readFile", httpError(404, "Not Found secret-detail"), /Cause: GitHub answered "not found" \(HTTP 404\).*no access/],
  ["looking up the tree", "lookup", Object.assign(new Error("request timed out secret-detail"), { name: "TimeoutError" }), /Cause: GitHub did not answer in time/],
  ["anything else", "readBlob", new TypeError("Cannot read properties of undefined (reading 'secret-detail')"), /Cause: an internal error in gitops-gate/],
] as const)("a failure while %s completes the check with a plain cause and what to do; the raw error only in the log", async (_what, method, error, cause) => {
  const w = world({ "a.yaml": "kind: ConfigMap\n" });
  w.reader.failWith[method] = error;
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("error");
  expect(w.checks.runs).toHaveLength(1);
  expect(w.checks.runs[0]).toMatchObject({ status: "completed", conclusion: "failure" });
  const summary = w.checks.runs[0]?.output?.summary ?? "";
  expect(summary).toMatch(cause);
  expect(summary).toMatch(/What to do: /);
  expect(summary).not.toContain("secret-detail");
  expect(w.log.lines.find((l) => l.level === "error")?.obj).toMatchObject({ err: error });
});

test("a redelivery whose check run completed starts nothing", async () => {
  const w = world();
  const id = await w.checks.start(w.target.headSha, w.target.runKey);
  await w.checks.complete(id, "success", { title: "t", summary: "s" });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("duplicate");
  expect(w.checks.runs).toHaveLength(1);
});

test("a run left in progress (a crash, a lost attempt) is resumed and completed, not started again", async () => {
  const w = world({ "p.yaml": FAILING });
  await w.checks.start(w.target.headSha, w.target.runKey);
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.checks.runs).toHaveLength(1);
  expect(w.checks.runs[0]).toMatchObject({ status: "completed", conclusion: "failure", completions: 1 });
});

test("a retryable GitHub failure leaves the run in progress for the next attempt; the final attempt reports it", async () => {
  const w = world({ "p.yaml": FAILING });
  const outage = Object.assign(new Error("Service Unavailable"), { status: 503 });
  w.reader.failWith.readBlob = outage;
  // A cache of its own: other tests read the same content, which would spare the read.
  const deps = { ...w.deps, blobs: new BlobCache() };
  const saved: number[] = [];
  const attempt = (final: boolean, checkRunId?: number) => ({ final, ...(checkRunId ? { checkRunId } : {}), saveCheckRun: async (id: number) => void saved.push(id), supersededBy: async () => undefined });
  await expect(evaluatePullRequest(w.target, deps, attempt(false))).rejects.toThrow("Service Unavailable");
  expect(w.checks.runs[0]).toMatchObject({ status: "in_progress" });
  expect(await evaluatePullRequest(w.target, deps, attempt(true, saved[0]))).toBe("error");
  expect(w.checks.runs).toHaveLength(1);
  expect(w.checks.runs[0]).toMatchObject({ status: "completed", conclusion: "failure" });
});

test("a newer head supersedes an evaluation: its run completes neutral, never stays in progress", async () => {
  const w = world({ "p.yaml": FAILING });
  const outcome = await evaluatePullRequest(w.target, w.deps, { final: true, saveCheckRun: async () => undefined, supersededBy: async () => "f".repeat(40) });
  expect(outcome).toBe("superseded");
  expect(w.checks.runs[0]).toMatchObject({ status: "completed", conclusion: "neutral" });
  expect(w.checks.runs[0]?.output?.title).toBe(`Superseded by ${"f".repeat(12)}`);
  expect(w.comments.comments).toHaveLength(0);
});

test.each([
  ["on-failure", "a passing result", 0, ""],
  ["on-failure", "a failing result", 1, FAILING],
  ["never", "a failing result", 0, FAILING],
  ["always", "a passing result", 1, ""],
] as const)("comment mode %s with %s writes %i comment(s)", async (mode, _what, count, manifest) => {
  const w = world(manifest ? { "p.yaml": manifest } : {}, { ".github/gitops-gate.yml": `comment: ${mode}\n` });
  const outcome = await evaluatePullRequest(w.target, w.deps);
  expect([outcome, w.comments.comments.length]).toEqual([manifest ? "failure" : "success", count]);
});

test("a comment that cannot be written leaves the completed verdict alone", async () => {
  const w = world({ "p.yaml": FAILING });
  w.comments.failWith.create = new Error("403 Resource not accessible by integration");
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.checks.runs[0]).toMatchObject({ status: "completed", conclusion: "failure", completions: 1 });
  expect(w.checks.runs[0]?.output?.title).toMatch(/blocking finding/);
  expect(w.log.lines.some((l) => l.level === "warn" && /comment could not be written/.test(l.msg ?? ""))).toBe(true);

  // A passing verdict stays a pass too: it is never flipped to failure.
  const ok = world({ "ok.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata: {name: c, namespace: shop}\n" });
  ok.comments.failWith.find = new Error("500");
  expect(await evaluatePullRequest(ok.target, ok.deps)).toBe("success");
  expect(ok.checks.runs[0]).toMatchObject({ conclusion: "success", completions: 1 });
});

test("a later push that fixes everything says so, from the comment's stored state", async () => {
  const w = world({ "p.yaml": FAILING });
  await evaluatePullRequest(w.target, w.deps);
  expect(w.comments.comments[0]?.body).toContain("blocked by");
  const fixed = w.reader.repo.commit({}, { parents: [w.target.headSha] });
  w.reader.pulls.set(1, { base: w.target.baseSha, head: fixed });
  await evaluatePullRequest({ ...w.target, headSha: fixed, runKey: "d2" }, w.deps);
  expect(w.comments.comments).toHaveLength(1);
  expect(w.comments.comments[0]?.body).toContain("all blocking findings are fixed");
});

test("an invalid config on the base branch fails the check at the line at fault", async () => {
  const w = world({ "p.yaml": FAILING }, { ".github/gitops-gate.yml": "drafts: true\nblock_on: [sometimes]\n" });
  expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
  expect(w.checks.runs[0]?.annotations).toEqual([expect.objectContaining({ path: ".github/gitops-gate.yml", start_line: 2 })]);
  expect(w.checks.runs[0]?.output?.summary).toContain("must be equal to one of the allowed values");
});

describe("Gatekeeper templates among the policy sources", () => {
  const TEMPLATE = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: k8suniquehost
  annotations:
    metadata.gatekeeper.sh/title: Unique host
spec:
  crd:
    spec:
      names:
        kind: K8sUniqueHost
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8suniquehost

        violation[{"msg": msg}] {
          host := input.review.object.spec.rules[_].host
          other := data.inventory.namespace[ns][_]["Ingress"][name]
          other.spec.rules[_].host == host
          not same(other)
          msg := sprintf("host %v is already used by ingress %v/%v (%v)", [host, ns, name, input.parameters.team])
        }

        same(other) {
          other.metadata.name == input.review.object.metadata.name
          other.metadata.namespace == input.review.object.metadata.namespace
        }
`;
  const CONSTRAINT = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sUniqueHost\nmetadata: {name: unique-hosts}\nspec:\n  match:\n    kinds: [{apiGroups: [networking.k8s.io], kinds: [Ingress]}]\n    excludedNamespaces: [sandbox]\n  parameters: {team: web}\n";
  const ingress = (name: string, ns: string, host: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  rules: [{host: ${host}}]\n`;
  const base = {
    ".github/gitops-gate.yml": "policies:\n  builtin: none\n  sources:\n    - path: policy/\n",
    "policy/unique-host.yaml": TEMPLATE,
    "cluster/constraints.yaml": CONSTRAINT,
    "apps/shop/ingress.yaml": ingress("shop", "shop", "shop.example.com"),
  };

  test("the evaluated commit's manifests are the inventory, and its Constraint configures the template", async () => {
    const w = world({ "apps/blog/ingress.yaml": ingress("blog", "blog", "shop.example.com") }, base);
    expect(await evaluatePullRequest(w.target, w.deps)).toBe("failure");
    const run = w.checks.runs[0];
    expect(run?.annotations).toEqual([
      expect.objectContaining({ path: "apps/blog/ingress.yaml", message: expect.stringContaining("host shop.example.com is already used by ingress shop/shop (web)") }),
    ]);
    expect(run?.annotations?.[0]?.title).toContain("K8sUniqueHost unique-hosts");
  });

  test("what the Constraint's match leaves out is not judged by it", async () => {
    const w = world({ "apps/sandbox/ingress.yaml": ingress("copy", "sandbox", "shop.example.com") }, base);
    expect(await evaluatePullRequest(w.target, w.deps)).toBe("success");
  });
});
