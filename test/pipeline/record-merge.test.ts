// The merge pipeline against fakes: the record's facts, what an invalid config does, and
// side effects that fail after the record is published.
import { recordMerge, type MergeDeps, type MergedPullRequest } from "../../src/pipeline/record-merge.js";
import type { ReleaseRecord } from "../../src/release/record.js";
import { renderCheckRun } from "../../src/render/check-run.js";
import { decideVerdict } from "../../src/evaluation/verdict.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeReleaseStore } from "../fakes/release-store.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "acme", repo: "deploy" };
const shared = policyDeps();
afterAll(() => shared.close());
const web = (tag: string, replicas = 2) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: ${replicas}\n  template:\n    spec:\n      containers:\n        - name: web\n          image: registry.example.com/web:${tag}\n`;

function merged(baseFiles: Record<string, string>, headFiles: Record<string, string>) {
  const reader = new FakeRepoReader(REPO);
  const base = reader.repo.commit(baseFiles, { branch: "main" });
  const head = reader.repo.commit(headFiles, { parents: [base] });
  const mergeSha = reader.repo.commit(headFiles, { parents: [base, head], message: "Merge pull request #7 from acme/feature" });
  reader.repo.branches.set("main", mergeSha);
  const releases = new FakeReleaseStore();
  const comments = new FakeCommentStore();
  const log = new FakeLog();
  const deps: MergeDeps = { reader, releases, comments, log, pool: shared.pool, blobs: shared.blobs };
  const pr: MergedPullRequest = {
    repo: REPO, number: 7, title: "Bump web", body: "Fixes #3", url: "https://github.example/acme/deploy/pull/7", author: "dev", mergedBy: "lead",
    mergedAt: "2026-12-01T10:00:00Z", mergeSha, baseSha: base, headSha: head, baseRef: "main", defaultBranch: "main", labels: [], commits: 1,
  };
  const record = () => JSON.parse(releases.records.get(mergeSha)?.text ?? "null") as ReleaseRecord;
  return { reader, releases, comments, log, deps, pr, record };
}

test("an image bump: images, replicas and rollback notes per environment, in the check run and the comment", async () => {
  const config = ".github/gitops-gate.yml";
  const cfg = "environments:\n  production:\n    paths: ['deploy/prod/**']\n    owners: ['@acme/sre']\n";
  const w = merged({ [config]: cfg, "deploy/prod/web.yaml": web("1.4.0") }, { [config]: cfg, "deploy/prod/web.yaml": web("1.5.0", 3) });
  expect(await recordMerge(w.pr, w.deps)).toBe("recorded");
  const record = w.record();
  expect(record.environments).toHaveLength(1);
  expect(record.environments[0]).toMatchObject({
    environment: "production",
    images: [{ workload: "Deployment/shop/web", container: "web", before: "registry.example.com/web:1.4.0", after: "registry.example.com/web:1.5.0" }],
    replicas: [{ resource: "Deployment/shop/web", before: 2, after: 3 }],
    rollback: { owners: ["@acme/sre"], ownersFrom: "config", revertCommand: `git revert -m 1 ${w.pr.mergeSha}` },
  });
  expect(record.pullRequest.linkedIssues).toEqual([3]);
  expect(record.configError).toBeUndefined();
  expect(w.comments.comments).toHaveLength(1);
});

test("the policy verdict and accepted warnings come from the check run's data, not its prose", async () => {
  const w = merged({ "a.yaml": web("1") }, { "a.yaml": web("2") });
  const warn = { ruleId: "k8s-cpu-limit", kind: "warn" as const, severity: "low" as const, title: "t", message: "m", file: "a.yaml", line: 1 };
  const rendered = renderCheckRun({
    verdict: decideVerdict([{ path: "a.yaml", format: "yaml", status: "evaluated", documents: 1, findings: [warn, warn], waived: [] }], ["deny"]),
    toolVersion: "t", policies: [], configSources: [], headSha: w.pr.headSha,
  });
  w.reader.policy = { conclusion: "success", url: "https://github.example/run/1", summary: rendered.summary };
  await recordMerge(w.pr, w.deps);
  expect(w.record().policy).toEqual({ verdict: "success", checkRunUrl: "https://github.example/run/1", summary: "✅ gitops-gate: nothing blocks this change", acceptedWarnings: 2, sources: [], preExisting: null, waivers: [] });

  // A check run whose summary carries no data gives no count rather than a guess.
  const other = merged({ "a.yaml": web("1") }, { "a.yaml": web("2") });
  other.reader.policy = { conclusion: "success", url: "", summary: "**7** warning(s)" };
  await recordMerge(other.pr, other.deps);
  expect(other.record().policy.acceptedWarnings).toBeNull();
});

test("an invalid config still records the merge, with the built-in settings, and says so", async () => {
  const config = ".github/gitops-gate.yml";
  const w = merged({ [config]: "environments: [oops]\n", "deploy/web.yaml": web("1") }, { [config]: "environments: [oops]\n", "deploy/web.yaml": web("2") });
  expect(await recordMerge(w.pr, w.deps)).toBe("recorded");
  const record = w.record();
  expect(record.configError).toMatch(/\.github\/gitops-gate\.yml line 1/);
  expect(record.environments.map((e) => e.environment)).toEqual(["main"]);
  expect(w.releases.records.get(w.pr.mergeSha)?.summary).toContain("The gitops-gate config is invalid");
});

test("a comment that cannot be written leaves the published record, and a redelivery writes nothing twice", async () => {
  const w = merged({ "a.yaml": web("1") }, { "a.yaml": web("2") });
  w.comments.failWith.create = new Error("403");
  expect(await recordMerge(w.pr, w.deps)).toBe("recorded");
  expect(w.releases.records.size).toBe(1);
  expect(w.log.lines.some((l) => l.level === "warn")).toBe(true);
  expect(await recordMerge(w.pr, w.deps)).toBe("duplicate");
  expect(w.releases.records.size).toBe(1);
});

test("a merge into a branch that is not a release branch is skipped", async () => {
  const w = merged({ "a.yaml": web("1") }, { "a.yaml": web("2") });
  expect(await recordMerge({ ...w.pr, baseRef: "feature" }, w.deps)).toBe("skipped");
  expect(w.releases.records.size).toBe(0);
});

describe("release facts from rendered state", () => {
  const chart = {
    "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.2.0\n",
    "charts/api/values.yaml": "image:\n  repository: registry.example.com/api\n  tag: 1.4.0\n",
    "charts/api/values-production.yaml": "image:\n  tag: 1.4.0\n",
    "charts/api/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n",
  };

  test("a values bump shows as the image change, in the environment the values file names", async () => {
    const w = merged(chart, { ...chart, "charts/api/values-production.yaml": "image:\n  tag: 1.5.0\n" });
    expect(await recordMerge(w.pr, w.deps)).toBe("recorded");
    const prod = w.record().environments.find((e) => e.environment === "production");
    expect(prod?.images).toEqual([{ workload: "Deployment/shop/api", container: "api", before: "registry.example.com/api:1.4.0", after: "registry.example.com/api:1.5.0" }]);
    expect(prod?.files).toEqual(["charts/api/values-production.yaml"]);
  });

  test("a StatefulSet an overlay stops rendering gives the data-loss warning", async () => {
    const sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  template:\n    spec:\n      containers: [{name: db, image: postgres:16}]\n";
    const before = { "base/kustomization.yaml": "resources: [db.yaml]\n", "base/db.yaml": sts, "prod/kustomization.yaml": "namespace: shop\nresources: [../base]\n" };
    const after = { ...before, "prod/kustomization.yaml": "namespace: shop\nresources: []\n" };
    const w = merged(before, after);
    expect(await recordMerge(w.pr, w.deps)).toBe("recorded");
    const warnings = w.record().environments.flatMap((e) => e.rollback.warnings);
    expect(warnings.join("\n")).toContain("StatefulSet/shop/db");
  });
});
