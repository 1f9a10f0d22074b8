// Issue 9 end to end: the App judges what Argo CD or Flux will apply. A pull request that
// edits a chart template or a Kustomize patch is rendered and its objects judged, with
// findings on the lines people edit; a merged values bump shows in the release record.
import type { ReleaseRecord } from "../../src/release/record.js";
import { AppUnderTest } from "./harness.js";

const CHART = {
  "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.2.0\n",
  "charts/api/values.yaml": "image:\n  repository: registry.example.com/api\n  tag: 1.4.0\n",
  "charts/api/values-production.yaml": "image:\n  tag: 1.4.0\n",
  "charts/api/templates/_helpers.tpl": '{{- define "api.labels" -}}\napp: {{ .Chart.Name }}\n{{- end }}\n',
  "charts/api/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  namespace: shop
  labels:
    {{- include "api.labels" . | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "api.labels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "api.labels" . | nindent 8 }}
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
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
          livenessProbe: {httpGet: {path: /, port: 8080}}
          readinessProbe: {httpGet: {path: /, port: 8080}}
`,
};

let app: AppUnderTest;

beforeAll(async () => {
  app = new AppUnderTest();
  await app.start();
}, 60_000);

afterAll(async () => {
  await app?.stop();
});

afterEach(() => {
  expect(app.github.violations).toEqual([]);
});

async function completed(name: string, sha: string) {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const run = app.github.checkRuns.find((r) => r.head_sha === sha && r.name === name && r.status === "completed");
    if (run || Date.now() > deadline) return run;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a chart template edit is rendered: no parse error, findings on the template line, the roots in the summary", async () => {
  const gh = app.github;
  const template = CHART["charts/api/templates/deployment.yaml"].replace("            allowPrivilegeEscalation: false\n", "            allowPrivilegeEscalation: false\n            privileged: true\n");
  const base = gh.commit(CHART);
  const head = gh.commit({ ...CHART, "charts/api/templates/deployment.yaml": template }, { parents: [base] });
  const pr = gh.openPull({ number: 1, base, head, baseRef: "main", draft: false });
  await app.deliver("pull_request", app.pullRequestPayload("opened", pr));
  const run = await completed("gitops-gate", head);
  expect(run).toMatchObject({ conclusion: "failure" });
  const titles = run?.output.annotations.map((a) => `${a["path"]}:${a["start_line"]} ${a["title"]}`) ?? [];
  expect(titles.filter((t) => t.includes("parse-error"))).toEqual([]);
  // Two values sets render the template (defaults, production); the field sits on one line.
  expect([...new Set(titles.filter((t) => t.includes("[k8s-privileged]")))]).toEqual(["charts/api/templates/deployment.yaml:27 Container must not run privileged [k8s-privileged]"]);
  expect(run?.output.summary).toContain("`chart api@1.2.0 (charts/api)`: 1 object(s)");
  expect(run?.output.summary).toContain("`chart api@1.2.0 (charts/api) with values-production.yaml` (environment production): 1 object(s)");
});

test("a merged values bump shows the image change under its environment in the release record", async () => {
  const gh = app.github;
  const files = { ...CHART, "charts/api/values-production.yaml": "image:\n  tag: 1.5.0\n" };
  const base = gh.commit(CHART);
  const head = gh.commit(files, { parents: [base] });
  const mergeSha = gh.commit(files, { parents: [base, head], message: "Merge pull request #2" });
  gh.branches.set("main", mergeSha);
  const pr = gh.openPull({ number: 2, base, head, baseRef: "main", draft: false, merged: true, mergeSha });
  gh.branches.set("main", mergeSha);
  await app.deliver("pull_request", app.pullRequestPayload("closed", pr));
  const run = await completed("gitops-gate/release", mergeSha);
  const record = JSON.parse(run?.output.text ?? "{}") as ReleaseRecord;
  const production = record.environments.find((e) => e.environment === "production");
  expect(production?.images).toEqual([{ workload: "Deployment/shop/release-name", container: "api", before: "registry.example.com/api:1.4.0", after: "registry.example.com/api:1.5.0" }]);
  expect(run?.output.summary).toContain("#### Environment `production`");
});
