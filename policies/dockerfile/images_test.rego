package dockerfile.images_test

import data.dockerfile.fixtures_test as fx
import data.dockerfile.images

test_base_image_pinned_passes if {
	count(images.deny_base_image_tag) == 0 with input as fx.good_dockerfile
}

test_base_image_exemptions_pass if {
	dockerfile := [
		fx.ins("arg", ["BASE=alpine:3.20", "UNSET"]),
		fx.ins("arg", ["TAG"]),
		fx.ins("from", ["${BASE}", "AS", "Base"]),
		fx.ins("from", ["base", "AS", "build"]),
		fx.ins("from", ["BUILD"]),
		fx.ins("from", ["scratch"]),
		fx.ins("from", [sprintf("nginx@%s", [fx.digest])]),
		fx.ins("from", [sprintf("nginx:latest@%s", [fx.digest])]),
		fx.ins("from", ["localhost:5000/app:1.0"]),
		fx.ins("from", ["${UNSET}"]),
		fx.ins("from", ["node:${TAG}"]),
		fx.ins("from", ["${UNDECLARED}"]),
		fx.ins("from", ["${UNSET:-node:22}"]),
	]
	count(images.deny_base_image_tag) == 0 with input as dockerfile
}

test_base_image_without_tag_denied if {
	result := images.deny_base_image_tag with input as [fx.ins("from", ["node", "AS", "Build"]), fx.ins("run", ["npm ci"])]
	result == {{
		"msg": `stage "build": base image "node" has neither a tag nor a digest, so it resolves to the mutable "latest" tag`,
		"field": [0],
	}}
}

test_base_image_latest_denied if {
	dockerfile := [
		fx.comment("final"),
		fx.ins_flags("from", ["--platform=linux/amd64"], ["golang:1.23", "AS", "builder"]),
		fx.ins("from", ["registry.example.com:5000/team/app:latest"]),
	]
	result := images.deny_base_image_tag with input as dockerfile
	result == {{
		"msg": `stage #1: base image "registry.example.com:5000/team/app:latest" uses the mutable "latest" tag`,
		"field": [2],
	}}
}

test_base_image_empty_tag_denied if {
	result := images.deny_base_image_tag with input as [fx.ins("from", ["node:"])]
	result == {{"msg": `stage #0: base image "node:" has an empty tag`, "field": [0]}}
}

test_base_image_registry_port_without_tag_denied if {
	result := images.deny_base_image_tag with input as [fx.ins("from", ["localhost:5000/app"])]
	result == {{
		"msg": `stage #0: base image "localhost:5000/app" has neither a tag nor a digest, so it resolves to the mutable "latest" tag`,
		"field": [0],
	}}
}

test_base_image_resolved_from_arg_defaults if {
	dockerfile := [
		fx.ins("arg", ["REGISTRY=registry.example.com", "VERSION=1.0"]),
		fx.ins("arg", ["VERSION=\"latest\""]),
		fx.ins("from", ["${REGISTRY}/base:${VERSION}", "AS", "debug"]),
		fx.ins("arg", ["VERSION=2.0"]),
		fx.ins("from", ["$REGISTRY/tools"]),
		fx.ins("from", ["${MISSING:-alpine}"]),
	]
	result := images.deny_base_image_tag with input as dockerfile
	result == {
		{
			"msg": `stage "debug": base image "${REGISTRY}/base:${VERSION}" (resolved with the ARG defaults to "registry.example.com/base:latest") uses the mutable "latest" tag`,
			"field": [2],
		},
		{
			"msg": `stage #1: base image "$REGISTRY/tools" (resolved with the ARG defaults to "registry.example.com/tools") has neither a tag nor a digest, so it resolves to the mutable "latest" tag`,
			"field": [4],
		},
		{
			"msg": `stage #2: base image "${MISSING:-alpine}" (resolved with the ARG defaults to "alpine") has neither a tag nor a digest, so it resolves to the mutable "latest" tag`,
			"field": [5],
		},
	}
}

test_base_image_later_stage_name_is_an_image if {
	# Only earlier stages can be referenced; a later stage's name is an image.
	dockerfile := [fx.ins("from", ["app"]), fx.ins("from", ["alpine:3.20", "AS", "app"])]
	result := images.deny_base_image_tag with input as dockerfile
	result == {{
		"msg": `stage #0: base image "app" has neither a tag nor a digest, so it resolves to the mutable "latest" tag`,
		"field": [0],
	}}
}
