// The rendering engine (hydrate.wasm under node:wasi): Helm and Kustomize from files in
// memory, source information for every object, and errors at the line that caused them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HydrateEngine, RenderError } from "../../src/hydrate/engine.js";
import type { RenderRequest, RenderResult, SourceError } from "../../src/hydrate/types.js";
import { DEFAULT_KUBE_VERSION } from "../../src/hydrate/types.js";
import { memoryLimits, withMemoryMaximum } from "../../src/hydrate/wasm-memory.js";
import { ROOT } from "../helpers/corpus.js";
import { corpusRepo, engine, ensureWasm, tgz } from "./helpers.js";

function renderError(fn: () => unknown): RenderError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RenderError) return e;
    throw e;
  }
  throw new Error("expected a RenderError");
}

async function render(request: RenderRequest): Promise<RenderResult> {
  return (await engine()).render(request);
}

async function fails(request: RenderRequest): Promise<RenderError> {
  const e = await engine();
  return renderError(() => e.render(request));
}

function kinds(result: RenderResult): string[] {
  return result.objects.map((o) => `${String(o.object.kind)}/${String((o.object.metadata as { name?: string }).name)}`);
}

const CHART = {
  "app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
  "app/values.yaml": "image:\n  repository: nginx\n  tag: \"1.27\"\nreplicas: 1\n",
  "app/templates/_helpers.tpl": '{{- define "app.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end }}\n',
  "app/templates/deployment.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    '  name: {{ include "app.name" . }}',
    "  namespace: {{ .Release.Namespace }}",
    "spec:",
    "  replicas: {{ .Values.replicas }}",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: app",
    '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
    "",
  ].join("\n"),
};

