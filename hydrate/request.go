package main

// The JSON protocol between the host (src/hydrate/engine.ts) and this module. Keep the
// two in step: src/hydrate/types.ts mirrors these types.

// DefaultKubeVersion is .Capabilities.KubeVersion when a request names none. Helm's own
// library default (v1.20.0) is older than what many charts accept (podinfo requires
// >=1.23.0-0), so a current Kubernetes release is used instead.
const DefaultKubeVersion = "v1.34.0"

// Request is one render: a file set (paths relative to the repository root, "/" separated),
// the folder to render and how.
type Request struct {
	Kind string `json:"kind"` // "helm" or "kustomize"
	Root string `json:"root"` // folder relative to the repository root ("" or "." is the root)
	// Files holds text files; BinaryFiles (base64) the rest, e.g. vendored chart archives.
	Files       map[string]string `json:"files"`
	BinaryFiles map[string]string `json:"binaryFiles,omitempty"`
	Helm        *HelmOptions      `json:"helm,omitempty"`
	Kustomize   *KustomizeOptions `json:"kustomize,omitempty"`
}

// HelmOptions are `helm template`'s flags that matter without a cluster.
type HelmOptions struct {
	ReleaseName string                 `json:"releaseName,omitempty"` // default "release-name", as helm template
	Namespace   string                 `json:"namespace,omitempty"`   // default "default"
	ValueFiles  []string               `json:"valueFiles,omitempty"`  // repository paths, merged in order (-f)
	Values      map[string]interface{} `json:"values,omitempty"`      // merged last (inline values of a HelmRelease/Application)
	KubeVersion string                 `json:"kubeVersion,omitempty"` // --kube-version
	APIVersions []string               `json:"apiVersions,omitempty"` // --api-versions
	IncludeCRDs bool                   `json:"includeCrds,omitempty"` // --include-crds
	SkipTests   bool                   `json:"skipTests,omitempty"`   // --skip-tests
	NoHooks     bool                   `json:"noHooks,omitempty"`     // --no-hooks
	IsUpgrade   bool                   `json:"isUpgrade,omitempty"`   // --is-upgrade
	SkipSchema  bool                   `json:"skipSchemaValidation,omitempty"`
}

// KustomizeOptions apply to `helmCharts` inflation inside a kustomization.
type KustomizeOptions struct {
	KubeVersion string   `json:"kubeVersion,omitempty"`
	APIVersions []string `json:"apiVersions,omitempty"`
}

// Response is what render returns: objects, or errors that point at source lines.
type Response struct {
	OK       bool             `json:"ok"`
	Objects  []RenderedObject `json:"objects,omitempty"`
	Notes    string           `json:"notes,omitempty"`
	Warnings []string         `json:"warnings,omitempty"`
	Errors   []SourceError    `json:"errors,omitempty"`
}

// RenderedObject is one Kubernetes object of the output.
type RenderedObject struct {
	// YAML is the document as the tool prints it (helm template's text after the
	// "# Source:" line; kustomize build's serialisation without build annotations).
	YAML string `json:"yaml"`
	// Object is the document as Kubernetes clients parse it (sigs.k8s.io/yaml).
	Object map[string]interface{} `json:"object"`
	Source Source                 `json:"source"`
}

// Source says where an object came from.
type Source struct {
	// File is the repository path of the file that holds the object's text: the
	// template (Helm), or the resource file (Kustomize; empty for generated objects).
	File string `json:"file,omitempty"`
	// Line is where the object's document starts in File (Kustomize resources), or 0.
	Line int `json:"line,omitempty"`
	// Helm: the "# Source:" path as helm template prints it, and hook events if any.
	Template string   `json:"template,omitempty"`
	Hook     []string `json:"hook,omitempty"`
	CRD      bool     `json:"crd,omitempty"`
	// Kustomize: config.kubernetes.io/origin and alpha.config.kubernetes.io/transformations,
	// with paths made relative to the repository root.
	Origin          *Origin  `json:"origin,omitempty"`
	Transformations []Origin `json:"transformations,omitempty"`
	// Kustomize: the patches among those transformations that target this object.
	Patches []PatchRef `json:"patches,omitempty"`
}

// Origin mirrors kustomize's resource.Origin with repository-relative paths.
type Origin struct {
	Path         string     `json:"path,omitempty"`
	Repo         string     `json:"repo,omitempty"`
	Ref          string     `json:"ref,omitempty"`
	ConfiguredIn string     `json:"configuredIn,omitempty"`
	ConfiguredBy *ObjectRef `json:"configuredBy,omitempty"`
}

// ObjectRef names a generator or transformer config.
type ObjectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Name       string `json:"name,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
}

// SourceError is a render failure at the line a person must edit.
type SourceError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Error codes, stable for the host.
const (
	CodeRemoteBase        = "remote-base"
	CodeMissingFile       = "missing-file"
	CodeMissingDependency = "missing-dependency"
	CodeTemplateError     = "template-error"
	CodeInvalidValues     = "invalid-values"
	CodeIncompatibleKube  = "incompatible-kube-version"
	CodeInvalidInput      = "invalid-input"
	CodeRenderError       = "render-error"
	CodeNotAllowed        = "not-allowed"
)
