package main

import (
	"path"
	"strings"

	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/resid"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"
)

// PatchRef is a patch that kustomize applied to an object. Kustomize's transformations
// annotation names only the kustomization of a PatchTransformer, so the patch entries of
// that kustomization are matched to the object the way kustomize selects targets.
type PatchRef struct {
	// File holds the patch text: the patch file, or the kustomization for an inline patch.
	File string `json:"file"`
	// Line is where the patch document starts in File (an inline patch: its first line).
	Line int `json:"line"`
	// Kustomization lists the patch; Field is its field there.
	Kustomization string `json:"kustomization"`
	Field         string `json:"field"`
}

var patchTransformers = map[string]bool{"PatchTransformer": true, "PatchStrategicMergeTransformer": true, "PatchJson6902Transformer": true}

// patchCandidate is one patch entry of a kustomization, with what it targets.
type patchCandidate struct {
	ref      PatchRef
	selector *types.Selector // explicit target
	heads    []patchHead     // strategic-merge documents, each targeting by kind and name
	docLines []int           // line of each head in ref.File
}

type patchHead struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

type patchIndex struct {
	fs    *fileSet
	cache map[string][]patchCandidate
}

func (p *patchIndex) candidates(kf string) []patchCandidate {
	if c, ok := p.cache[kf]; ok {
		return c
	}
	var out []patchCandidate
	doc := parseYAMLNode(p.fs.files[kf])
	dir := path.Dir(kf)
	if dir == "." {
		dir = ""
	}
	// text returns a patch's content, its file and the line its text starts on.
	text := func(item *kyaml.Node, pathNode, inline *kyaml.Node) (string, string, int) {
		if pathNode != nil && pathNode.Kind == kyaml.ScalarNode {
			f, ok := join(dir, pathNode.Value)
			if !ok {
				return "", "", 0
			}
			return string(p.fs.files[f]), f, 1
		}
		if inline != nil && inline.Kind == kyaml.ScalarNode {
			line := inline.Line
			if inline.Style == kyaml.LiteralStyle || inline.Style == kyaml.FoldedStyle {
				line++
			}
			return inline.Value, kf, line
		}
		return "", "", 0
	}
	add := func(field string, item *kyaml.Node, content, file string, line int, target *kyaml.Node) {
		c := patchCandidate{ref: PatchRef{File: file, Line: line, Kustomization: kf, Field: field}}
		if target != nil {
			var sel types.Selector
			if rn := kyaml.NewRNode(target); rn != nil {
				if s, err := rn.String(); err == nil && yaml.Unmarshal([]byte(s), &sel) == nil {
					c.selector = &sel
				}
			}
		}
		if c.selector == nil {
			for i, d := range splitDocumentsWithLines(content) {
				var h patchHead
				if yaml.Unmarshal([]byte(d.text), &h) == nil && h.Kind != "" {
					c.heads = append(c.heads, h)
					if file == kf {
						c.docLines = append(c.docLines, line+d.line-1)
					} else {
						c.docLines = append(c.docLines, d.line)
					}
				}
				_ = i
			}
		}
		out = append(out, c)
	}
	for _, field := range []string{"patches", "patchesJson6902"} {
		_, seq := mapValue(doc, field)
		for _, item := range seqItems(seq) {
			_, pathNode := mapValue(item, "path")
			_, inline := mapValue(item, "patch")
			_, target := mapValue(item, "target")
			content, file, line := text(item, pathNode, inline)
			if file == "" {
				continue
			}
			if file == kf && inline == nil {
				line = item.Line
			}
			add(field, item, content, file, line, target)
		}
	}
	_, sm := mapValue(doc, "patchesStrategicMerge")
	for _, item := range seqItems(sm) {
		if item.Kind != kyaml.ScalarNode {
			continue
		}
		if strings.ContainsAny(item.Value, "\n:") {
			add("patchesStrategicMerge", item, item.Value, kf, item.Line, nil)
			continue
		}
		content, file, line := text(item, item, nil)
		if file != "" {
			add("patchesStrategicMerge", item, content, file, line, nil)
		}
	}
	p.cache[kf] = out
	return out
}

// patchesOf lists the patch entries of the kustomizations whose PatchTransformers
// touched res that target res.
func (p *patchIndex) patchesOf(res *resource.Resource, transformations []Origin) []PatchRef {
	seen := map[string]bool{}
	var out []PatchRef
	ids := append([]resid.ResId{res.CurId(), res.OrgId()}, res.PrevIds()...)
	for _, t := range transformations {
		if t.ConfiguredBy == nil || !patchTransformers[t.ConfiguredBy.Kind] || t.ConfiguredIn == "" || seen[t.ConfiguredIn] {
			continue
		}
		seen[t.ConfiguredIn] = true
		for _, c := range p.candidates(t.ConfiguredIn) {
			if c.selector != nil {
				if selects(c.selector, res, ids) {
					out = append(out, c.ref)
				}
				continue
			}
			for i, h := range c.heads {
				if headMatches(h, ids) {
					ref := c.ref
					ref.Line = c.docLines[i]
					out = append(out, ref)
					break
				}
			}
		}
	}
	return out
}

func selects(s *types.Selector, res *resource.Resource, ids []resid.ResId) bool {
	sr, err := types.NewSelectorRegex(s)
	if err != nil || !sr.MatchGvk(res.GetGvk()) {
		return false
	}
	ok := false
	for _, id := range ids {
		if sr.MatchName(id.Name) && sr.MatchNamespace(id.EffectiveNamespace()) {
			ok = true
			break
		}
	}
	if !ok {
		return false
	}
	if m, err := res.MatchesLabelSelector(s.LabelSelector); err != nil || !m {
		return false
	}
	m, err := res.MatchesAnnotationSelector(s.AnnotationSelector)
	return err == nil && m
}

func headMatches(h patchHead, ids []resid.ResId) bool {
	for _, id := range ids {
		if id.Kind == h.Kind && id.Name == h.Metadata.Name && (h.Metadata.Namespace == "" || h.Metadata.Namespace == id.Namespace) {
			return true
		}
	}
	return false
}

type docWithLine struct {
	text string
	line int // 1-based line of the document's first line in the file
}

// splitDocumentsWithLines splits a YAML stream at "---" lines, keeping where each starts.
func splitDocumentsWithLines(s string) []docWithLine {
	var out []docWithLine
	lines := strings.Split(s, "\n")
	start := 0
	flush := func(end int) {
		body := strings.Join(lines[start:end], "\n")
		if strings.TrimSpace(body) != "" {
			first := start
			for first < end && (strings.TrimSpace(lines[first]) == "" || strings.HasPrefix(strings.TrimSpace(lines[first]), "#")) {
				first++
			}
			out = append(out, docWithLine{text: body, line: first + 1})
		}
	}
	for i, l := range lines {
		if docSeparator.MatchString(l) {
			flush(i)
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}
