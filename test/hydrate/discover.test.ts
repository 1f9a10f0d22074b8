// Discovery: what to render, from paths and contents only.
import {
  affectedRoots,
  findHelmCharts,
  findKustomizations,
  findKustomizeRoots,
  helmInputs,
  helmValueSets,
  kustomizeInputs,
  looksRemote,
  resolvePath,
} from "../../src/hydrate/discover/index.js";
import { repositoryMatcher } from "../../src/hydrate/plan.js";
import { corpusRepo } from "./helpers.js";

const podinfo = corpusRepo("stefanprodan__podinfo");
const boutique = corpusRepo("GoogleCloudPlatform__microservices-demo");
const flux = corpusRepo("fluxcd__flux2-kustomize-helm-example");

describe("Kustomize roots", () => {
  test("every folder with a kustomization file, in each corpus repository", () => {
    expect(findKustomizeRoots(podinfo).map((r) => r.dir)).toEqual([
      "deploy/bases/backend",
      "deploy/bases/cache",
      "deploy/bases/database",
      "deploy/bases/frontend",
      "deploy/overlays/dev",
      "deploy/overlays/production",
      "deploy/overlays/staging",
      "kustomize",
    ]);
    expect(findKustomizeRoots(flux).map((r) => r.file)).toEqual([
      "apps/base/podinfo/kustomization.yaml",
      "apps/production/kustomization.yaml",
      "apps/staging/kustomization.yaml",
      "clusters/production/flux-system/kustomization.yaml",
      "clusters/staging/flux-system/kustomization.yaml",
      "infrastructure/configs/kustomization.yaml",
      "infrastructure/controllers/kustomization.yaml",
    ]);
  });

  test("a Component is never a root", () => {
    const all = findKustomizations(boutique);
    const components = all.filter((k) => k.kind === "Component").map((k) => k.dir);
    expect(components).toHaveLength(15);
    expect(components.every((d) => d.startsWith("kustomize/components/"))).toBe(true);
    expect(findKustomizeRoots(boutique).map((r) => r.dir)).toEqual([
      "kustomize",
      "kustomize/base",
      "kustomize/tests/memorystore-with-all-components",
      "kustomize/tests/service-mesh-istio-with-all-components",
      "kustomize/tests/spanner-with-all-components",
    ]);
  });

  test("the other file names, and a root at the repository root", () => {
    const files = { kustomization: "no", "Kustomization": "resources: [a.yaml]\n", "a.yaml": "kind: ConfigMap\n", "x/kustomization.yml": "kind: Component\n" };
    expect(findKustomizations(files)).toEqual([
      { dir: "", file: "Kustomization", kind: "Kustomization" },
      { dir: "x", file: "x/kustomization.yml", kind: "Component" },
    ]);
  });
});

