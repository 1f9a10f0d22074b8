package main

import (
	"bytes"
	"fmt"
	iofs "io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/ignore"
	"helm.sh/helm/v3/pkg/release"
	"helm.sh/helm/v3/pkg/releaseutil"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"
)

// helmDoc is one document of `helm template`'s output, in its order.
type helmDoc struct {
	Template string   // "# Source:" path (chart full path + file)
	Content  string   // the document text
	Hook     []string // hook events, for hooks
	CRD      bool     // from crds/ (with IncludeCRDs)
}

// helmChart renders one chart folder of a file set exactly as `helm template` would
// render it from disk (cmd/helm/template.go → action.Install in client-only mode).
type helmChart struct {
	fs   *fileSet
	root string
	opts HelmOptions
	// chart full path ("podinfo", "podinfo/charts/redis") → repository folder, or the
	// .tgz that holds it.
	locations map[string]string
	archive   map[string]bool
	// repository paths of the value files applied, in order, for error lines.
	valueFiles []string
}

var utf8bom = []byte{0xEF, 0xBB, 0xBF}

func renderHelm(fs *fileSet, root string, opts HelmOptions) *Response {
	h := &helmChart{fs: fs, root: root, opts: opts, locations: map[string]string{}, archive: map[string]bool{}}
	docs, notes, errs := h.template()
	if len(errs) > 0 {
		return &Response{OK: false, Errors: errs}
	}
	resp := &Response{OK: true, Notes: notes, Objects: []RenderedObject{}}
	for _, d := range docs {
		obj, err := parseObject(d.Content)
		if err != nil {
			return &Response{OK: false, Errors: []SourceError{h.errorAt(d.Template, 0, CodeTemplateError, fmt.Sprintf("YAML parse error on %s: %v", d.Template, err))}}
		}
		if obj == nil {
			continue // comments only: helm prints it, nothing is applied
		}
		resp.Objects = append(resp.Objects, RenderedObject{
			YAML:   d.Content,
			Object: obj,
			Source: Source{File: h.fileOf(d.Template), Template: d.Template, Hook: d.Hook, CRD: d.CRD},
		})
	}
	return resp
}

// parseObject parses one document as Kubernetes clients do (YAML → JSON → object).
func parseObject(doc string) (map[string]interface{}, error) {
	var v interface{}
	if err := yaml.Unmarshal([]byte(doc), &v); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("document is a %T, not an object", v)
	}
	return m, nil
}

func (h *helmChart) chartFile(name string) string { return joinRel(h.root, name) }