describe("Helm", () => {
  test("podinfo renders with the default Kubernetes version, as helm template does", async () => {
    const result = await render({ kind: "helm", root: "charts/podinfo", files: corpusRepo("stefanprodan__podinfo") });
    expect(kinds(result).slice(0, 2)).toEqual(["Service/release-name-podinfo", "Deployment/release-name-podinfo"]);
    expect(kinds(result).slice(2).every((k) => k.startsWith("Pod/release-name-podinfo-"))).toBe(true);
    const deployment = result.objects[1];
    expect(deployment?.source).toEqual({ file: "charts/podinfo/templates/deployment.yaml", template: "podinfo/templates/deployment.yaml" });
    expect((deployment?.object.metadata as { namespace?: string }).namespace).toBe("default");
    expect(deployment?.yaml).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\n/);
    // Test pods are hooks: after the manifests, with their events.
    expect(result.objects.slice(2).every((o) => o.source.hook?.includes("test"))).toBe(true);
    expect(result.notes).toContain("release-name");
  });

  test("release name, namespace, value files in order, then inline values", async () => {
    const files = { ...CHART, "env/prod.yaml": "replicas: 3\nimage:\n  tag: \"1.28\"\n", "env/extra.yaml": "replicas: 4\n" };
    const result = await render({
      kind: "helm",
      root: "app",
      files,
      helm: { releaseName: "web", namespace: "shop", valueFiles: ["env/prod.yaml", "env/extra.yaml"], values: { image: { repository: "registry.example/nginx" } } },
    });
    expect(result.objects).toHaveLength(1);
    const d = result.objects[0]?.object as { metadata: { name: string; namespace: string }; spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
    expect(d.metadata).toEqual({ name: "web-app", namespace: "shop" });
    expect(d.spec.replicas).toBe(4);
    expect(d.spec.template.spec.containers[0]?.image).toBe("registry.example/nginx:1.28");
  });

  test("Kubernetes version: podinfo refuses v1.20.0 (Helm's library default) at Chart.yaml's kubeVersion line", async () => {
    const e = await fails({ kind: "helm", root: "charts/podinfo", files: corpusRepo("stefanprodan__podinfo"), helm: { kubeVersion: "v1.20.0" } });
    expect(e.message).toMatch(/^render charts\/podinfo: charts\/podinfo\/Chart.yaml:12: chart requires kubeVersion: >=1.23.0-0 which is incompatible with Kubernetes v1.20.0/);
    expect(e.errors[0]).toMatchObject({ file: "charts/podinfo/Chart.yaml", line: 12, code: "incompatible-kube-version" });
    expect(e.action).toBe("render charts/podinfo");
    expect(DEFAULT_KUBE_VERSION).toBe("v1.34.0");
  });

  test(".Capabilities.KubeVersion and APIVersions come from the request", async () => {
    const files = {
      ...CHART,
      "app/templates/deployment.yaml": "kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version }}\n  extra: {{ .Capabilities.APIVersions.Has \"example.com/v1\" | quote }}\n",
    };
    const def = await render({ kind: "helm", root: "app", files });
    expect((def.objects[0]?.object as { data: object }).data).toEqual({ kube: "v1.34.0", extra: "false" });
    const custom = await render({ kind: "helm", root: "app", files, helm: { kubeVersion: "1.31.2", apiVersions: ["example.com/v1"] } });
    expect((custom.objects[0]?.object as { data: object }).data).toEqual({ kube: "v1.31.2", extra: "true" });
  });

  test("a template syntax error points at the template line", async () => {
    const files = { ...CHART, "app/templates/deployment.yaml": CHART["app/templates/deployment.yaml"].replace("{{ .Values.replicas }}", "{{ .Values.replicas }") };
    const e = await fails({ kind: "helm", root: "app", files });
    expect(e.errors).toEqual([
      expect.objectContaining({ file: "app/templates/deployment.yaml", line: 7, code: "template-error", message: expect.stringContaining("parse error at (app/templates/deployment.yaml:7)") }),
    ]);
  });

  test("an execution error (required, in a helper) points where Helm's error text says: the include", async () => {
    const files = {
      ...CHART,
      "app/templates/_helpers.tpl": '{{- define "app.name" -}}\n{{ required "name is required" .Values.name }}\n{{- end }}\n',
    };
    const e = await fails({ kind: "helm", root: "app", files });
    expect(e.errors[0]).toMatchObject({ file: "app/templates/deployment.yaml", line: 4, column: 11, code: "template-error" });
    expect(e.errors[0]?.message).toContain("name is required");
  });

  test("a rendered document that is not YAML points at the template line that printed it", async () => {
    const files = { ...CHART, "app/templates/deployment.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: {{ .Values.replicas }}\n   b: broken\n" };
    const e = await fails({ kind: "helm", root: "app", files });
    expect(e.errors[0]).toMatchObject({ file: "app/templates/deployment.yaml", code: "template-error" });
    expect(e.errors[0]?.message).toContain("YAML parse error on app/templates/deployment.yaml");
    expect(e.errors[0]?.line).toBe(7);
  });

  test("a dependency that is not vendored is an error at its Chart.yaml entry", async () => {
    const files = {
      ...CHART,
      "app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: common\n    version: 2.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n  - name: redis\n    version: 19.0.0\n    repository: https://charts.bitnami.com/bitnami\n",
      "app/charts/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 2.1.0\ntype: library\n",
    };
    const e = await fails({ kind: "helm", root: "app", files });
    expect(e.errors).toEqual([expect.objectContaining({ file: "app/Chart.yaml", line: 8, code: "missing-dependency" })]);
    expect(e.errors[0]?.message).toMatch(/"redis".*not vendored.*helm dependency build app/);
  });

  test("subcharts vendored as a folder and as a .tgz render, each object naming its file", async () => {
    const sub = (name: string): Record<string, string> => ({
      "Chart.yaml": `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`,
      "values.yaml": "port: 80\n",
      "templates/service.yaml": `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-${name}\nspec:\n  ports:\n    - port: {{ .Values.port }}\n`,
    });
    const folder = Object.fromEntries(Object.entries(sub("cache")).map(([k, v]) => [`app/charts/cache/${k}`, v]));
    const archive = tgz(Object.fromEntries(Object.entries(sub("db")).map(([k, v]) => [`db/${k}`, v])));
    const files = new Map<string, string | Uint8Array>([
      ...Object.entries(CHART),
      ["app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: cache\n    version: 0.1.0\n  - name: db\n    version: 0.1.0\n    alias: database\n"],
      ["app/values.yaml", "image:\n  repository: nginx\n  tag: \"1.27\"\nreplicas: 1\ndatabase:\n  port: 5432\n"],
      ...Object.entries(folder),
      ["app/charts/db-0.1.0.tgz", archive],
    ]);
    const result = await render({ kind: "helm", root: "app", files });
    const byName = Object.fromEntries(result.objects.map((o) => [(o.object.metadata as { name: string }).name, o]));
    expect(Object.keys(byName).sort()).toEqual(["release-name-app", "release-name-cache", "release-name-db"]);
    expect(byName["release-name-cache"]?.source).toEqual({ file: "app/charts/cache/templates/service.yaml", template: "app/charts/cache/templates/service.yaml" });
    expect(byName["release-name-db"]?.source).toEqual({ file: "app/charts/db-0.1.0.tgz", template: "app/charts/database/templates/service.yaml" });
    expect((byName["release-name-db"]?.object as { spec: { ports: { port: number }[] } }).spec.ports[0]?.port).toBe(5432);
  });

  test(".helmignore keeps files out of the chart, as helm template reading the folder would", async () => {
    const files = { ...CHART, "app/.helmignore": "templates/skip-*.yaml\n", "app/templates/skip-me.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n" };
    expect(kinds(await render({ kind: "helm", root: "app", files }))).toEqual(["Deployment/release-name-app"]);
  });

  test("values.schema.json: a violation points at the value's line in the last values file that sets it", async () => {
    const files = {
      ...CHART,
      "app/values.schema.json": JSON.stringify({ type: "object", properties: { replicas: { type: "integer", minimum: 1 } } }),
      "env/prod.yaml": "# production\nimage:\n  tag: \"1.28\"\nreplicas: many\n",
    };
    const e = await fails({ kind: "helm", root: "app", files, helm: { valueFiles: ["env/prod.yaml"] } });
    expect(e.errors[0]).toMatchObject({ file: "env/prod.yaml", line: 4, code: "invalid-values" });
    expect(e.errors[0]?.message).toContain("replicas");
  });

  test("lookup returns nothing, as helm template gives it; hooks, tests and CRDs follow the flags", async () => {
    const files = {
      ...CHART,
      "app/crds/widget.yaml": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n",
      "app/templates/lookup.yaml": '{{- $s := lookup "v1" "Secret" "default" "x" }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: found-{{ len $s }}\n',
      "app/templates/hook.yaml": 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    "helm.sh/hook": pre-install,pre-upgrade\n',
      "app/templates/test.yaml": 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: smoke\n  annotations:\n    "helm.sh/hook": test\n',
      "app/templates/NOTES.txt": "Installed {{ .Release.Name }}.\n",
    };
    const all = await render({ kind: "helm", root: "app", files });
    // Hooks after the manifests, in Helm's hook order (weight, then kind: Pod before Job).
    expect(kinds(all)).toEqual(["ConfigMap/found-0", "Deployment/release-name-app", "Pod/smoke", "Job/migrate"]);
    expect(all.objects[3]?.source.hook).toEqual(["pre-install", "pre-upgrade"]);
    expect(all.notes).toBe("Installed release-name.\n");
    expect(kinds(await render({ kind: "helm", root: "app", files, helm: { skipTests: true } }))).toEqual(["ConfigMap/found-0", "Deployment/release-name-app", "Job/migrate"]);
    expect(kinds(await render({ kind: "helm", root: "app", files, helm: { noHooks: true } }))).toEqual(["ConfigMap/found-0", "Deployment/release-name-app"]);
    const crds = await render({ kind: "helm", root: "app", files, helm: { includeCrds: true, noHooks: true } });
    expect(kinds(crds)[0]).toBe("CustomResourceDefinition/widgets.example.com");
    expect(crds.objects[0]?.source).toEqual({ file: "app/crds/widget.yaml", template: "app/crds/widget.yaml", crd: true });
  });

  test("a folder without Chart.yaml and a missing values file are errors", async () => {
    expect((await fails({ kind: "helm", root: "nothing", files: CHART })).errors[0]).toMatchObject({ file: "nothing/Chart.yaml", code: "missing-file" });
    expect((await fails({ kind: "helm", root: "app", files: CHART, helm: { valueFiles: ["env/gone.yaml"] } })).errors[0]).toMatchObject({ file: "env/gone.yaml", code: "missing-file" });
  });
});

