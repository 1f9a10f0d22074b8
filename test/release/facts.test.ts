// Diff facts over pairs of real manifests from ../shared/corpus.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { detectFormat, parseFile } from "../../src/manifests/index.js";
import { diffEnvironment, parseImage, type ManifestSnapshot } from "../../src/release/facts.js";
import { codeOwners, codeOwnersMatcher, linkedIssues, revertCommand } from "../../src/release/record.js";
import { CORPUS } from "../helpers/corpus.js";

function snapshot(rel: string, as = rel): ManifestSnapshot {
  const path = join(CORPUS, rel);
  const r = parseFile({ path, bytes: readFileSync(path) }, detectFormat(path) ?? "yaml");
  if (!r.ok) throw new Error(`parse ${rel}: ${r.error.message}`);
  return { path: as, documents: r.documents.map((d) => d.content) };
}

const DEMO = "kubernetes/GoogleCloudPlatform__microservices-demo";

test("dev manifests → the release bundle of microservices-demo: every image pinned to v0.10.6", () => {
  const services = ["adservice", "cartservice", "frontend"];
  const before = services.map((s) => snapshot(`${DEMO}/kubernetes-manifests/${s}.yaml`, `deploy/${s}.yaml`));
  const after = [snapshot(`${DEMO}/release/kubernetes-manifests.yaml`, "deploy/release.yaml")];
  const facts = diffEnvironment("production", before, after);
  const ad = facts.images.find((i) => i.workload === "Deployment/default/adservice" || i.workload === "Deployment/adservice");
  expect(ad).toEqual({
    workload: ad?.workload,
    container: "server",
    before: "adservice",
    after: "us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/adservice:v0.10.6",
  });
  expect(facts.changed.map((r) => r.name)).toEqual(expect.arrayContaining(["adservice", "cartservice", "frontend"]));
  // The release bundle adds every other service: added, not changed.
  expect(facts.added.map((r) => r.name)).toEqual(expect.arrayContaining(["checkoutservice", "paymentservice"]));
  expect(facts.removed).toEqual([]);
  expect(facts.irreversible).toEqual([]);
});

test("catalog MySQL StatefulSet replaced by its EBS variant: removal is flagged irreversible", () => {
  const base = "kubernetes/aws-samples__eks-workshop-v2/manifests";
  const facts = diffEnvironment(
    "staging",
    [snapshot(`${base}/base-application/catalog/statefulset-mysql.yaml`, "deploy/catalog/mysql.yaml")],
    [snapshot(`${base}/modules/fundamentals/storage/ebs/statefulset-mysql.yaml`, "deploy/catalog/mysql.yaml")],
  );
  expect(facts.removed.map((r) => `${r.kind}/${r.name}`)).toEqual(["StatefulSet/catalog-mysql"]);
  expect(facts.added.map((r) => `${r.kind}/${r.namespace}/${r.name}`)).toEqual(["StatefulSet/catalog/catalog-mysql-ebs"]);
  expect(facts.irreversible).toHaveLength(1);
  expect(facts.irreversible[0]).toMatch(/^StatefulSet\/catalog-mysql is deleted: its volumes and their data are not restored/);
});

test("Karpenter's inflate Deployment moved to EKS Auto Mode: changed, same image and replicas", () => {
  const base = "kubernetes/aws-samples__eks-workshop-v2/manifests/modules/autoscaling/compute/karpenter";
  const facts = diffEnvironment("main", [snapshot(`${base}/scale/deployment.yaml`, "d.yaml")], [snapshot(`${base}/automode/scale/deployment.yaml`, "d.yaml")]);
  expect(facts.changed).toEqual([{ kind: "Deployment", namespace: "other", name: "inflate" }]);
  expect([facts.added, facts.removed, facts.images, facts.replicas]).toEqual([[], [], [], []]);
});

