package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log"
	"runtime/debug"
	"strings"
)

// handle decodes one request, renders it and encodes the response. It never panics:
// a panic in a library becomes an error response.
func handle(input []byte) (out []byte) {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	log.SetFlags(0)
	defer func() {
		if r := recover(); r != nil {
			out = encode(&Response{Errors: []SourceError{{Line: 1, Code: CodeRenderError,
				Message: fmt.Sprintf("renderer panicked: %v\n%s", r, debug.Stack())}}})
		}
	}()
	resp := render(input)
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		if l != "" {
			resp.Warnings = append(resp.Warnings, l)
		}
	}
	return encode(resp)
}

func render(input []byte) *Response {
	var req Request
	dec := json.NewDecoder(bytes.NewReader(input))
	if err := dec.Decode(&req); err != nil {
		return &Response{Errors: []SourceError{{Line: 1, Code: CodeInvalidInput, Message: "decode request: " + err.Error()}}}
	}
	fs, err := newFileSet(req.Files, req.BinaryFiles)
	if err != nil {
		return &Response{Errors: []SourceError{{Line: 1, Code: CodeInvalidInput, Message: err.Error()}}}
	}
	root, err := cleanRel(req.Root)
	if err != nil {
		return &Response{Errors: []SourceError{{File: req.Root, Line: 1, Code: CodeInvalidInput, Message: err.Error()}}}
	}
	switch req.Kind {
	case "helm":
		opts := HelmOptions{}
		if req.Helm != nil {
			opts = *req.Helm
		}
		return renderHelm(fs, root, opts)
	case "kustomize":
		opts := KustomizeOptions{}
		if req.Kustomize != nil {
			opts = *req.Kustomize
		}
		return renderKustomize(fs, root, opts)
	default:
		return &Response{Errors: []SourceError{{File: root, Line: 1, Code: CodeInvalidInput, Message: fmt.Sprintf("unknown kind %q (helm or kustomize)", req.Kind)}}}
	}
}

func encode(resp *Response) []byte {
	b, err := json.Marshal(resp)
	if err != nil {
		b, _ = json.Marshal(&Response{Errors: []SourceError{{Line: 1, Code: CodeRenderError, Message: "encode response: " + err.Error()}}})
	}
	return b
}

// info names the Go version and the versions of the rendering modules built in.
func info() []byte {
	out := map[string]string{"defaultKubeVersion": DefaultKubeVersion}
	if bi, ok := debug.ReadBuildInfo(); ok {
		out["go"] = bi.GoVersion
		for _, d := range bi.Deps {
			switch d.Path {
			case "helm.sh/helm/v3":
				out["helm"] = d.Version
			case "sigs.k8s.io/kustomize/api":
				out["kustomizeApi"] = d.Version
			case "sigs.k8s.io/kustomize/kyaml":
				out["kyaml"] = d.Version
			}
		}
	}
	b, _ := json.Marshal(out)
	return b
}