const BASE = {
  "base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
  "base/deployment.yaml": [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "spec:",
    "  template:",
    "    spec:",
    "      securityContext:",
    "        runAsNonRoot: true",
    "      containers:",
    "        - name: web",
    "          image: nginx:1.27",
    "",
  ].join("\n"),
};

describe("Kustomize", () => {
  test("podinfo's dev overlay: origin and transformations are source info, and not in the objects", async () => {
    const result = await render({ kind: "kustomize", root: "deploy/overlays/dev", files: corpusRepo("stefanprodan__podinfo") });
    expect(result.objects).toHaveLength(25);
    const backend = result.objects.find((o) => o.object.kind === "Deployment" && (o.object.metadata as { name: string }).name === "backend");
    expect(backend?.source).toEqual({
      file: "deploy/bases/backend/deployment.yaml",
      line: 1,
      origin: { path: "deploy/bases/backend/deployment.yaml" },
      transformations: [
        { configuredIn: "deploy/overlays/dev/kustomization.yaml", configuredBy: { apiVersion: "builtin", kind: "NamespaceTransformer" } },
        { configuredIn: "deploy/overlays/dev/labels.yaml", configuredBy: { apiVersion: "builtin", kind: "LabelTransformer", name: "labels" } },
      ],
    });
    for (const o of result.objects) {
      expect(JSON.stringify(o.object)).not.toMatch(/config\.kubernetes\.io\/(origin|transformations)/);
      expect(o.yaml).not.toMatch(/config\.kubernetes\.io/);
    }
    const generated = result.objects.find((o) => (o.object.metadata as { name: string }).name === "backup-script");
    expect(generated?.source.origin).toEqual({ configuredIn: "deploy/bases/database/kustomization.yaml", configuredBy: { apiVersion: "builtin", kind: "ConfigMapGenerator" } });
    expect(generated?.source.file).toBeUndefined();
  });

  test("a patch in an overlay is in the object's transformations, with the line of each base document", async () => {
    const files = {
      ...BASE,
      "base/deployment.yaml": "# web\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n---\n" + BASE["base/deployment.yaml"],
      "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: privileged.yaml\n",
      "overlays/prod/privileged.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          securityContext:\n            privileged: true\n",
    };
    const result = await render({ kind: "kustomize", root: "overlays/prod", files });
    const d = result.objects.find((o) => o.object.kind === "Deployment");
    expect(d?.source.file).toBe("base/deployment.yaml");
    expect(d?.source.line).toBe(8);
    expect(result.objects.find((o) => o.object.kind === "Service")?.source.line).toBe(3);
    expect(d?.source.transformations).toEqual([
      { configuredIn: "overlays/prod/kustomization.yaml", configuredBy: { apiVersion: "builtin", kind: "PatchTransformer" } },
    ]);
    // Kustomize does not say which patch of the kustomization it was; the engine does.
    expect(d?.source.patches).toEqual([{ file: "overlays/prod/privileged.yaml", line: 1, kustomization: "overlays/prod/kustomization.yaml", field: "patches" }]);
    expect(result.objects.find((o) => o.object.kind === "Service")?.source.patches).toBeUndefined();
    expect(d?.yaml).toContain("privileged: true");
  });

  test("a remote base is an error at its resources: entry", async () => {
    const files = { ...BASE, "overlays/prod/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base\n  - https://github.com/example/app//deploy?ref=v1.2.0\n" };
    const e = await fails({ kind: "kustomize", root: "overlays/prod", files });
    expect(e.errors).toEqual([expect.objectContaining({ file: "overlays/prod/kustomization.yaml", line: 5, code: "remote-base" })]);
    expect(e.message).toMatch(/^render overlays\/prod: overlays\/prod\/kustomization.yaml:5: resources: https:\/\/github.com\/example\/app\/\/deploy\?ref=v1.2.0 is remote/);
  });

  test("remote bases in a base the overlay reads, and in components, are found too", async () => {
    const files = {
      ...BASE,
      "base/kustomization.yaml": "resources:\n  - deployment.yaml\n  - github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1\n",
      "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\ncomponents:\n  - git@github.com:example/components.git//tls\n",
    };
    const e = await fails({ kind: "kustomize", root: "overlays/prod", files });
    expect(e.errors.map((x: SourceError) => `${x.file}:${x.line}:${x.code}`)).toEqual(["base/kustomization.yaml:3:remote-base", "overlays/prod/kustomization.yaml:4:remote-base"]);
  });

  test("a missing resource, patch or generator file is an error at the line that names it", async () => {
    const files = {
      ...BASE,
      "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\n  - gone.yaml\npatches:\n  - path: also-gone.yaml\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - app.conf=conf/missing.conf\n",
    };
    const e = await fails({ kind: "kustomize", root: "overlays/prod", files });
    expect(e.errors.map((x) => `${x.line}:${x.code}`)).toEqual(["3:missing-file", "5:missing-file", "9:missing-file"]);
  });

  test("a Component is not a root: building one alone fails, as kustomize build does", async () => {
    const e = await fails({ kind: "kustomize", root: "kustomize/components/spanner", files: corpusRepo("GoogleCloudPlatform__microservices-demo") });
    expect(e.errors[0]?.file).toBe("kustomize/components/spanner/kustomization.yaml");
    expect(e.errors[0]?.code).toBe("render-error");
  });

  test("helmCharts: a vendored chart is inflated in memory; one that is not is an error at its entry", async () => {
    const files = {
      ...Object.fromEntries(Object.entries(CHART).map(([k, v]) => [`env/charts/${k}`, v])),
      "env/kustomization.yaml": "namespace: shop\nhelmCharts:\n  - name: app\n    releaseName: web\n    valuesInline:\n      replicas: 2\n",
    };
    const result = await render({ kind: "kustomize", root: "env", files });
    expect(result.objects).toHaveLength(1);
    const d = result.objects[0];
    // Kustomize's namespace does not apply to Helm output (NamespaceTransformer skips it): Helm's namespace does.
    expect((d?.object as { metadata: object }).metadata).toEqual({ name: "web-app", namespace: "default" });
    expect((d?.object as { spec: { replicas: number } }).spec.replicas).toBe(2);
    expect(d?.source).toMatchObject({
      file: "env/charts/app/templates/deployment.yaml",
      template: "app/templates/deployment.yaml",
      origin: { configuredIn: "env/kustomization.yaml", configuredBy: { apiVersion: "builtin", kind: "HelmChartInflationGenerator", name: "app" } },
    });
    expect(d?.yaml).not.toContain("hydrate");
    const remote = { "env/kustomization.yaml": "helmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n    version: 6.14.1\n" };
    const e = await fails({ kind: "kustomize", root: "env", files: remote });
    expect(e.errors[0]).toMatchObject({ file: "env/kustomization.yaml", line: 2, code: "missing-dependency" });
  });

  test("what kustomize prints (deprecations) comes back as warnings, not on the process's output", async () => {
    const files = { ...BASE, "o/kustomization.yaml": "commonLabels:\n  team: web\nresources: [../base]\n" };
    const result = await render({ kind: "kustomize", root: "o", files });
    expect(result.warnings).toEqual([expect.stringContaining("'commonLabels' is deprecated")]);
    expect((await render({ kind: "kustomize", root: "base", files: BASE })).warnings).toEqual([]);
  });

  test("a folder without a kustomization is an error", async () => {
    expect((await fails({ kind: "kustomize", root: "base/none", files: BASE })).errors[0]).toMatchObject({ file: "base/none/kustomization.yaml", code: "missing-file" });
  });
});