describe("what a build reads", () => {
  test("an overlay reads its bases in other folders, their generator files and its transformers", () => {
    const inputs = kustomizeInputs(podinfo, "deploy/overlays/dev");
    expect(inputs.unresolved).toEqual([]);
    expect(inputs.kustomizations).toEqual([
      "deploy/overlays/dev/kustomization.yaml",
      "deploy/bases/backend/kustomization.yaml",
      "deploy/bases/frontend/kustomization.yaml",
      "deploy/bases/cache/kustomization.yaml",
      "deploy/bases/database/kustomization.yaml",
    ]);
    expect(inputs.files).toEqual(expect.arrayContaining([
      "deploy/overlays/dev/labels.yaml",
      "deploy/overlays/dev/namespace.yaml",
      "deploy/bases/cache/redis.conf",
      "deploy/bases/database/scripts/backup.sh",
      "deploy/bases/frontend/scripts/warm-cache-init.sh",
      "deploy/bases/backend/deployment.yaml",
    ]));
    expect(inputs.files).not.toContain("deploy/bases/database/README.md");
    expect(inputs.files).not.toContain("deploy/overlays/staging/labels.yaml");
  });

  test("components are read, transitively, with their resources and patches", () => {
    const inputs = kustomizeInputs(boutique, "kustomize/tests/spanner-with-all-components");
    expect(inputs.kustomizations).toContain("kustomize/components/spanner/kustomization.yaml");
    expect(inputs.files).toContain("kustomize/components/network-policies/network-policy-redis.yaml");
    expect(inputs.files).toContain("kustomize/components/google-cloud-operations/otel-collector.yaml");
    expect(inputs.files).toContain("kustomize/base/frontend.yaml");
    expect(inputs.files).not.toContain("kustomize/components/memorystore/kustomization.yaml");
  });

  test("patches in all three fields, replacements, env files and helmCharts", () => {
    const files = {
      "o/kustomization.yaml": [
        "resources: [../b]",
        "patches:",
        "  - path: p1.yaml",
        "  - patch: |-",
        "      - op: remove",
        "        path: /spec",
        "    target: {kind: Deployment}",
        "patchesStrategicMerge: [p2.yaml, 'apiVersion: v1']",
        "patchesJson6902:",
        "  - path: p3.yaml",
        "    target: {kind: Service, name: x}",
        "replacements:",
        "  - path: r.yaml",
        "secretGenerator:",
        "  - name: s",
        "    envs: [s.env]",
        "    files: [key=conf/k.txt]",
        "helmCharts:",
        "  - name: app",
        "    valuesFile: v.yaml",
        "",
      ].join("\n"),
      "o/p1.yaml": "",
      "o/p2.yaml": "",
      "o/p3.yaml": "",
      "o/r.yaml": "",
      "o/s.env": "",
      "o/conf/k.txt": "",
      "o/v.yaml": "",
      "o/charts/app/Chart.yaml": "name: app\n",
      "o/charts/app/templates/a.yaml": "",
      "b/kustomization.yaml": "resources: [d.yaml]\n",
      "b/d.yaml": "",
      "unrelated.yaml": "",
    };
    expect(kustomizeInputs(files, "o")).toEqual({
      root: "o",
      files: [
        "b/d.yaml",
        "b/kustomization.yaml",
        "o/charts/app/Chart.yaml",
        "o/charts/app/templates/a.yaml",
        "o/conf/k.txt",
        "o/kustomization.yaml",
        "o/p1.yaml",
        "o/p2.yaml",
        "o/p3.yaml",
        "o/r.yaml",
        "o/s.env",
        "o/v.yaml",
      ],
      kustomizations: ["o/kustomization.yaml", "b/kustomization.yaml"],
      unresolved: [],
    });
  });

  test("remote, missing and outside references are reported with their lines", () => {
    const files = {
      "o/kustomization.yaml": "resources:\n  - ../b\n  - github.com/org/repo//base?ref=v1\n  - gone.yaml\n  - ../../up\n  - ../empty\ncomponents:\n  - https://example.com/c.git\nhelmCharts:\n  - name: podinfo\n    repo: https://stefanprodan.github.io/podinfo\n    version: 6.0.0\n",
      "b/kustomization.yaml": "resources: [d.yaml]\n",
      "b/d.yaml": "",
      "empty/readme.md": "",
    };
    expect(kustomizeInputs(files, "o").unresolved).toEqual([
      { file: "o/kustomization.yaml", line: 3, field: "resources", ref: "github.com/org/repo//base?ref=v1", reason: "remote" },
      { file: "o/kustomization.yaml", line: 4, field: "resources", ref: "gone.yaml", reason: "missing" },
      { file: "o/kustomization.yaml", line: 5, field: "resources", ref: "../../up", reason: "outside-repository" },
      { file: "o/kustomization.yaml", line: 6, field: "resources", ref: "../empty", reason: "not-a-kustomization" },
      { file: "o/kustomization.yaml", line: 8, field: "components", ref: "https://example.com/c.git", reason: "remote" },
      { file: "o/kustomization.yaml", line: 10, field: "helmCharts", ref: "https://stefanprodan.github.io/podinfo podinfo", reason: "remote" },
    ]);
  });

  test("a cycle of bases ends", () => {
    const files = { "a/kustomization.yaml": "resources: [../b]\n", "b/kustomization.yaml": "resources: [../a]\n" };
    expect(kustomizeInputs(files, "a").kustomizations).toEqual(["a/kustomization.yaml", "b/kustomization.yaml"]);
  });

  test("remote references and paths", () => {
    for (const r of ["https://github.com/a/b//c", "github.com/a/b/c?ref=v1", "git@github.com:a/b.git", "ssh://git@host/a.git", "gitlab.com/group/repo/path"]) expect(looksRemote(r)).toBe(true);
    for (const r of ["../base", "deployment.yaml", "./overlays/prod", "base"]) expect(looksRemote(r)).toBe(false);
    expect(resolvePath("a/b", "../c")).toBe("a/c");
    expect(resolvePath("a", "../..")).toBeUndefined();
    expect(resolvePath("", ".")).toBe("");
  });
});

