package main

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/kustomize/kyaml/yaml/merge2"
	"sigs.k8s.io/yaml"
)

const (
	originAnnotation         = "config.kubernetes.io/origin"
	transformationAnnotation = "alpha.config.kubernetes.io/transformations"
	// Set on documents that hydrate inflated from `helmCharts`, read back and removed.
	helmSourceAnnotation = "hydrate.gitops-gate.internal/helm-source"
	helmOutputPrefix     = ".hydrate-helm-"
)

// kustomizationFile is the kustomization file of dir ("" when there is none), in
// kustomize's order of preference.
func kustomizationFile(fs *fileSet, dir string) string {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if p := joinRel(dir, n); fs.isFile(p) {
			return p
		}
	}
	return ""
}

// helmInflation is one `helmCharts` entry turned into a resources file.
type helmInflation struct {
	kustFile  string
	chartName string
	templates []string // per document of the generated file
	files     []string
}

func renderKustomize(fs *fileSet, root string, opts KustomizeOptions) *Response {
	rootFile := kustomizationFile(fs, root)
	if rootFile == "" {
		return &Response{Errors: []SourceError{{File: joinRel(root, "kustomization.yaml"), Line: 1, Code: CodeMissingFile,
			Message: fmt.Sprintf("%s has no kustomization.yaml, kustomization.yml or Kustomization", displayDir(root))}}}
	}
	w := &kustWalker{fs: fs, visited: map[string]bool{}}
	w.visit(root)
	if len(w.errs) > 0 {
		return &Response{Errors: w.errs}
	}

	// Files handed to kustomize: the request's, with the root kustomization asking for
	// origin and transformer annotations, and `helmCharts` inflated in memory.
	overrides := map[string][]byte{}
	inflations := map[string]*helmInflation{}
	var warnings []string
	for _, kf := range w.kustFiles {
		data, generated, warns, errs := inflateHelmCharts(fs, kf, opts, inflations)
		if len(errs) > 0 {
			return &Response{Errors: errs}
		}
		warnings = append(warnings, warns...)
		if data != nil {
			overrides[kf] = data
		}
		for p, d := range generated {
			overrides[p] = d
		}
	}
	rootData := fs.files[rootFile]
	if o, ok := overrides[rootFile]; ok {
		rootData = o
	}
	forced, err := forceBuildMetadata(rootData)
	if err != nil {
		return &Response{Errors: []SourceError{{File: rootFile, Line: max(1, yamlErrorLine(err.Error())), Code: CodeRenderError, Message: err.Error()}}}
	}
	overrides[rootFile] = forced

	mem := filesys.MakeFsInMemory()
	for p, d := range fs.files {
		if o, ok := overrides[p]; ok {
			d = o
		}
		if err := mem.WriteFile("/"+p, d); err != nil {
			return &Response{Errors: []SourceError{{File: p, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
		}
	}
	for p, d := range overrides {
		if !fs.isFile(p) {
			if err := mem.WriteFile("/"+p, d); err != nil {
				return &Response{Errors: []SourceError{{File: p, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
			}
		}
	}

	// As `kustomize build` with its default flags: load restrictor rootOnly, plugins off,
	// reorder unspecified (legacy unless the kustomization's sortOptions say otherwise).
	options := krusty.MakeDefaultOptions()
	options.Reorder = krusty.ReorderOptionUnspecified
	options.LoadRestrictions = types.LoadRestrictionsRootOnly
	options.PluginConfig = types.DisabledPluginConfig()
	k := krusty.MakeKustomizer(options)
	m, err := k.Run(mem, "/"+root)
	if err != nil {
		return &Response{Errors: []SourceError{kustomizeError(fs, rootFile, err)}}
	}

	resp := &Response{OK: true, Objects: []RenderedObject{}, Warnings: warnings}
	patches := &patchIndex{fs: fs, cache: map[string][]patchCandidate{}}
	for _, res := range m.Resources() {
		src, err := sourceOf(fs, root, res, inflations)
		if err != nil {
			return &Response{Errors: []SourceError{{File: rootFile, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
		}
		src.Patches = patches.patchesOf(res, src.Transformations)
		annotations := res.GetAnnotations()
		delete(annotations, originAnnotation)
		delete(annotations, transformationAnnotation)
		delete(annotations, helmSourceAnnotation)
		if err := res.SetAnnotations(annotations); err != nil {
			return &Response{Errors: []SourceError{{File: rootFile, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
		}
		text, err := res.AsYAML()
		if err != nil {
			return &Response{Errors: []SourceError{{File: rootFile, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
		}
		obj, err := res.Map()
		if err != nil {
			return &Response{Errors: []SourceError{{File: rootFile, Line: 1, Code: CodeRenderError, Message: err.Error()}}}
		}
		resp.Objects = append(resp.Objects, RenderedObject{YAML: string(text), Object: obj, Source: src})
	}
	return resp
}

// sourceOf reads a resource's origin and transformations, with repository paths.
func sourceOf(fs *fileSet, root string, res *resource.Resource, inflations map[string]*helmInflation) (Source, error) {
	var src Source
	origin, err := res.GetOrigin()
	if err != nil {
		return src, fmt.Errorf("read origin annotation: %w", err)
	}
	if origin != nil {
		src.Origin = repoOrigin(root, origin)
		src.File = src.Origin.Path
	}
	transformations, err := res.GetTransformations()
	if err != nil {
		return src, fmt.Errorf("read transformations annotation: %w", err)
	}
	for _, t := range transformations {
		if t != nil {
			src.Transformations = append(src.Transformations, *repoOrigin(root, t))
		}
	}
	if inf, ok := inflations[src.File]; ok {
		// Inflated from helmCharts: say so as kustomize's generator would.
		tmpl := res.GetAnnotations()[helmSourceAnnotation]
		src.Template = tmpl
		src.File = ""
		for i, t := range inf.templates {
			if t == tmpl {
				src.File = inf.files[i]
				break
			}
		}
		src.Origin = &Origin{ConfiguredIn: inf.kustFile, ConfiguredBy: &ObjectRef{APIVersion: "builtin", Kind: "HelmChartInflationGenerator", Name: inf.chartName}}
		return src, nil
	}
	if src.File != "" && src.Origin.Repo == "" {
		id := res.OrgId()
		src.Line = documentLine(fs.files[src.File], id.Kind, id.Name)
	}
	return src, nil
}

// repoOrigin makes an origin's paths (relative to the built folder) repository paths.
func repoOrigin(root string, o *resource.Origin) *Origin {
	out := &Origin{Repo: o.Repo, Ref: o.Ref}
	rel := func(p string) string {
		if p == "" || o.Repo != "" {
			return p
		}
		j, ok := join(root, p)
		if !ok {
			return p
		}
		return j
	}
	out.Path = rel(o.Path)
	out.ConfiguredIn = rel(o.ConfiguredIn)
	if by := o.ConfiguredBy; by.Kind != "" || by.Name != "" || by.APIVersion != "" {
		out.ConfiguredBy = &ObjectRef{APIVersion: by.APIVersion, Kind: by.Kind, Name: by.Name, Namespace: by.Namespace}
	}
	return out
}

var docStartRe = regexp.MustCompile(`(?m)^---`)

// documentLine is the first line of the document of kind/name in a multi-document YAML
// file (its first non-blank, non-comment line), or 0 when no document matches.
func documentLine(data []byte, kind, name string) int {
	text := string(data)
	starts := []int{0}
	for _, loc := range docStartRe.FindAllStringIndex(text, -1) {
		if loc[0] == 0 {
			continue
		}
		starts = append(starts, loc[0])
	}
	for i, s := range starts {
		end := len(text)
		if i+1 < len(starts) {
			end = starts[i+1]
		}
		doc := text[s:end]
		var head struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		body := doc
		if strings.HasPrefix(body, "---") {
			if nl := strings.IndexByte(body, '\n'); nl >= 0 {
				body = body[nl+1:]
			} else {
				body = ""
			}
		}
		if yaml.Unmarshal([]byte(body), &head) != nil || head.Kind != kind || head.Metadata.Name != name {
			continue
		}
		line := strings.Count(text[:s], "\n") + 1
		for j, l := range strings.Split(doc, "\n") {
			t := strings.TrimSpace(l)
			if t != "" && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "---") {
				return line + j
			}
		}
		return line
	}
	return 0
}

// forceBuildMetadata adds originAnnotations and transformerAnnotations to buildMetadata.
func forceBuildMetadata(data []byte) ([]byte, error) {
	rn, err := kyaml.Parse(string(data))
	if err != nil {
		return nil, err
	}
	seq, err := rn.Pipe(kyaml.LookupCreate(kyaml.SequenceNode, "buildMetadata"))
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, n := range seq.YNode().Content {
		have[n.Value] = true
	}
	for _, want := range []string{types.OriginAnnotations, types.TransformerAnnotations} {
		if !have[want] {
			seq.YNode().Content = append(seq.YNode().Content, &kyaml.Node{Kind: kyaml.ScalarNode, Tag: "!!str", Value: want})
		}
	}
	seq.YNode().Style = 0
	s, err := rn.String()
	return []byte(s), err
}

// kustWalker visits every kustomization a build reads and checks, before kustomize
// runs, that each path it names is in the file set and is not remote: kustomize's own
// errors for those do not name the line.
type kustWalker struct {
	fs        *fileSet
	visited   map[string]bool
	kustFiles []string
	errs      []SourceError
}

var remoteRe = regexp.MustCompile(`^(?:[a-z][a-z0-9+.-]*://|git@|git::|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?/[^/]+/)|\?ref=|\.git(?:$|/|\?)|//`)

func looksRemote(s string) bool { return remoteRe.MatchString(s) }

func (w *kustWalker) fail(file string, line int, code, msg string) {
	if line <= 0 {
		line = 1
	}
	w.errs = append(w.errs, SourceError{File: file, Line: line, Code: code, Message: msg})
}

func (w *kustWalker) visit(dir string) {
	if w.visited[dir] {
		return
	}
	w.visited[dir] = true
	kf := kustomizationFile(w.fs, dir)
	if kf == "" {
		return
	}
	w.kustFiles = append(w.kustFiles, kf)
	doc := parseYAMLNode(w.fs.files[kf])
	if doc == nil {
		return // kustomize reports the syntax error with its line
	}
	for _, field := range []string{"resources", "bases", "components"} {
		_, seq := mapValue(doc, field)
		for _, item := range seqItems(seq) {
			w.reference(kf, dir, field, item, true)
		}
	}
	for _, field := range []string{"crds", "configurations", "patchesStrategicMerge", "transformers", "generators", "validators"} {
		_, seq := mapValue(doc, field)
		for _, item := range seqItems(seq) {
			if item.Kind != kyaml.ScalarNode || strings.ContainsAny(item.Value, "\n:") && !looksRemote(item.Value) {
				continue // inline YAML
			}
			w.reference(kf, dir, field, item, field == "transformers" || field == "generators" || field == "validators")
		}
	}
	for _, field := range []string{"patches", "patchesJson6902", "replacements"} {
		_, seq := mapValue(doc, field)
		for _, item := range seqItems(seq) {
			if _, p := mapValue(item, "path"); p != nil && p.Kind == kyaml.ScalarNode {
				w.reference(kf, dir, field, p, false)
			}
		}
	}
	if _, api := mapValue(doc, "openapi"); api != nil {
		if _, p := mapValue(api, "path"); p != nil && p.Kind == kyaml.ScalarNode {
			w.reference(kf, dir, "openapi", p, false)
		}
	}
	for _, field := range []string{"configMapGenerator", "secretGenerator"} {
		_, seq := mapValue(doc, field)
		for _, gen := range seqItems(seq) {
			for _, list := range []string{"files", "envs"} {
				_, files := mapValue(gen, list)
				for _, f := range seqItems(files) {
					v := f.Value
					if list == "files" {
						if _, after, ok := strings.Cut(v, "="); ok {
							v = after
						}
					}
					w.referencePath(kf, dir, field, f, v, false)
				}
			}
			if _, env := mapValue(gen, "env"); env != nil && env.Kind == kyaml.ScalarNode {
				w.reference(kf, dir, field, env, false)
			}
		}
	}
}

func seqItems(n *kyaml.Node) []*kyaml.Node {
	if n == nil || n.Kind != kyaml.SequenceNode {
		return nil
	}
	return n.Content
}

func (w *kustWalker) reference(kf, dir, field string, item *kyaml.Node, folders bool) {
	if item.Kind != kyaml.ScalarNode {
		return
	}
	w.referencePath(kf, dir, field, item, item.Value, folders)
}

func (w *kustWalker) referencePath(kf, dir, field string, item *kyaml.Node, ref string, folders bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return
	}
	p, inside := join(dir, ref)
	if inside && (w.fs.isFile(p) || w.fs.isDir(p)) && !strings.Contains(ref, "://") {
		if w.fs.isDir(p) && !w.fs.isFile(p) {
			if !folders {
				w.fail(kf, item.Line, CodeMissingFile, fmt.Sprintf("%s: %s is a folder, not a file", field, ref))
				return
			}
			if kustomizationFile(w.fs, p) == "" {
				w.fail(kf, item.Line, CodeMissingFile, fmt.Sprintf("%s: %s has no kustomization.yaml, kustomization.yml or Kustomization", field, ref))
				return
			}
			w.visit(p)
		}
		return
	}
	if looksRemote(ref) {
		w.fail(kf, item.Line, CodeRemoteBase, fmt.Sprintf(
			"%s: %s is remote; gitops-gate renders only what is in the repository and never fetches: vendor it into the repository (or pin it and render it in CI)", field, ref))
		return
	}
	if !inside {
		w.fail(kf, item.Line, CodeMissingFile, fmt.Sprintf("%s: %s points outside the repository", field, ref))
		return
	}
	w.fail(kf, item.Line, CodeMissingFile, fmt.Sprintf("%s: %s is not in the repository", field, p))
}

var memPathRe = regexp.MustCompile(`/[^\s'"():,\]\[]+`)

// kustomizeError points an error of kustomize at the first repository file it names.
func kustomizeError(fs *fileSet, rootFile string, err error) SourceError {
	msg := err.Error()
	line := yamlErrorLine(msg)
	for _, cand := range memPathRe.FindAllString(msg, -1) {
		p := strings.TrimPrefix(path.Clean(cand), "/")
		if fs.isFile(p) {
			return SourceError{File: p, Line: max(1, line), Code: CodeRenderError, Message: msg}
		}
		if fs.isDir(p) {
			if kf := kustomizationFile(fs, p); kf != "" {
				return SourceError{File: kf, Line: max(1, line), Code: CodeRenderError, Message: msg}
			}
		}
	}
	if strings.Contains(msg, "Component") {
		line = lineOfKey(parseYAMLNode(fs.files[rootFile]), "kind")
	}
	return SourceError{File: rootFile, Line: max(1, line), Code: CodeRenderError, Message: msg}
}

// inflateHelmCharts renders the `helmCharts` of one kustomization with the in-memory
// Helm engine (kustomize would run the helm binary) and returns the kustomization
// rewritten to list the output as a resource file. A chart must be vendored at
// <chartHome>/<name> (or <chartHome>/<name>-<version>/<name> with a repo and version):
// nothing is pulled.
func inflateHelmCharts(fs *fileSet, kf string, opts KustomizeOptions, inflations map[string]*helmInflation) ([]byte, map[string][]byte, []string, []SourceError) {
	doc := parseYAMLNode(fs.files[kf])
	_, charts := mapValue(doc, "helmCharts")
	items := seqItems(charts)
	if len(items) == 0 {
		return nil, nil, nil, nil
	}
	dir := path.Dir(kf)
	if dir == "." {
		dir = ""
	}
	var k struct {
		HelmGlobals types.HelmGlobals `json:"helmGlobals"`
		HelmCharts  []types.HelmChart `json:"helmCharts"`
	}
	if err := yaml.Unmarshal(fs.files[kf], &k); err != nil {
		return nil, nil, nil, []SourceError{{File: kf, Line: max(1, yamlErrorLine(err.Error())), Code: CodeRenderError, Message: err.Error()}}
	}
	chartHome := k.HelmGlobals.ChartHome
	if chartHome == "" {
		chartHome = types.HelmDefaultHome
	}
	generated := map[string][]byte{}
	var warnings []string
	var newResources []string
	for i, c := range k.HelmCharts {
		line := 1
		if i < len(items) {
			line = items[i].Line
		}
		if c.Name == "" {
			return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeRenderError, Message: "helmCharts: chart name cannot be empty"}}
		}
		home, ok := join(dir, chartHome)
		if !ok || path.IsAbs(chartHome) {
			return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeNotAllowed, Message: fmt.Sprintf("helmCharts: chartHome %s must be a folder of the repository", chartHome)}}
		}
		if c.Version != "" && c.Repo != "" {
			home = joinRel(home, c.Name+"-"+c.Version)
		}
		chartDir := joinRel(home, c.Name)
		if !fs.isFile(joinRel(chartDir, "Chart.yaml")) {
			from := c.Repo
			if from == "" {
				from = "no repo"
			}
			return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeMissingDependency, Message: fmt.Sprintf(
				"helmCharts: chart %q (version %q, %s) is not vendored at %s; gitops-gate never pulls charts: run `helm pull --untar --untardir %s %s` and commit it",
				c.Name, c.Version, from, chartDir, home, c.Name)}}
		}
		// The values file handed to helm: valuesFile (default: the chart's values.yaml),
		// with valuesInline merged per valuesMerge, as HelmChartInflationGenerator does.
		valuesFile := c.ValuesFile
		var valuesPath string
		if valuesFile == "" {
			valuesPath = joinRel(chartDir, "values.yaml")
		} else {
			p, ok := join(dir, valuesFile)
			if !ok || !fs.isFile(p) {
				return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeMissingFile, Message: fmt.Sprintf("helmCharts: valuesFile %s is not in the repository", valuesFile)}}
			}
			valuesPath = p
		}
		merge := c.ValuesMerge
		if merge == "" {
			merge = "override"
		}
		var valuesData []byte
		if len(c.ValuesInline) > 0 {
			inline := c.ValuesInline
			if merge == "merge" || merge == "override" {
				fileValues, err := kyaml.Parse(string(fs.files[valuesPath]))
				if err != nil {
					return nil, nil, nil, []SourceError{{File: valuesPath, Line: max(1, yamlErrorLine(err.Error())), Code: CodeInvalidValues, Message: err.Error()}}
				}
				inlineValues, err := kyaml.FromMap(c.ValuesInline)
				if err != nil {
					return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeInvalidValues, Message: err.Error()}}
				}
				var out *kyaml.RNode
				if merge == "override" {
					out, err = merge2.Merge(inlineValues, fileValues.Copy(), kyaml.MergeOptions{})
				} else {
					out, err = merge2.Merge(fileValues, inlineValues.Copy(), kyaml.MergeOptions{})
				}
				if err != nil {
					return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeInvalidValues, Message: "could not merge values: " + err.Error()}}
				}
				if inline, err = out.Map(); err != nil {
					return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeInvalidValues, Message: err.Error()}}
				}
			} else if merge != "replace" {
				return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeRenderError, Message: "valuesMerge must be one of [merge override replace]"}}
			}
			b, err := yaml.Marshal(inline)
			if err != nil {
				return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeInvalidValues, Message: err.Error()}}
			}
			valuesData = b
		} else {
			valuesData = fs.files[valuesPath]
		}
		tmpValues := joinRel(dir, fmt.Sprintf("%svalues-%d-%s.yaml", helmOutputPrefix, i, c.Name))
		fs.add(tmpValues, valuesData)
		valueFiles := []string{tmpValues}
		for _, f := range c.AdditionalValuesFiles {
			p, ok := join(dir, f)
			if !ok || !fs.isFile(p) {
				return nil, nil, nil, []SourceError{{File: kf, Line: line, Code: CodeMissingFile, Message: fmt.Sprintf("helmCharts: additionalValuesFile %s is not in the repository", f)}}
			}
			valueFiles = append(valueFiles, p)
		}
		if c.NameTemplate != "" {
			warnings = append(warnings, fmt.Sprintf("%s: helmCharts %s: nameTemplate is not supported; the release is named %q", kf, c.Name, c.ReleaseName))
		}
		releaseName := c.ReleaseName
		if releaseName == "" {
			// kustomize passes --generate-name, a name with a timestamp; render reproducibly.
			releaseName = "release-name"
		}
		kubeVersion := c.KubeVersion
		if opts.KubeVersion != "" && kubeVersion == "" {
			kubeVersion = opts.KubeVersion
		}
		apiVersions := c.ApiVersions
		if len(apiVersions) == 0 {
			apiVersions = opts.APIVersions
		}
		h := &helmChart{fs: fs, root: chartDir, locations: map[string]string{}, archive: map[string]bool{}, opts: HelmOptions{
			ReleaseName: releaseName, Namespace: c.Namespace, ValueFiles: valueFiles, KubeVersion: kubeVersion,
			APIVersions: apiVersions, IncludeCRDs: c.IncludeCRDs, SkipTests: c.SkipTests, NoHooks: c.SkipHooks,
		}}
		docs, _, errs := h.template()
		if len(errs) > 0 {
			return nil, nil, nil, errs
		}
		inf := &helmInflation{kustFile: kf, chartName: c.Name}
		var out strings.Builder
		for _, d := range docs {
			rn, err := kyaml.Parse(d.Content)
			if err != nil {
				return nil, nil, nil, []SourceError{h.errorAt(d.Template, 1, CodeTemplateError, fmt.Sprintf("YAML parse error on %s: %v", d.Template, err))}
			}
			if rn.IsNilOrEmpty() {
				continue
			}
			if err := setAnnotations(rn, map[string]string{konfig.HelmGeneratedAnnotation: "true", helmSourceAnnotation: d.Template}); err != nil {
				return nil, nil, nil, []SourceError{h.errorAt(d.Template, 1, CodeTemplateError, err.Error())}
			}
			s, err := rn.String()
			if err != nil {
				return nil, nil, nil, []SourceError{h.errorAt(d.Template, 1, CodeTemplateError, err.Error())}
			}
			out.WriteString("---\n")
			out.WriteString(s)
			inf.templates = append(inf.templates, d.Template)
			inf.files = append(inf.files, h.fileOf(d.Template))
		}
		name := fmt.Sprintf("%s%d-%s.yaml", helmOutputPrefix, i, c.Name)
		generated[joinRel(dir, name)] = []byte(out.String())
		inflations[joinRel(dir, name)] = inf
		newResources = append(newResources, name)
	}

	rn, err := kyaml.Parse(string(fs.files[kf]))
	if err != nil {
		return nil, nil, nil, []SourceError{{File: kf, Line: max(1, yamlErrorLine(err.Error())), Code: CodeRenderError, Message: err.Error()}}
	}
	if err := rn.PipeE(kyaml.Clear("helmCharts")); err != nil {
		return nil, nil, nil, []SourceError{{File: kf, Line: 1, Code: CodeRenderError, Message: err.Error()}}
	}
	_ = rn.PipeE(kyaml.Clear("helmGlobals"))
	resources, err := rn.Pipe(kyaml.LookupCreate(kyaml.SequenceNode, "resources"))
	if err != nil {
		return nil, nil, nil, []SourceError{{File: kf, Line: 1, Code: CodeRenderError, Message: err.Error()}}
	}
	for _, r := range newResources {
		resources.YNode().Content = append(resources.YNode().Content, &kyaml.Node{Kind: kyaml.ScalarNode, Tag: "!!str", Value: r})
	}
	s, err := rn.String()
	if err != nil {
		return nil, nil, nil, []SourceError{{File: kf, Line: 1, Code: CodeRenderError, Message: err.Error()}}
	}
	sort.Strings(warnings)
	return []byte(s), generated, warnings, nil
}

func setAnnotations(rn *kyaml.RNode, annotations map[string]string) error {
	keys := make([]string, 0, len(annotations))
	for k := range annotations {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if err := rn.PipeE(kyaml.SetAnnotation(k, annotations[k])); err != nil {
			return err
		}
	}
	return nil
}
