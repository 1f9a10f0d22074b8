// Command hydrate renders Helm charts and Kustomize overlays from files held in memory,
// for gitops-gate (docs/decisions/0004-rendering-engine.md).
//
// Built for WASI (GOOS=wasip1 GOARCH=wasm -buildmode=c-shared, scripts/ensure-hydrate.sh)
// it is a reactor whose exported functions (main_wasm.go) serve render after render from
// one instance; src/hydrate/engine.ts is its host. Built natively (go run .) it reads one
// request on stdin and writes the response on stdout, for debugging. The request and
// response are JSON (request.go); Helm rendering is helm.go, Kustomize kustomize.go.
package main
