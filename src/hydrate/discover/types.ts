// The shapes discovery returns: Kustomize roots and their inputs, Helm charts and the
// values sets a repository declares for them.

/** Kustomize's file names, in its order of preference. */
export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"] as const;

export interface Kustomization {
  /** The folder ("" for the repository root). */
  readonly dir: string;
  /** The kustomization file's path. */
  readonly file: string;
  /** A Component is an input to other kustomizations, never built alone. */
  readonly kind: "Kustomization" | "Component";
}

/** A path a kustomization names that cannot be read from the repository. */
export interface UnresolvedReference {
  /** The kustomization that names it, and the line. */
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly ref: string;
  readonly reason: "remote" | "missing" | "outside-repository" | "not-a-kustomization";
}

export interface KustomizeInputs {
  readonly root: string;
  /** Every repository file the build reads, sorted (kustomizations included). */
  readonly files: readonly string[];
  /** The kustomization files visited, the root's first. */
  readonly kustomizations: readonly string[];
  readonly unresolved: readonly UnresolvedReference[];
}

export interface HelmChart {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
  /** `application` (or empty) renders; a `library` chart does not. */
  readonly type: string;
  /** values*.yaml beside Chart.yaml other than values.yaml (which Helm always applies). */
  readonly valuesFiles: readonly string[];
}

/** Where a values set was declared. */
export interface Declaration {
  readonly file: string;
  readonly line: number;
  /** `Application`, `ApplicationSet`, `HelmRelease`, or `values file` for one beside the chart. */
  readonly kind: string;
  readonly name: string;
}

/** One way the repository renders a chart: `helm template` with these values. */
export interface HelmValueSet {
  readonly chart: string;
  /** A label for findings and summaries: `default`, `values-prod.yaml`, `HelmRelease podinfo/podinfo`. */
  readonly name: string;
  /** Repository paths, applied in order after the chart's values.yaml. */
  readonly valueFiles: readonly string[];
  /** Inline values, merged last. */
  readonly values?: Readonly<Record<string, unknown>>;
  readonly releaseName?: string;
  readonly namespace?: string;
  readonly declaredIn?: Declaration;
  /** Values the set names that could not be found in the repository (they are left out). */
  readonly unresolved?: readonly string[];
}

export interface DiscoverOptions {
  /**
   * Whether a Git URL (an Argo CD `repoURL`, a Flux GitRepository `url`) is this
   * repository. Without it, a source counts as this repository when its path is a chart
   * folder here.
   */
  readonly isThisRepo?: (url: string) => boolean;
}