test("a renamed Deployment is a removal and an addition, each with its image and replicas", () => {
  const base = "kubernetes/aws-samples__eks-workshop-v2/manifests/modules/autoscaling/compute";
  const facts = diffEnvironment("main", [snapshot(`${base}/karpenter/scale/deployment.yaml`, "d.yaml")], [snapshot(`${base}/overprovisioning/setup/deployment-pause.yaml`, "d.yaml")]);
  expect(facts.removed).toEqual([{ kind: "Deployment", namespace: "other", name: "inflate" }]);
  expect(facts.added).toEqual([{ kind: "Deployment", namespace: "other", name: "pause-pods" }]);
  expect(facts.images).toEqual([
    { workload: "Deployment/other/inflate", container: "inflate", before: "public.ecr.aws/eks-distro/kubernetes/pause:3.2", after: null },
    { workload: "Deployment/other/pause-pods", container: "reserve-resources", before: null, after: "registry.k8s.io/pause" },
  ]);
  expect(facts.replicas).toEqual([
    { resource: "Deployment/other/inflate", before: 0, after: null },
    { resource: "Deployment/other/pause-pods", before: null, after: 2 },
  ]);
});

test("Helm chart versions: Chart.yaml before and after a bump", () => {
  const chart = snapshot("helm/prometheus-community__helm-charts/charts/alertmanager/Chart.yaml", "charts/alertmanager/Chart.yaml");
  const doc = chart.documents[0] as { name: string; version: string };
  const bumped = { path: chart.path, documents: [{ ...doc, version: "99.0.0" }] };
  const facts = diffEnvironment("main", [chart], [bumped]);
  expect(facts.charts).toEqual([{ resource: `chart ${doc.name}`, before: doc.version, after: "99.0.0" }]);
});

test("a Flux HelmRelease chart version from the corpus", () => {
  const rel = snapshot("kubernetes/aws-samples__eks-workshop-v2/manifests/modules/automation/gitops/flux/basic/apps/ui/helm.yaml", "apps/ui/helm.yaml");
  const hr = rel.documents.find((d) => (d as { kind?: string }).kind === "HelmRelease") as { spec: { chart: { spec: { version: string } } } } | undefined;
  if (!hr) throw new Error("corpus file has no HelmRelease");
  const bumped = { path: rel.path, documents: rel.documents.map((d) => (d === hr ? { ...hr, spec: { ...hr.spec, chart: { spec: { ...hr.spec.chart.spec, version: "9.9.9" } } } } : d)) };
  const facts = diffEnvironment("main", [rel], [bumped]);
  expect(facts.charts).toHaveLength(1);
  expect(facts.charts[0]).toMatchObject({ before: hr.spec.chart.spec.version, after: "9.9.9" });
});

test("identical manifests yield no facts", () => {
  const s = snapshot(`${DEMO}/kubernetes-manifests/frontend.yaml`);
  const facts = diffEnvironment("main", [s], [s]);
  expect([facts.added, facts.removed, facts.changed, facts.images, facts.replicas, facts.charts]).toEqual([[], [], [], [], [], []]);
});

test.each([
  ["nginx", { repository: "nginx", tag: null, digest: null }],
  ["localhost:5000/app:1.2", { repository: "localhost:5000/app", tag: "1.2", digest: null }],
  ["repo/app@sha256:abc", { repository: "repo/app", tag: null, digest: "sha256:abc" }],
])("parseImage(%s)", (ref, want) => {
  expect(parseImage(ref)).toEqual(want);
});

test("revert commands for merge, squash and rebase", () => {
  expect(revertCommand("merge", "m", 3)).toBe("git revert -m 1 m");
  expect(revertCommand("squash", "s", 3)).toBe("git revert s");
  expect(revertCommand("rebase", "r", 3)).toBe("git revert --no-edit r~3..r");
});

test("linked issues and CODEOWNERS (last match wins)", () => {
  expect(linkedIssues("Fixes #3, closes #12 and resolves: #7; mentions #9")).toEqual([3, 7, 12]);
  const owners = "* @acme/platform\n/deploy/prod/ @acme/sre\n*.md @acme/docs\n";
  const match = codeOwnersMatcher();
  expect(codeOwners(owners, ["deploy/prod/web.yaml"], match)).toEqual(["@acme/sre"]);
  expect(codeOwners(owners, ["deploy/staging/web.yaml", "docs/x.md"], match)).toEqual(["@acme/docs", "@acme/platform"]);
});
