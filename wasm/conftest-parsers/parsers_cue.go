//go:build cue

package main

import (
	"fmt"

	"github.com/open-policy-agent/conftest/parser/cue"
)

func init() {
	parsers["cue"] = func() parser { return &cue.Parser{} }
}

func loadProtoFile(string, []byte) error {
	return fmt.Errorf("this build has the CUE parser only")
}
