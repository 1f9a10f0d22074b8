// What a change makes us render: the Kustomize roots and Helm value sets whose inputs it
// touches (plus roots config adds or pins), each as a render request with the files it
// reads; every file that is only an input to a render is judged through its render, not
// on its own. Pure: it works on the repository's paths and the contents it was given.
import { posix } from "node:path";
import { affectedRoots, findHelmCharts, helmInputs, kustomizeInputs, type DiscoverOptions, type HelmValueSet, type UnresolvedReference } from "./discover/index.js";
import { DEFAULT_KUBE_VERSION, type HelmRenderRequest, type KustomizeRenderRequest, type RepoFiles } from "./types.js";

/** A root config adds or pins (`render.roots`). */
export type ConfiguredRoot =
  | { readonly kustomize: string; readonly environment?: string }
  | { readonly helm: string; readonly values?: readonly string[]; readonly release_name?: string; readonly namespace?: string; readonly environment?: string; readonly name?: string };

export interface RenderOptions {
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
  readonly roots?: readonly ConfiguredRoot[];
  /** Whether a URL names this repository (Argo CD and Flux sources). */
  readonly isThisRepo?: (url: string) => boolean;
}

/**
 * Whether an Argo CD or Flux `repoURL` names `owner/repo`: any host (GitHub, GitHub
 * Enterprise Server, a mirror path ending in the same name), https, ssh or scp-like, with
 * or without `.git`. An Application whose source is another repository is not rendered from
 * this one's files, even when a folder of the same name exists here.
 */
export function repositoryMatcher(owner: string, repo: string): (url: string) => boolean {
  const want = `${owner}/${repo}`.toLowerCase();
  return (url) => {
    // Git's transports only: an `oci://` or other registry URL is a chart source, not a repository.
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) && !/^(https?|ssh|git|git\+ssh|ssh\+git):\/\//i.test(url.trim())) return false;
    const path = url
      .trim()
      .replace(/^[a-z+]+:\/\/[^/]+\//i, "")
      .replace(/^[^@/\s]+@[^:/\s]+:/, "")
      .replace(/\/+$/, "")
      .replace(/\.git$/i, "")
      .toLowerCase();
    return path === want || path.endsWith(`/${want}`);
  };
}

export interface RenderTarget {
  /** Stable across runs: `kustomize:overlays/prod`, `helm:charts/api#values-prod.yaml`. */
  readonly id: string;
  /** For people: `overlays/prod`, `chart api@1.2.0 (charts/api) with values-prod.yaml`. */
  readonly label: string;
  readonly kind: "kustomize" | "helm";
  readonly root: string;
  readonly environment?: string;
  readonly request: Omit<HelmRenderRequest, "files"> | Omit<KustomizeRenderRequest, "files">;
  /** Every repository file the render reads. */
  readonly inputs: readonly string[];
  /** Helm: the chart folder and values files, for mapping findings back. */
  readonly helm?: { readonly chart: string; readonly valueFiles: readonly string[] };
  /** References the render cannot follow (remote bases, missing files), at their lines. */
  readonly unresolved: readonly UnresolvedReference[];
}

export interface RenderPlan {
  readonly targets: readonly RenderTarget[];
  /** Changed files that are inputs of a target: judged through their renders only. */
  readonly rendered: ReadonlySet<string>;
}

function asMap(files: RepoFiles): ReadonlyMap<string, string | Uint8Array> {
  return files instanceof Map ? files : new Map(Object.entries(files as Record<string, string | Uint8Array>));
}

function kustomizeTarget(files: RepoFiles, root: string, environment: string | undefined, options: RenderOptions): RenderTarget {
  const inputs = kustomizeInputs(files, root);
  return {
    id: `kustomize:${root}`,
    label: root || ".",
    kind: "kustomize",
    root,
    ...(environment ? { environment } : {}),
    request: { kind: "kustomize", root, kustomize: { kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION, ...(options.apiVersions?.length ? { apiVersions: options.apiVersions } : {}) } },
    inputs: inputs.files,
    unresolved: inputs.unresolved,
  };
}

