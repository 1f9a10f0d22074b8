//go:build wasip1

package main

import (
	"runtime/debug"
	"unsafe"
)

// The host's view (src/hydrate/engine.ts): a reactor module (built with
// -buildmode=c-shared); the host calls _initialize once, then per render:
//   ptr = hydrate_alloc(len); write the request JSON at ptr; packed = hydrate_render(ptr, len);
//   read the response JSON at packed>>32 (length packed&0xffffffff); hydrate_free(each pointer).
// Buffers handed out stay reachable through `pinned` until freed (Go's GC does not move
// objects, so the addresses stay valid).

var pinned = map[uint32][]byte{}

func pin(b []byte) uint32 {
	if len(b) == 0 {
		b = make([]byte, 1)
	}
	p := uint32(uintptr(unsafe.Pointer(&b[0])))
	pinned[p] = b
	return p
}

//go:wasmexport hydrate_alloc
func hydrateAlloc(size uint32) uint32 {
	return pin(make([]byte, size))
}

//go:wasmexport hydrate_free
func hydrateFree(ptr uint32) {
	delete(pinned, ptr)
}

//go:wasmexport hydrate_render
func hydrateRender(ptr, length uint32) uint64 {
	in := pinned[ptr]
	if uint32(len(in)) < length {
		in = nil
	} else {
		in = in[:length]
	}
	out := handle(in)
	p := pin(out)
	return uint64(p)<<32 | uint64(len(out))
}

// hydrate_set_memory_limit sets the Go heap's soft limit (debug.SetMemoryLimit), so the
// collector works harder before the host's wasm memory maximum is reached.
//
//go:wasmexport hydrate_set_memory_limit
func hydrateSetMemoryLimit(bytes int64) int64 {
	return debug.SetMemoryLimit(bytes)
}

// hydrate_info returns JSON naming the Go and module versions built in (read and free
// like a render response).
//
//go:wasmexport hydrate_info
func hydrateInfo() uint64 {
	out := info()
	p := pin(out)
	return uint64(p)<<32 | uint64(len(out))
}

func main() {}