func joinRel(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// template returns the documents in `helm template`'s output order, NOTES.txt, or errors.
func (h *helmChart) template() ([]helmDoc, string, []SourceError) {
	if !h.fs.isFile(h.chartFile("Chart.yaml")) {
		return nil, "", []SourceError{{File: h.chartFile("Chart.yaml"), Line: 1, Code: CodeMissingFile,
			Message: fmt.Sprintf("%s is not a Helm chart: Chart.yaml is not in the file set", displayDir(h.root))}}
	}
	files, err := h.chartFiles()
	if err != nil {
		return nil, "", []SourceError{h.loadError(err)}
	}
	ch, err := loader.LoadFiles(files)
	if err != nil {
		return nil, "", []SourceError{h.loadError(err)}
	}
	h.mapLocations(ch, h.root, false)

	// cmd/helm/install.go runInstall: installable type, then vendored dependencies.
	switch ch.Metadata.Type {
	case "", "application":
	default:
		return nil, "", []SourceError{{File: h.chartFile("Chart.yaml"), Line: h.chartYAMLLine("type"), Code: CodeRenderError,
			Message: fmt.Sprintf("%s charts are not installable", ch.Metadata.Type)}}
	}
	if errs := h.checkDependencies(ch); len(errs) > 0 {
		return nil, "", errs
	}

	vals, errs := h.mergeValues()
	if len(errs) > 0 {
		return nil, "", errs
	}

	// action.Install.RunWithContext with ClientOnly (helm template without --validate).
	if err := chartutil.ProcessDependenciesWithMerge(ch, vals); err != nil {
		return nil, "", []SourceError{{File: h.chartFile("Chart.yaml"), Line: h.chartYAMLLine("dependencies"), Code: CodeRenderError, Message: err.Error()}}
	}
	caps := chartutil.DefaultCapabilities.Copy()
	kv := h.opts.KubeVersion
	if kv == "" {
		kv = DefaultKubeVersion
	}
	parsed, err := chartutil.ParseKubeVersion(kv)
	if err != nil {
		return nil, "", []SourceError{{File: h.chartFile("Chart.yaml"), Line: 1, Code: CodeInvalidInput, Message: fmt.Sprintf("invalid kube version '%s': %s", kv, err)}}
	}
	caps.KubeVersion = *parsed
	caps.APIVersions = append(caps.APIVersions, h.opts.APIVersions...)

	releaseName := h.opts.ReleaseName
	if releaseName == "" {
		releaseName = "release-name"
	}
	namespace := h.opts.Namespace
	if namespace == "" {
		namespace = "default"
	}
	options := chartutil.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: !h.opts.IsUpgrade, IsUpgrade: h.opts.IsUpgrade}
	valuesToRender, err := chartutil.ToRenderValuesWithSchemaValidation(ch, vals, options, caps, h.opts.SkipSchema)
	if err != nil {
		return nil, "", []SourceError{h.valuesError(err)}
	}

	// action.Configuration.renderResources
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, "", []SourceError{{File: h.chartFile("Chart.yaml"), Line: h.chartYAMLLine("kubeVersion"), Code: CodeIncompatibleKube,
			Message: fmt.Sprintf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.String())}}
	}
	var e engine.Engine
	rendered, err := e.Render(ch, valuesToRender)
	if err != nil {
		return nil, "", []SourceError{h.templateError(err)}
	}
	var notes bytes.Buffer
	for k, v := range rendered {
		if strings.HasSuffix(k, "NOTES.txt") {
			if k == path.Join(ch.Name(), "templates", "NOTES.txt") {
				notes.WriteString(v)
			}
			delete(rendered, k)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(rendered, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, "", []SourceError{h.manifestError(err, rendered)}
	}

	var docs []helmDoc
	if h.opts.IncludeCRDs {
		for _, crd := range ch.CRDObjects() {
			// helm template prints the file whole; split it the way a reader of the output would.
			for _, d := range splitDocuments(string(crd.File.Data)) {
				docs = append(docs, helmDoc{Template: crd.Filename, Content: d, CRD: true})
			}
		}
	}
	// helm template prints each document followed by a newline ("---\n# Source: %s\n%s\n"):
	// keep it, it ends the last block scalar of a document.
	for _, m := range manifests {
		docs = append(docs, helmDoc{Template: m.Name, Content: m.Content + "\n"})
	}
	if !h.opts.NoHooks {
		for _, hk := range hooks {
			if h.opts.SkipTests && isTestHook(hk) {
				continue
			}
			events := make([]string, 0, len(hk.Events))
			for _, ev := range hk.Events {
				events = append(events, ev.String())
			}
			docs = append(docs, helmDoc{Template: hk.Path, Content: hk.Manifest + "\n", Hook: events})
		}
	}
	return docs, notes.String(), nil
}

func isTestHook(h *release.Hook) bool {
	for _, e := range h.Events {
		if e == release.HookTest {
			return true
		}
	}
	return false
}

var docSeparator = regexp.MustCompile(`(?m)^---[ \t]*(?:#.*)?$`)

// splitDocuments splits a multi-document YAML text; empty documents are dropped.
func splitDocuments(s string) []string {
	var out []string
	for _, d := range docSeparator.Split(s, -1) {
		if strings.TrimSpace(d) != "" {
			d = strings.TrimLeft(d, "\n")
			if !strings.HasSuffix(d, "\n") {
				d += "\n"
			}
			out = append(out, d)
		}
	}
	return out
}

// chartFiles lists the chart's files as loader.LoadDir would read them from disk: in
// filepath.Walk order, .helmignore applied, UTF-8 BOMs dropped.
func (h *helmChart) chartFiles() ([]*loader.BufferedFile, error) {
	rules := ignore.Empty()
	if data, ok := h.fs.files[h.chartFile(".helmignore")]; ok {
		r, err := ignore.Parse(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("parse .helmignore: %w", err)
		}
		rules = r
	}
	rules.AddDefaults()
	var files []*loader.BufferedFile
	var walk func(dir, rel string) error
	walk = func(dir, rel string) error {
		names, isDir := h.fs.children(dir)
		for _, name := range names {
			n := joinRel(rel, name)
			full := joinRel(dir, name)
			if isDir[name] {
				if rules.Ignore(n, fileInfo{name: name, dir: true}) {
					continue
				}
				if err := walk(full, n); err != nil {
					return err
				}
				continue
			}
			data := h.fs.files[full]
			if rules.Ignore(n, fileInfo{name: name, size: int64(len(data))}) {
				continue
			}
			if int64(len(data)) > loader.MaxDecompressedFileSize {
				return fmt.Errorf("chart file %q is larger than the maximum file size %d", name, loader.MaxDecompressedFileSize)
			}
			files = append(files, &loader.BufferedFile{Name: n, Data: bytes.TrimPrefix(data, utf8bom)})
		}
		return nil
	}
	if err := walk(h.root, ""); err != nil {
		return nil, err
	}
	return files, nil
}

// fileInfo is what ignore.Rules needs of a file.
type fileInfo struct {
	name string
	dir  bool
	size int64
}

func (f fileInfo) Name() string { return f.name }
func (f fileInfo) Size() int64  { return f.size }
func (f fileInfo) Mode() iofs.FileMode {
	if f.dir {
		return iofs.ModeDir | 0o755
	}
	return 0o644
}
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return f.dir }
func (f fileInfo) Sys() interface{}   { return nil }