function helmTarget(files: RepoFiles, set: HelmValueSet, chart: { name: string; version: string } | undefined, environment: string | undefined, options: RenderOptions): RenderTarget {
  const values = set.valueFiles.map((v) => posix.basename(v)).join(", ");
  return {
    id: `helm:${set.chart}#${set.declaredIn ? `${set.declaredIn.file}:${set.declaredIn.line}` : set.valueFiles.join(",")}`,
    label: `chart ${chart ? `${chart.name}@${chart.version}` : set.chart} (${set.chart || "."})${values ? ` with ${values}` : ""}${set.declaredIn && set.declaredIn.kind !== "values file" ? ` from ${set.declaredIn.kind} ${set.declaredIn.name}` : ""}`,
    kind: "helm",
    root: set.chart,
    ...(environment ? { environment } : {}),
    request: {
      kind: "helm",
      root: set.chart,
      helm: {
        valueFiles: set.valueFiles,
        ...(set.values ? { values: set.values } : {}),
        ...(set.releaseName ? { releaseName: set.releaseName } : {}),
        ...(set.namespace ? { namespace: set.namespace } : {}),
        kubeVersion: options.kubeVersion ?? DEFAULT_KUBE_VERSION,
        ...(options.apiVersions?.length ? { apiVersions: options.apiVersions } : {}),
        // Test hooks are run by `helm test`, never applied: Argo CD ignores them, Flux runs
        // them only when asked. Leaving them out also keeps renders deterministic.
        skipTests: true,
      },
    },
    inputs: helmInputs(files, set),
    helm: { chart: set.chart, valueFiles: set.valueFiles },
    unresolved: [],
  };
}

/** The environment a values set names: an Argo CD Application's or HelmRelease's name, or `prod` for values-prod.yaml. */
function environmentOf(set: HelmValueSet): string | undefined {
  if (!set.declaredIn) return undefined;
  if (set.declaredIn.kind !== "values file") return set.declaredIn.name;
  return /^values[-_.](.+)\.ya?ml$/.exec(posix.basename(set.declaredIn.file))?.[1];
}

export function planRenders(repo: RepoFiles, changed: readonly string[], options: RenderOptions = {}): RenderPlan {
  const files = asMap(repo);
  const discover: DiscoverOptions = options.isThisRepo ? { isThisRepo: options.isThisRepo } : {};
  const affected = affectedRoots(files, changed, discover);
  const charts = new Map(findHelmCharts(files).map((c) => [c.dir, c]));
  const targets = new Map<string, RenderTarget>();
  for (const k of affected.kustomize) {
    const t = kustomizeTarget(files, k.dir, undefined, options);
    targets.set(t.id, t);
  }
  for (const set of affected.helm) {
    if (charts.get(set.chart)?.type === "library") continue;
    const t = helmTarget(files, set, charts.get(set.chart), environmentOf(set), options);
    targets.set(t.id, t);
  }
  // Roots from config: added when the change touches their inputs, with their environment.
  const changedSet = new Set(changed);
  for (const root of options.roots ?? []) {
    const t =
      "kustomize" in root
        ? kustomizeTarget(files, root.kustomize.replace(/\/+$/, ""), root.environment, options)
        : helmTarget(
            files,
            {
              chart: root.helm.replace(/\/+$/, ""), name: root.name ?? "config", valueFiles: root.values ?? [],
              ...(root.release_name ? { releaseName: root.release_name } : {}),
              ...(root.namespace ? { namespace: root.namespace } : {}),
            },
            charts.get(root.helm.replace(/\/+$/, "")),
            root.environment,
            options,
          );
    if (!t.inputs.some((f) => changedSet.has(f))) continue;
    const same = [...targets.values()].find((x) => x.kind === t.kind && x.root === t.root && JSON.stringify(x.helm?.valueFiles ?? []) === JSON.stringify(t.helm?.valueFiles ?? []));
    if (same) targets.delete(same.id);
    targets.set(t.id, t);
  }
  const rendered = new Set<string>();
  for (const t of targets.values()) for (const f of t.inputs) if (changedSet.has(f)) rendered.add(f);
  return { targets: [...targets.values()].sort((a, b) => a.id.localeCompare(b.id)), rendered };
}
