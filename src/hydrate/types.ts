// The rendering engine's request and result, mirroring hydrate/request.go (the JSON
// protocol with hydrate.wasm). Paths are repository-relative and "/"-separated.

/** `.Capabilities.KubeVersion` when a request names none (Helm's own default, v1.20.0, is refused by many charts). */
export const DEFAULT_KUBE_VERSION = "v1.34.0";

/** The files a render may read: text as strings, anything else (vendored chart archives) as bytes. */
export type RepoFiles = ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;

/** `helm template`'s flags that matter without a cluster. */
export interface HelmOptions {
  /** Default "release-name", as `helm template` without a name. */
  readonly releaseName?: string;
  /** Default "default". */
  readonly namespace?: string;
  /** Repository paths of values files, merged in order (`-f`). */
  readonly valueFiles?: readonly string[];
  /** Inline values (an Argo CD Application's or a Flux HelmRelease's), merged last. */
  readonly values?: Readonly<Record<string, unknown>>;
  /** `--kube-version`; default {@link DEFAULT_KUBE_VERSION}. */
  readonly kubeVersion?: string;
  /** `--api-versions`, added to the defaults. */
  readonly apiVersions?: readonly string[];
  readonly includeCrds?: boolean;
  readonly skipTests?: boolean;
  readonly noHooks?: boolean;
  readonly isUpgrade?: boolean;
  readonly skipSchemaValidation?: boolean;
}

/** For `helmCharts` inflated inside a kustomization (when the chart is in the files). */
export interface KustomizeOptions {
  readonly kubeVersion?: string;
  readonly apiVersions?: readonly string[];
}

interface RequestBase {
  /** The folder to render: a chart folder (with Chart.yaml) or a kustomization folder. */
  readonly root: string;
  readonly files: RepoFiles;
}

export interface HelmRenderRequest extends RequestBase {
  readonly kind: "helm";
  readonly helm?: HelmOptions;
}

export interface KustomizeRenderRequest extends RequestBase {
  readonly kind: "kustomize";
  readonly kustomize?: KustomizeOptions;
}

export type RenderRequest = HelmRenderRequest | KustomizeRenderRequest;

/** Kustomize's `config.kubernetes.io/origin` (and each entry of the transformations annotation), with repository paths. */
export interface Origin {
  /** The file the resource was read from. */
  readonly path?: string;
  /** A remote base's repository (never set: remote bases are refused). */
  readonly repo?: string;
  readonly ref?: string;
  /** The kustomization (or transformer config file) that generated or transformed it. */
  readonly configuredIn?: string;
  /** The generator or transformer, e.g. `{apiVersion: builtin, kind: PatchTransformer}`. */
  readonly configuredBy?: { readonly apiVersion?: string; readonly kind?: string; readonly name?: string; readonly namespace?: string };
}

/** Where a rendered object came from. */
export interface ObjectSource {
  /**
   * Repository path of the file holding the object's text: the template (Helm; the
   * `.tgz` for a subchart vendored as an archive), or the resource file (Kustomize;
   * absent for generated objects such as configMapGenerator output).
   */
  readonly file?: string;
  /** Kustomize: the line where the object's document starts in `file`. */
  readonly line?: number;
  /** Helm: the `# Source:` path as `helm template` prints it (`podinfo/templates/deployment.yaml`). */
  readonly template?: string;
  /** Helm: hook events (`pre-install`, `test`, ...) when the object is a hook. */
  readonly hook?: readonly string[];
  /** Helm: from the chart's crds/ folder (with includeCrds). */
  readonly crd?: boolean;
  /** Kustomize: the origin annotation (stripped from the object). */
  readonly origin?: Origin;
  /** Kustomize: every transformer and patch applied, in order (stripped from the object). */
  readonly transformations?: readonly Origin[];
  /**
   * Kustomize: the patch entries that target this object. Kustomize's transformations
   * annotation names only the kustomization of a PatchTransformer; the engine matches
   * that kustomization's patches to the object as kustomize selects patch targets.
   */
  readonly patches?: readonly PatchRef[];
}

export interface PatchRef {
  /** The patch file, or the kustomization that holds an inline patch. */
  readonly file: string;
  /** Where the patch (the document for this object) starts in `file`. */
  readonly line: number;
  /** The kustomization listing the patch, and the field. */
  readonly kustomization: string;
  readonly field: "patches" | "patchesStrategicMerge" | "patchesJson6902";
}

export interface RenderedObject {
  /** The document as the tool prints it (build annotations removed). */
  readonly yaml: string;
  /** The document as Kubernetes clients parse it (sigs.k8s.io/yaml). */
  readonly object: Record<string, unknown>;
  readonly source: ObjectSource;
}

export interface RenderResult {
  /** In `helm template` / `kustomize build` output order. */
  readonly objects: readonly RenderedObject[];
  /** Helm: the chart's rendered NOTES.txt (not an object; `helm template` does not print it). */
  readonly notes?: string;
  /** What the libraries logged (deprecations, skipped unknown hooks). */
  readonly warnings: readonly string[];
  /** Wall-clock time of the render inside the engine. */
  readonly ms: number;
}

export type SourceErrorCode =
  | "remote-base"
  | "missing-file"
  | "missing-dependency"
  | "template-error"
  | "invalid-values"
  | "incompatible-kube-version"
  | "invalid-input"
  | "render-error"
  | "not-allowed";

/** A render failure at the line a person must edit. */
export interface SourceError {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly code: SourceErrorCode;
  readonly message: string;
}

/** Versions built into hydrate.wasm. */
export interface EngineInfo {
  readonly go: string;
  readonly helm: string;
  readonly kustomizeApi: string;
  readonly kyaml: string;
  readonly defaultKubeVersion: string;
}