// mapLocations records where each (sub)chart of ch lives in the repository.
func (h *helmChart) mapLocations(ch *chart.Chart, dir string, inArchive bool) {
	h.locations[ch.ChartFullPath()] = dir
	h.archive[ch.ChartFullPath()] = inArchive
	if len(ch.Dependencies()) == 0 {
		return
	}
	byName := map[string]string{}
	archived := map[string]bool{}
	if !inArchive {
		names, isDir := h.fs.children(joinRel(dir, "charts"))
		for _, name := range names {
			loc := joinRel(joinRel(dir, "charts"), name)
			if isDir[name] {
				var meta struct {
					Name string `json:"name"`
				}
				if data, ok := h.fs.files[loc+"/Chart.yaml"]; ok && yaml.Unmarshal(data, &meta) == nil && meta.Name != "" {
					byName[meta.Name] = loc
				}
			} else if strings.HasSuffix(name, ".tgz") {
				if sub, err := loader.LoadArchive(bytes.NewReader(h.fs.files[loc])); err == nil {
					byName[sub.Name()] = loc
					archived[sub.Name()] = true
				}
			}
		}
	}
	// Called before chartutil.ProcessDependencies, which renames aliased subcharts (and
	// overwrites the dependency's name with its alias): record both names now.
	for _, sub := range ch.Dependencies() {
		loc, ok := byName[sub.Name()]
		if !ok || inArchive {
			h.mapLocations(sub, dir, inArchive) // inside an archive: the archive itself
			continue
		}
		h.mapLocations(sub, loc, archived[sub.Name()])
		if ch.Metadata == nil {
			continue
		}
		for _, d := range ch.Metadata.Dependencies {
			if d != nil && d.Alias != "" && d.Name == sub.Name() {
				full := ch.ChartFullPath() + "/charts/" + d.Alias
				h.locations[full] = loc
				h.archive[full] = archived[sub.Name()]
			}
		}
	}
}

// fileOf maps a template name ("podinfo/templates/x.yaml") to its repository path.
func (h *helmChart) fileOf(template string) string {
	best := ""
	for full := range h.locations {
		if (template == full || strings.HasPrefix(template, full+"/")) && len(full) > len(best) {
			best = full
		}
	}
	if best == "" {
		return ""
	}
	loc := h.locations[best]
	if h.archive[best] {
		return loc
	}
	return joinRel(loc, strings.TrimPrefix(strings.TrimPrefix(template, best), "/"))
}

// chartYAMLLine is the line of a top-level key of the root Chart.yaml (1 when absent).
func (h *helmChart) chartYAMLLine(key string) int {
	if l := lineOfKey(parseYAMLNode(h.fs.files[h.chartFile("Chart.yaml")]), key); l > 0 {
		return l
	}
	return 1
}

