package dockerfile.user_test

import data.dockerfile.fixtures_test as fx
import data.dockerfile.user

test_non_root_user_passes if {
	count(user.deny_root_user) == 0 with input as fx.good_dockerfile
}

test_non_root_user_variants_pass if {
	every name in ["app", "10001", "10001:10001", "app:root", "${APP_UID}", "rooty"] {
		count(user.deny_root_user) == 0 with input as [fx.ins("from", ["alpine:3.20"]), fx.ins("user", [name])]
	}
}

test_root_only_in_build_stage_passes if {
	dockerfile := [
		fx.ins("from", ["golang:1.23", "AS", "build"]),
		fx.ins("user", ["root"]),
		fx.ins("from", ["alpine:3.20"]),
		fx.ins("user", ["nobody"]),
	]
	count(user.deny_root_user) == 0 with input as dockerfile
}

test_user_inherited_from_parent_stage_passes if {
	dockerfile := [
		fx.ins("arg", ["BASE=base"]),
		fx.ins("from", ["alpine:3.20", "AS", "base"]),
		fx.ins("user", ["app"]),
		fx.ins("from", ["base", "AS", "mid"]),
		fx.ins("from", ["${BASE}"]),
		fx.ins("cmd", ["/app"]),
	]
	count(user.deny_root_user) == 0 with input as dockerfile
}

test_no_user_denied if {
	dockerfile := [
		fx.ins("from", ["golang:1.23", "AS", "build"]),
		fx.ins("user", ["app"]),
		fx.ins("from", ["alpine:3.20", "AS", "Final"]),
		fx.ins("cmd", ["/app"]),
	]
	result := user.deny_root_user with input as dockerfile
	result == {{
		"msg": `final stage "final" has no USER instruction, so the container runs as root`,
		"field": [2],
	}}
}

test_no_user_in_chain_denied if {
	dockerfile := [
		fx.ins("from", ["python:3.13-slim", "AS", "base"]),
		fx.ins("from", ["base", "AS", "builder"]),
		fx.ins("from", ["base"]),
	]
	result := user.deny_root_user with input as dockerfile
	result == {{
		"msg": "final stage #2 has no USER instruction and neither have the stages it is built from, so the container runs as root",
		"field": [2],
	}}
}

test_scratch_without_user_denied if {
	result := user.deny_root_user with input as [fx.ins("from", ["scratch"]), fx.ins("copy", ["app", "/app"])]
	result == {{"msg": "final stage #0 has no USER instruction, so the container runs as root", "field": [0]}}
}

test_root_user_denied if {
	every name in ["root", "0", "0:0", "root:root", " root "] {
		result := user.deny_root_user with input as [fx.ins("from", ["alpine:3.20"]), fx.ins("user", ["app"]), fx.ins("user", [name])]
		result == {{"msg": sprintf("final stage #0 runs as root (USER %s)", [name]), "field": [2]}}
	}
}

test_root_user_inherited_denied if {
	dockerfile := [
		fx.ins("from", ["alpine:3.20", "AS", "base"]),
		fx.ins("user", ["0"]),
		fx.ins("from", ["base"]),
		fx.ins("run", ["id"]),
	]
	result := user.deny_root_user with input as dockerfile
	result == {{
		"msg": `final stage #1 runs as root (USER 0, set in stage "base" that it is built from)`,
		"field": [1],
	}}
}
