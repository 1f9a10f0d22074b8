package main

import (
	"os"
	"testing"
)

// go test -bench . -run '^$' with HYDRATE_REQUEST=request.json: the time of one render
// natively, for profiling (-cpuprofile); the wasm build runs the same code.
func BenchmarkRender(b *testing.B) {
	path := os.Getenv("HYDRATE_REQUEST")
	if path == "" {
		b.Skip("HYDRATE_REQUEST not set")
	}
	in, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		handle(in)
	}
}
