// Rendering in the pull-request pipeline (issue 9), against fakes of GitHub and the real
// engines: findings on what Argo CD or Flux will apply, at the lines a person edits.
import { evaluatePullRequest, type PipelineDeps } from "../../src/pipeline/evaluate-pull-request.js";
import { FakeCheckPublisher } from "../fakes/check-publisher.js";
import { FakeCommentStore } from "../fakes/comment-store.js";
import { FakeLog } from "../fakes/log.js";
import { FakeRepoReader } from "../fakes/repo-reader.js";
import { FakeSourceReader } from "../fakes/source-reader.js";
import { policyDeps } from "../helpers/policies.js";

const REPO = { owner: "acme", repo: "deploy" };
const shared = policyDeps();
afterAll(() => shared.close());

const HARDENED = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 1
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: registry.example.com/api:1.0.0
          resources:
            requests: {cpu: 10m, memory: 32Mi}
            limits: {cpu: 100m, memory: 64Mi}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          livenessProbe: {httpGet: {path: /, port: 8080}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
`;

const BASE = {
  ".github/gitops-gate.yml": "block_on: [deny]\n",
  "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "base/deployment.yaml": HARDENED,
  "overlays/prod/kustomization.yaml": "namespace: shop\nresources:\n  - ../../base\npatches:\n  - path: replicas.yaml\n",
  "overlays/prod/replicas.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n",
};

const CHART = {
  "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.2.0\n",
  "charts/api/values.yaml": "image:\n  repository: registry.example.com/api\n  tag: 1.0.0\nprivileged: false\n",
  "charts/api/values-production.yaml": "image:\n  tag: 1.1.0\n",
  "charts/api/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: shop
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: api
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          resources:
            requests: {cpu: 10m, memory: 32Mi}
            limits: {cpu: 100m, memory: 64Mi}
          securityContext:
            privileged: {{ .Values.privileged }}
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          livenessProbe: {httpGet: {path: /, port: 8080}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
`,
};

async function evaluate(base: Record<string, string>, head: Record<string, string>) {
  const reader = new FakeRepoReader(REPO);
  const b = reader.repo.commit(base, { branch: "main" });
  const h = reader.repo.commit({ ...base, ...head }, { parents: [b] });
  reader.pulls.set(1, { base: b, head: h });
  const checks = new FakeCheckPublisher();
  const deps: PipelineDeps = { ...shared, reader, sources: new FakeSourceReader(reader), checks, comments: new FakeCommentStore(), log: new FakeLog() };
  const outcome = await evaluatePullRequest({ repo: REPO, pull: 1, headSha: h, baseRef: "main", baseSha: b, changedFiles: Object.keys(head).length, draft: false, runKey: "d" }, deps);
  const run = checks.runs[0];
  return { outcome, run, annotations: run?.annotations.map((a) => `${a.path}:${a.start_line} ${a.title}`) ?? [] };
}

test("a patch without securityContext over a hardened base gives no finding, and the patch is not judged alone", async () => {
  const { outcome, annotations, run } = await evaluate(BASE, { "overlays/prod/replicas.yaml": BASE["overlays/prod/replicas.yaml"].replace("replicas: 3", "replicas: 4") });
  expect(annotations).toEqual([]);
  expect(outcome).toBe("success");
  expect(run?.output?.summary).toContain("`overlays/prod`: 1 object(s)");
});

test("a privileged container added in a Kustomize patch lands on the patch's line, naming the overlay", async () => {
  const patch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: api
          securityContext:
            privileged: true
`;
  const { outcome, run } = await evaluate(BASE, { "overlays/prod/replicas.yaml": patch });
  expect(outcome).toBe("failure");
  const privileged = run?.annotations.find((a) => a.title.includes("[k8s-privileged]"));
  expect(privileged).toMatchObject({ path: "overlays/prod/replicas.yaml", start_line: 12 });
  expect(privileged?.message).toContain("(rendered by overlays/prod)");
});

test("a chart template edit is rendered and judged, never a parse error; a values field lands on the values line", async () => {
  const head = { ...CHART, "charts/api/values-production.yaml": "image:\n  tag: latest\n" };
  const { annotations, run } = await evaluate({ ...BASE, ...CHART }, head);
  expect(annotations.some((a) => a.includes("parse-error"))).toBe(false);
  const tag = run?.annotations.filter((a) => a.title.includes("[k8s-image-tag]")).map((a) => `${a.path}:${a.start_line}`);
  expect(tag).toEqual(["charts/api/values-production.yaml:2"]);
  expect(run?.output?.summary).toMatch(/chart api@1\.2\.0 \(charts\/api\) with values-production\.yaml/);
});

test("a field written in the template without .Values lands on the template line", async () => {
  const template = CHART["charts/api/templates/deployment.yaml"].replace("privileged: {{ .Values.privileged }}", "privileged: true");
  const { run } = await evaluate({ ...BASE, ...CHART }, { "charts/api/templates/deployment.yaml": template });
  const lines = run?.annotations.filter((a) => a.title.includes("[k8s-privileged]")).map((a) => `${a.path}:${a.start_line}`);
  expect([...new Set(lines)]).toEqual(["charts/api/templates/deployment.yaml:22"]);
});

test.each([
  ["a remote base", { "overlays/prod/kustomization.yaml": "namespace: shop\nresources:\n  - ../../base\n  - https://github.com/acme/shared//base?ref=v1\n" }, "overlays/prod/kustomization.yaml:4"],
  ["a chart dependency that is not vendored", { "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.2.0\ndependencies:\n  - name: redis\n    version: 17.0.0\n    repository: https://charts.bitnami.com/bitnami\n" }, "charts/api/Chart.yaml:5"],
  // Helm's parser reports an unclosed action where it stops reading: the next line.
  ["a template syntax error", { "charts/api/templates/deployment.yaml": CHART["charts/api/templates/deployment.yaml"].replace("{{ .Release.Name }}", "{{ .Release.Name ") }, "charts/api/templates/deployment.yaml:5"],
])("%s is an error finding at the line that caused it", async (_what, head, at) => {
  const { outcome, run } = await evaluate({ ...BASE, ...CHART }, head);
  expect(outcome).toBe("failure");
  const errors = run?.annotations.filter((a) => a.title.includes("[gitops-gate/render-error]")).map((a) => `${a.path}:${a.start_line}`);
  // Once, however many renders (values sets) hit the same error.
  expect(errors).toEqual([at]);
});
