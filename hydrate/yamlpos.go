package main

import (
	"regexp"
	"strconv"
	"strings"

	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
)

// parseYAMLNode parses the first document of a YAML file into a node tree with line
// numbers; nil when it does not parse or holds no mapping.
func parseYAMLNode(data []byte) *kyaml.Node {
	rn, err := kyaml.Parse(string(data))
	if err != nil || rn == nil {
		return nil
	}
	n := rn.YNode()
	if n == nil || n.Kind != kyaml.MappingNode {
		return nil
	}
	return n
}

// mapValue returns the key node and the value node of key in a mapping node.
func mapValue(m *kyaml.Node, key string) (*kyaml.Node, *kyaml.Node) {
	if m == nil || m.Kind != kyaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// lineOfKey is the line of key in mapping m, or 0.
func lineOfKey(m *kyaml.Node, key string) int {
	k, _ := mapValue(m, key)
	if k == nil {
		return 0
	}
	return k.Line
}

var yamlLineRe = regexp.MustCompile(`(?:yaml|YAML): line (\d+)`)

// yamlErrorLine extracts "line N" from a YAML library error, or 0.
func yamlErrorLine(msg string) int {
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// lineOfText is the first line (1-based) of data whose trimmed text equals want, or 0.
func lineOfText(data []byte, want string) int {
	want = strings.TrimSpace(want)
	if want == "" {
		return 0
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) == want {
			return i + 1
		}
	}
	return 0
}
