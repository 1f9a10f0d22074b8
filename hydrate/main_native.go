//go:build !wasip1

package main

import (
	"io"
	"os"
)

// Natively, hydrate reads one request on stdin and writes the response on stdout:
// for debugging the engine without Node (`go run . < request.json`).
func main() {
	if len(os.Args) > 1 && os.Args[1] == "info" {
		os.Stdout.Write(info())
		return
	}
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		os.Exit(2)
	}
	os.Stdout.Write(handle(in))
}
