//go:build !cue

package main

import (
	"bytes"
	"fmt"

	protoparser "github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/dynamicpb"

	"github.com/open-policy-agent/conftest/parser/codeowners"
	"github.com/open-policy-agent/conftest/parser/cyclonedx"
	dotenv "github.com/open-policy-agent/conftest/parser/dotenv"
	"github.com/open-policy-agent/conftest/parser/edn"
	"github.com/open-policy-agent/conftest/parser/groovy"
	"github.com/open-policy-agent/conftest/parser/hcl1"
	"github.com/open-policy-agent/conftest/parser/hocon"
	"github.com/open-policy-agent/conftest/parser/ignore"
	"github.com/open-policy-agent/conftest/parser/ini"
	"github.com/open-policy-agent/conftest/parser/jsonc"
	"github.com/open-policy-agent/conftest/parser/jsonnet"
	"github.com/open-policy-agent/conftest/parser/nginx"
	"github.com/open-policy-agent/conftest/parser/properties"
	"github.com/open-policy-agent/conftest/parser/spdx"
	"github.com/open-policy-agent/conftest/parser/textproto"
	"github.com/open-policy-agent/conftest/parser/toml"
	"github.com/open-policy-agent/conftest/parser/vcl"
	"github.com/open-policy-agent/conftest/parser/xml"
)

func init() {
	parsers["codeowners"] = func() parser { return &codeowners.Parser{} }
	parsers["cyclonedx"] = func() parser { return &cyclonedx.Parser{} }
	parsers["dotenv"] = func() parser { return &dotenv.Parser{} }
	parsers["edn"] = func() parser { return &edn.Parser{} }
	parsers["groovy"] = func() parser { return &groovy.Parser{} }
	parsers["hcl1"] = func() parser { return &hcl1.Parser{} }
	parsers["hocon"] = func() parser { return &hocon.Parser{} }
	parsers["ignore"] = func() parser { return &ignore.Parser{} }
	parsers["ini"] = func() parser { return &ini.Parser{} }
	parsers["jsonc"] = func() parser { return &jsonc.Parser{} }
	// No path: imports are not resolved (the file is evaluated on its own, as from stdin).
	parsers["jsonnet"] = func() parser { return &jsonnet.Parser{} }
	parsers["nginx"] = func() parser { return &nginx.Parser{} }
	parsers["properties"] = func() parser { return &properties.Parser{} }
	parsers["spdx"] = func() parser { return &spdx.Parser{} }
	parsers["textproto"] = func() parser { return &textproto.Parser{} }
	parsers["toml"] = func() parser { return &toml.Parser{} }
	parsers["vcl"] = func() parser { return &vcl.Parser{} }
	parsers["xml"] = func() parser { return &xml.Parser{} }
}

// loadProtoFile is conftest's textproto.load (parser/textproto/textproto.go) over bytes
// instead of a file: the same parse, validation and registration into the global
// registries that textproto.Parser.Unmarshal looks message types up in.
func loadProtoFile(fileName string, data []byte) error {
	globalFiles := protoregistry.GlobalFiles
	globalTypes := protoregistry.GlobalTypes
	if _, err := globalFiles.FindFileByPath(fileName); err == nil {
		return nil
	}
	handler := reporter.NewHandler(nil)
	node, err := protoparser.Parse(fileName, bytes.NewReader(data), handler)
	if err != nil {
		return fmt.Errorf("parse proto: %w", err)
	}
	res, err := protoparser.ResultFromAST(node, true /* validate */, handler)
	if err != nil {
		return fmt.Errorf("convert from AST: %w", err)
	}
	fd, err := protodesc.NewFile(res.FileDescriptorProto(), globalFiles)
	if err != nil {
		return fmt.Errorf("convert to FileDescriptor: %w", err)
	}
	if err := globalFiles.RegisterFile(fd); err != nil {
		return fmt.Errorf("register file: %w", err)
	}
	for i := 0; i < fd.Messages().Len(); i++ {
		msg := fd.Messages().Get(i)
		if err := globalTypes.RegisterMessage(dynamicpb.NewMessageType(msg)); err != nil {
			return fmt.Errorf("register message %q: %w", msg.FullName(), err)
		}
	}
	for i := 0; i < fd.Extensions().Len(); i++ {
		ext := fd.Extensions().Get(i)
		if err := globalTypes.RegisterExtension(dynamicpb.NewExtensionType(ext)); err != nil {
			return fmt.Errorf("register extension %q: %w", ext.FullName(), err)
		}
	}
	return nil
}