// checkDependencies is action.CheckDependencies, one error per missing chart, at its
// entry in Chart.yaml (or requirements.yaml for apiVersion v1 charts).
func (h *helmChart) checkDependencies(ch *chart.Chart) []SourceError {
	var errs []SourceError
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	for _, r := range ch.Metadata.Dependencies {
		if have[r.Name] {
			continue
		}
		file, line := h.dependencyLine(r.Name)
		where := r.Repository
		if where == "" {
			where = "no repository"
		}
		errs = append(errs, SourceError{File: file, Line: line, Code: CodeMissingDependency, Message: fmt.Sprintf(
			"chart dependency %q (version %q, %s) is not vendored: found in Chart.yaml, but missing in charts/ directory. "+
				"gitops-gate never downloads charts: run `helm dependency build %s` and commit %s/charts/",
			r.Name, r.Version, where, displayDir(h.root), displayDir(h.root))})
	}
	return errs
}

func (h *helmChart) dependencyLine(name string) (string, int) {
	for _, f := range []string{"Chart.yaml", "requirements.yaml"} {
		file := h.chartFile(f)
		_, deps := mapValue(parseYAMLNode(h.fs.files[file]), "dependencies")
		if deps == nil || deps.Kind != kyaml.SequenceNode {
			continue
		}
		for _, item := range deps.Content {
			if k, v := mapValue(item, "name"); k != nil && v.Value == name {
				return file, item.Line
			}
		}
	}
	return h.chartFile("Chart.yaml"), h.chartYAMLLine("dependencies")
}

// mergeValues is values.Options.MergeValues for -f files from the file set, then the
// inline values over them.
func (h *helmChart) mergeValues() (map[string]interface{}, []SourceError) {
	base := map[string]interface{}{}
	for _, f := range h.opts.ValueFiles {
		p, err := cleanRel(f)
		if err != nil {
			return nil, []SourceError{{File: f, Line: 1, Code: CodeInvalidInput, Message: err.Error()}}
		}
		data, ok := h.fs.files[p]
		if !ok {
			return nil, []SourceError{{File: p, Line: 1, Code: CodeMissingFile, Message: fmt.Sprintf("values file %s is not in the repository", p)}}
		}
		current := map[string]interface{}{}
		if err := yaml.Unmarshal(data, &current); err != nil {
			line := yamlErrorLine(err.Error())
			if line == 0 {
				line = 1
			}
			return nil, []SourceError{{File: p, Line: line, Code: CodeInvalidValues, Message: fmt.Sprintf("failed to parse %s: %v", p, err)}}
		}
		base = mergeMaps(base, current)
		h.valueFiles = append(h.valueFiles, p)
	}
	if h.opts.Values != nil {
		base = mergeMaps(base, h.opts.Values)
	}
	return base, nil
}

// mergeMaps is helm's pkg/cli/values mergeMaps.
func mergeMaps(a, b map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(a))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		if v, ok := v.(map[string]interface{}); ok {
			if bv, ok := out[k]; ok {
				if bv, ok := bv.(map[string]interface{}); ok {
					out[k] = mergeMaps(bv, v)
					continue
				}
			}
		}
		out[k] = v
	}
	return out
}

var knownChartFiles = []string{"Chart.yaml", "values.yaml", "Chart.lock", "requirements.yaml", "requirements.lock", "values.schema.json", ".helmignore"}

// loadError points a chart loading error at the file it names.
func (h *helmChart) loadError(err error) SourceError {
	msg := err.Error()
	file := h.chartFile("Chart.yaml")
	for _, k := range knownChartFiles {
		if strings.Contains(msg, k) {
			file = h.chartFile(k)
			break
		}
	}
	line := yamlErrorLine(msg)
	if line == 0 {
		line = 1
	}
	return SourceError{File: file, Line: line, Code: CodeRenderError, Message: msg}
}