describe("Helm charts and values sets", () => {
  test("charts in the corpus, with their values files; vendored subcharts are not roots", () => {
    expect(findHelmCharts(podinfo)).toEqual([{ dir: "charts/podinfo", name: "podinfo", version: "6.14.1", type: "", valuesFiles: ["charts/podinfo/values-prod.yaml"] }]);
    expect(findHelmCharts(boutique).map((c) => c.dir)).toEqual(["helm-chart"]);
    const files = { "c/Chart.yaml": "name: c\nversion: 1.0.0\n", "c/charts/sub/Chart.yaml": "name: sub\n", "c/charts/sub/charts/deeper/Chart.yaml": "name: deeper\n", "lib/Chart.yaml": "name: lib\ntype: library\n" };
    expect(findHelmCharts(files).map((c) => `${c.dir}:${c.type}`)).toEqual(["c:", "lib:library"]);
    expect(helmValueSets(files).map((s) => s.chart)).toEqual(["c"]);
  });

  test("podinfo's sets: the defaults and values-prod.yaml", () => {
    expect(helmValueSets(podinfo)).toEqual([
      { chart: "charts/podinfo", name: "default", valueFiles: [] },
      { chart: "charts/podinfo", name: "values-prod.yaml", valueFiles: ["charts/podinfo/values-prod.yaml"], declaredIn: { file: "charts/podinfo/values-prod.yaml", line: 1, kind: "values file", name: "values-prod.yaml" } },
    ]);
    // The Flux example's HelmRelease installs podinfo from a HelmRepository: not a chart of that repository.
    expect(helmValueSets(flux)).toEqual([]);
  });

  const app = {
    "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 1.0.0\n",
    "charts/api/values.yaml": "image:\n  tag: 1.0.0\n",
    "charts/api/templates/deployment.yaml": "kind: Deployment\n",
    "envs/production/values.yaml": "image:\n  tag: 1.5.0\n",
  };

  test("Argo CD Applications and ApplicationSets that point at a chart of this repository", () => {
    const files = {
      ...app,
      "argocd/api-prod.yaml": [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: api-prod",
        "spec:",
        "  destination:",
        "    namespace: shop",
        "  source:",
        "    repoURL: https://github.com/acme/gitops.git",
        "    path: charts/api",
        "    helm:",
        "      releaseName: api",
        "      valueFiles:",
        "        - ../../envs/production/values.yaml",
        "        - missing.yaml",
        "      values: |",
        "        replicas: 3",
        "      parameters:",
        "        - name: image.pullPolicy",
        "          value: Always",
        "---",
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Application",
        "metadata:",
        "  name: elsewhere",
        "spec:",
        "  source:",
        "    repoURL: https://github.com/other/repo.git",
        "    path: charts/api",
        "",
      ].join("\n"),
      "argocd/multi.yaml": [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: ApplicationSet",
        "metadata:",
        "  name: multi",
        "spec:",
        "  template:",
        "    spec:",
        "      sources:",
        "        - repoURL: https://github.com/acme/gitops.git",
        "          path: charts/api",
        "          helm:",
        "            valueFiles: [$values/envs/production/values.yaml]",
        "            valuesObject:",
        "              replicas: 5",
        "        - repoURL: https://github.com/acme/gitops.git",
        "          ref: values",
        "        - repoURL: https://github.com/acme/gitops.git",
        "          path: 'charts/{{name}}'",
        "",
      ].join("\n"),
    };
    const sets = helmValueSets(files, { isThisRepo: repositoryMatcher("Acme", "gitops") });
    expect(sets.filter((s) => s.name !== "default")).toEqual([
      {
        chart: "charts/api",
        name: "Application api-prod",
        valueFiles: ["envs/production/values.yaml"],
        values: { replicas: 3, image: { pullPolicy: "Always" } },
        releaseName: "api",
        namespace: "shop",
        declaredIn: { file: "argocd/api-prod.yaml", line: 8, kind: "Application", name: "api-prod" },
        unresolved: ["missing.yaml"],
      },
      {
        chart: "charts/api",
        name: "ApplicationSet multi",
        valueFiles: ["envs/production/values.yaml"],
        values: { replicas: 5 },
        releaseName: "multi",
        declaredIn: { file: "argocd/multi.yaml", line: 9, kind: "ApplicationSet", name: "multi" },
      },
    ]);
    // Without a way to tell repositories apart, a source whose path is a chart here counts.
    expect(helmValueSets(files).filter((s) => s.name === "Application elsewhere")).toHaveLength(1);
  });

  test("Flux HelmReleases from a GitRepository of this repository, with valuesFiles, valuesFrom and values", () => {
    const files = {
      ...app,
      "clusters/prod/source.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: gitops\n  namespace: flux-system\nspec:\n  url: https://github.com/acme/gitops\n",
      "clusters/prod/api.yaml": [
        "apiVersion: helm.toolkit.fluxcd.io/v2",
        "kind: HelmRelease",
        "metadata:",
        "  name: api",
        "  namespace: flux-system",
        "spec:",
        "  targetNamespace: shop",
        "  chart:",
        "    spec:",
        "      chart: ./charts/api",
        "      sourceRef:",
        "        kind: GitRepository",
        "        name: gitops",
        "      valuesFiles:",
        "        - charts/api/values.yaml",
        "        - envs/production/values.yaml",
        "  valuesFrom:",
        "    - kind: ConfigMap",
        "      name: api-values",
        "    - kind: Secret",
        "      name: api-secret",
        "      valuesKey: token",
        "      targetPath: auth.token",
        "    - kind: ConfigMap",
        "      name: not-here",
        "      optional: true",
        "  values:",
        "    replicas: 2",
        "---",
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: api-values",
        "  namespace: flux-system",
        "data:",
        "  values.yaml: |",
        "    replicas: 9",
        "    ingress:",
        "      enabled: true",
        "---",
        "apiVersion: v1",
        "kind: Secret",
        "metadata:",
        "  name: api-secret",
        "  namespace: flux-system",
        "data:",
        `  token: ${Buffer.from("s3cr3t").toString("base64")}`,
        "",
      ].join("\n"),
    };
    const sets = helmValueSets(files, { isThisRepo: (u) => u.startsWith("https://github.com/acme/gitops") });
    expect(sets.find((s) => s.name.startsWith("HelmRelease"))).toEqual({
      chart: "charts/api",
      name: "HelmRelease flux-system/api",
      valueFiles: ["charts/api/values.yaml", "envs/production/values.yaml"],
      values: { replicas: 2, ingress: { enabled: true }, auth: { token: "s3cr3t" } },
      releaseName: "shop-api",
      namespace: "shop",
      declaredIn: { file: "clusters/prod/api.yaml", line: 1, kind: "HelmRelease", name: "api" },
    });
    expect(helmValueSets(files, { isThisRepo: () => false }).filter((s) => s.name.startsWith("HelmRelease"))).toEqual([]);
  });

  test("a chart's inputs are its folder and the set's values files", () => {
    expect(helmInputs(app, { chart: "charts/api", valueFiles: ["envs/production/values.yaml"] })).toEqual([
      "charts/api/Chart.yaml",
      "charts/api/templates/deployment.yaml",
      "charts/api/values.yaml",
      "envs/production/values.yaml",
    ]);
  });
});

