// conftest v0.71.1's own parsers (github.com/open-policy-agent/conftest/parser/...), built
// for GOOS=wasip1 as a reactor that gitops-gate instantiates once per thread and calls
// synchronously (src/manifests/conftest-wasm/). Every format is conftest's code at the
// pinned version, so each file parses to the document `conftest parse` prints.
// docs/decisions/0007-input-formats.md says why.
//
// Protocol: the host asks for an input buffer (gg_input), writes "<parser name><data>" into
// it, calls gg_parse(len(name)) and reads gg_output() for the returned length:
// {"doc": <value>} or {"error": "<message>"}. gg_load_proto takes "<path><.proto text>"
// the same way and registers its messages as conftest's --proto-file-dirs does.
//
// Two builds: the default one with every parser but CUE, and `-tags cue` with CUE alone
// (CUE is 31 MB of the 43 MB a single build weighs; most runs never see a .cue file).
package main

import (
	"encoding/json"
	"fmt"
	"runtime/debug"
	"unsafe"
)

type parser interface {
	Unmarshal(p []byte, v any) error
}

// parsers is filled by the build's parsers_*.go file: conftest's parser name → constructor.
var parsers = map[string]func() parser{}

var inBuf, outBuf []byte

//go:wasmexport gg_input
func input(size uint32) uint32 {
	inBuf = make([]byte, size+1)[:size]
	return uint32(uintptr(unsafe.Pointer(&inBuf[:1][0])))
}

//go:wasmexport gg_output
func output() uint32 {
	if len(outBuf) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(&outBuf[0])))
}

type result struct {
	Doc   *any   `json:"doc,omitempty"`
	Error string `json:"error,omitempty"`
}

func reply(r result) uint32 {
	out, err := json.Marshal(r)
	if err != nil {
		// A value JSON cannot hold (NaN, ±Inf): conftest fails to print it too.
		out, _ = json.Marshal(result{Error: fmt.Sprintf("convert to JSON: %v", err)})
	}
	outBuf = out
	inBuf = nil
	return uint32(len(outBuf))
}

//go:wasmexport gg_parse
func parse(nameLen uint32) (n uint32) {
	name := string(inBuf[:nameLen])
	data := inBuf[nameLen:]
	defer func() {
		if e := recover(); e != nil {
			n = reply(result{Error: fmt.Sprintf("parser panicked: %v", e)})
		}
	}()
	newParser, ok := parsers[name]
	if !ok {
		return reply(result{Error: "unknown parser: " + name})
	}
	var v any
	if err := newParser().Unmarshal(data, &v); err != nil {
		return reply(result{Error: err.Error()})
	}
	return reply(result{Doc: &v})
}

//go:wasmexport gg_load_proto
func loadProto(nameLen uint32) (n uint32) {
	path := string(inBuf[:nameLen])
	data := inBuf[nameLen:]
	defer func() {
		if e := recover(); e != nil {
			n = reply(result{Error: fmt.Sprintf("proto loader panicked: %v", e)})
		}
	}()
	if err := loadProtoFile(path, data); err != nil {
		return reply(result{Error: fmt.Sprintf("load proto file %s: %v", path, err)})
	}
	return reply(result{})
}

func init() {
	// Deep nesting fails as a Go error or a stack overflow well before 4 GiB of wasm memory.
	debug.SetMaxStack(128 << 20)
}

func main() {}
