package dockerfile.lib_test

import data.dockerfile.fixtures_test as fx
import data.dockerfile.lib

test_is_dockerfile if {
	lib.is_dockerfile with input as fx.good_dockerfile
	lib.is_dockerfile with input as [{"Cmd": "cmd", "Value": null}]
	not lib.is_dockerfile with input as []
	not lib.is_dockerfile with input as [{"Cmd": "from", "Value": ["a"]}, {"Cmd": "run"}]
	not lib.is_dockerfile with input as {"Cmd": "from", "Value": ["a"]}
	lib.instructions == [] with input as [1]
}

test_stages if {
	stages := lib.stages with input as fx.good_dockerfile
	stages == [
		{"number": 0, "index": 2, "image": "golang:${GO_VERSION}", "name": "builder"},
		{"number": 1, "index": 7, "image": sprintf("gcr.io/distroless/static:nonroot@%s", [fx.digest]), "name": ""},
	]
	lib.stage_of(1) == -1 with input as fx.good_dockerfile
	lib.stage_of(5) == 0 with input as fx.good_dockerfile
	lib.stage_of(11) == 1 with input as fx.good_dockerfile
}

args := [
	fx.ins("arg", ["SET=value", "EMPTY=", "UNSET", "QUOTED='q v'"]),
	fx.ins("arg", ["SET=last"]),
	fx.ins("from", ["scratch"]),
	fx.ins("arg", ["LATE=ignored"]),
]

test_global_args if {
	lib.global_args == {"SET": "last", "EMPTY": "", "UNSET": null, "QUOTED": "q v"} with input as args
}

test_resolve if {
	cases := {
		"plain": "plain",
		"$SET": "last",
		"${SET}/x:$EMPTY": "last/x:",
		"${QUOTED}": "q v",
		"${SET:-w}": "last",
		"${EMPTY:-w}": "w",
		"${UNSET:-w}": "w",
		"${NOPE:-w}": "w",
		"${SET-w}": "last",
		"${EMPTY-w}": "",
		"${UNSET-w}": "w",
		"${SET:+w}": "w",
		"${EMPTY:+w}": "",
		"${UNSET:+w}": "",
		"${EMPTY+w}": "w",
		"${UNSET+w}": "",
		"a$": "a$",
		"${SET": "${SET",
	}
	every s, want in cases {
		lib.resolve(s) == want with input as args
	}
}

test_resolve_undefined if {
	every s in ["$UNSET", "${UNSET}", "${NOPE}", "${LATE}", "${SET:?e}", "${UNSET:-$SET}", "x/${}"] {
		not lib.resolve(s) with input as args
	}
}

test_image_tag if {
	lib.image_tag("nginx:1.27") == "1.27"
	lib.image_tag("localhost:5000/app:v2") == "v2"
	not lib.image_tag("localhost:5000/app")
}

test_unquote if {
	lib.unquote(`"a"`) == "a"
	lib.unquote("'a'") == "a"
	lib.unquote(`"a'`) == `"a'`
	lib.unquote(`"`) == `"`
}