// Template locations in helm's errors: "parse error at (podinfo/templates/x.yaml:12)",
// "execution error at (podinfo/templates/x.yaml:12:20)", "template: podinfo/templates/x.yaml:12:20: ...".
var (
	templateLocRe  = regexp.MustCompile(`(?:at|in) \(([^():\s]+)(?::(\d+))?(?::(\d+))?\)`)
	templateLocRe2 = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?:`)
)

func (h *helmChart) templateError(err error) SourceError {
	msg := err.Error()
	for _, re := range []*regexp.Regexp{templateLocRe, templateLocRe2} {
		if m := re.FindStringSubmatch(msg); m != nil {
			return h.errorAt(m[1], atoi(m[2]), CodeTemplateError, msg, atoi(m[3]))
		}
	}
	return SourceError{File: h.chartFile("Chart.yaml"), Line: 1, Code: CodeTemplateError, Message: msg}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

func (h *helmChart) errorAt(template string, line int, code, msg string, column ...int) SourceError {
	file := h.fileOf(template)
	if file == "" {
		file = h.chartFile("Chart.yaml")
	}
	if line <= 0 {
		line = 1
	}
	e := SourceError{File: file, Line: line, Code: code, Message: msg}
	if len(column) > 0 {
		e.Column = column[0]
	}
	return e
}

var yamlParseErrorRe = regexp.MustCompile(`YAML parse error on ([^:\s]+):`)

// manifestError points "YAML parse error on <template>: ... line N" at the template line
// that printed the offending rendered line, when that line's text is in the template.
func (h *helmChart) manifestError(err error, rendered map[string]string) SourceError {
	msg := err.Error()
	m := yamlParseErrorRe.FindStringSubmatch(msg)
	if m == nil {
		return SourceError{File: h.chartFile("Chart.yaml"), Line: 1, Code: CodeTemplateError, Message: msg}
	}
	tmpl := m[1]
	line := 1
	if n := yamlErrorLine(strings.TrimPrefix(msg, m[0])); n > 0 {
		src := h.fs.files[h.fileOf(tmpl)]
		docs := releaseutil.SplitManifests(rendered[tmpl])
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		for _, k := range keys {
			var head releaseutil.SimpleHead
			if yaml.Unmarshal([]byte(docs[k]), &head) == nil {
				continue
			}
			lines := strings.Split(docs[k], "\n")
			if n <= len(lines) {
				if l := lineOfText(src, lines[n-1]); l > 0 {
					line = l
				}
			}
			break
		}
	}
	return h.errorAt(tmpl, line, CodeTemplateError, msg)
}

var schemaPointerRe = regexp.MustCompile(`at '(/[^']*)'`)

// valuesError points a values.schema.json violation at the value's line in the last
// values file that sets it, else at the chart's values.schema.json.
func (h *helmChart) valuesError(err error) SourceError {
	msg := strings.TrimSpace(err.Error())
	if m := schemaPointerRe.FindStringSubmatch(msg); m != nil {
		keys := strings.Split(strings.TrimPrefix(m[1], "/"), "/")
		candidates := append([]string{h.chartFile("values.yaml")}, h.valueFiles...)
		for i := len(candidates) - 1; i >= 0; i-- {
			if line := valueLine(h.fs.files[candidates[i]], keys); line > 0 {
				return SourceError{File: candidates[i], Line: line, Code: CodeInvalidValues, Message: msg}
			}
		}
	}
	file := h.chartFile("values.schema.json")
	if !h.fs.isFile(file) {
		file = h.chartFile("values.yaml")
	}
	return SourceError{File: file, Line: 1, Code: CodeInvalidValues, Message: msg}
}

// valueLine is the line of the value at keys in a YAML file, or 0.
func valueLine(data []byte, keys []string) int {
	n := parseYAMLNode(data)
	if n == nil {
		return 0
	}
	line := 0
	for _, k := range keys {
		if k == "" {
			continue
		}
		switch n.Kind {
		case kyaml.MappingNode:
			key, v := mapValue(n, strings.ReplaceAll(strings.ReplaceAll(k, "~1", "/"), "~0", "~"))
			if key == nil {
				return 0
			}
			line, n = key.Line, v
		case kyaml.SequenceNode:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(n.Content) {
				return 0
			}
			n = n.Content[i]
			line = n.Line
		default:
			return 0
		}
	}
	return line
}

func displayDir(d string) string {
	if d == "" {
		return "."
	}
	return d
}