describe("engine", () => {
  test("versions built in are the pinned ones", async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { config: Record<string, string> };
    expect((await engine()).info()).toMatchObject({ helm: `v${pkg.config["helmVersion"]}`, kustomizeApi: `v${pkg.config["kustomizeApiVersion"]}`, defaultKubeVersion: DEFAULT_KUBE_VERSION });
  });

  test("the wasm memory maximum is applied to the module", () => {
    const bytes = new Uint8Array(readFileSync(ensureWasm()));
    const before = memoryLimits(bytes);
    expect(before?.maximumPages).toBeUndefined();
    expect(memoryLimits(withMemoryMaximum(bytes, 256 * 1024 * 1024))).toEqual({ initialPages: before?.initialPages, maximumPages: 4096 });
    expect(() => withMemoryMaximum(bytes, 1024)).toThrow(/below the module's initial memory/);
  });

  test("a render past the memory maximum fails with an error, and the next render gets a new instance", async () => {
    const small = await HydrateEngine.load(ensureWasm(), { maxMemoryBytes: 192 * 1024 * 1024 });
    const files = { ...CHART, "app/templates/big.yaml": 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: {{ repeat 400000000 "x" | quote }}\n' };
    const e = renderError(() => small.render({ kind: "helm", root: "app", files }));
    // The Go runtime's own words come with it (it printed them to the captured output).
    expect(e.message).toMatch(/^render app: the rendering engine stopped: .*\(runtime: out of memory: cannot allocate \d+-byte block .*; fatal error: out of memory\)$/);
    expect(e.errors).toEqual([]);
    expect(kinds(small.render({ kind: "helm", root: "app", files: CHART }))).toEqual(["Deployment/release-name-app"]);
    expect(small.instanceCount).toBe(2);
    small.close();
  });

  test("a request the engine cannot read is an error, not an empty result", async () => {
    const e = await fails({ kind: "nope", root: "x", files: {} } as unknown as RenderRequest);
    expect(e.errors[0]).toMatchObject({ code: "invalid-input" });
  });
});
