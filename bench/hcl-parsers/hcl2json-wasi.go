// hcl2json over hashicorp/hcl/v2, as conftest v0.71.1 runs it (tmccombs/hcl2json v0.6.7,
// convert.Bytes with default options), built for GOOS=wasip1 as a reactor: the host writes
// a file into the buffer from input(n), calls parse(withLines), reads output() of the length
// it returns. Output: {"doc": <hcl2json JSON>} or {"error": "..."}, plus "lines" (path with
// NUL separators → 1-based line, blocks and attributes) when asked.
package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"unsafe"

	hcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/tmccombs/hcl2json/convert"
)

var inBuf, outBuf []byte

//go:wasmexport input
func input(size uint32) uint32 {
	inBuf = make([]byte, size+1)[:size]
	return uint32(uintptr(unsafe.Pointer(&inBuf[:1][0])))
}

//go:wasmexport output
func output() uint32 {
	if len(outBuf) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(&outBuf[0])))
}

type result struct {
	Doc   json.RawMessage `json:"doc,omitempty"`
	Error string          `json:"error,omitempty"`
	Lines map[string]int  `json:"lines,omitempty"`
}

//go:wasmexport parse
func parse(withLines uint32) uint32 {
	var r result
	doc, err := convert.Bytes(inBuf, "", convert.Options{})
	if err != nil {
		r.Error = err.Error()
	} else {
		r.Doc = doc
		if withLines != 0 {
			r.Lines = lines(inBuf)
		}
	}
	outBuf, _ = json.Marshal(r)
	return uint32(len(outBuf))
}

// lines maps block and attribute paths to lines as the converted document nests them:
// type, labels, index of the body among blocks of that type and labels, attribute name.
func lines(src []byte) map[string]int {
	file, _ := hclsyntax.ParseConfig(src, "", hcl.Pos{Line: 1, Column: 1})
	m := map[string]int{}
	walk(file.Body.(*hclsyntax.Body), nil, m)
	return m
}

func walk(body *hclsyntax.Body, base []string, m map[string]int) {
	counts := map[string]int{}
	set := func(p []string, line int) {
		k := strings.Join(p, "\x00")
		if _, ok := m[k]; !ok {
			m[k] = line
		}
	}
	for _, b := range body.Blocks {
		p := append(append([]string{}, base...), b.Type)
		set(p, b.TypeRange.Start.Line)
		for _, l := range b.Labels {
			p = append(p, l)
			set(p, b.TypeRange.Start.Line)
		}
		k := strings.Join(p, "\x00")
		i := counts[k]
		counts[k]++
		p = append(p, strconv.Itoa(i))
		set(p, b.TypeRange.Start.Line)
		walk(b.Body, p, m)
	}
	for name, a := range body.Attributes {
		m[strings.Join(append(append([]string{}, base...), name), "\x00")] = a.NameRange.Start.Line
	}
}

func main() {}