describe("affected roots", () => {
  test("a changed base file re-renders every overlay that reads it; a values file its sets", () => {
    const affected = affectedRoots(podinfo, ["deploy/bases/cache/redis.conf", "charts/podinfo/values-prod.yaml"]);
    expect(affected.kustomize.map((r) => r.dir)).toEqual(["deploy/bases/cache", "deploy/overlays/dev", "deploy/overlays/production", "deploy/overlays/staging"]);
    // values-prod.yaml is inside the chart folder: every set of the chart reads the folder.
    expect(affected.helm.map((s) => s.name)).toEqual(["default", "values-prod.yaml"]);
    expect(affectedRoots(podinfo, ["README.md"])).toEqual({ kustomize: [], helm: [] });
    const components = affectedRoots(boutique, ["kustomize/components/spanner/kustomization.yaml"]);
    expect(components.kustomize.map((r) => r.dir)).toEqual(["kustomize/tests/spanner-with-all-components"]);
  });
});

test("repoURL forms that name this repository, and ones that do not", () => {
  const ours = repositoryMatcher("acme", "gitops");
  for (const url of ["https://github.com/acme/gitops.git", "https://github.com/Acme/GitOps", "git@github.com:acme/gitops.git", "ssh://git@github.example.com/acme/gitops.git", "https://ghes.example.com/acme/gitops/", "https://mirror.example/scm/acme/gitops.git"]) {
    expect([url, ours(url)]).toEqual([url, true]);
  }
  for (const url of ["https://github.com/other/gitops.git", "https://github.com/acme/gitops-charts", "https://charts.bitnami.com/bitnami", "oci://registry.example/acme/gitops", "acme/gitops-x", ""]) {
    expect([url, ours(url)]).toEqual([url, false]);
  }
});
