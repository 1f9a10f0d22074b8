# Shared fixtures for the Dockerfile policy tests (no tests in this package).
package dockerfile.fixtures_test

# ins builds one instruction in conftest's Dockerfile shape.
ins(cmd, value) := {"Cmd": cmd, "Flags": [], "JSON": false, "Stage": 0, "SubCmd": "", "Value": value}

# ins_flags builds one instruction with flags (--platform, --checksum, --from...).
ins_flags(cmd, flags, value) := object.union(ins(cmd, value), {"Flags": flags})

comment(text) := {"Cmd": "comment", "Flags": null, "JSON": false, "Stage": 0, "SubCmd": "", "Value": [text]}

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

# A multi-stage Dockerfile that passes every rule of the pack.
good_dockerfile := [
	comment("build stage"),
	ins("arg", ["GO_VERSION=1.23"]),
	ins_flags("from", ["--platform=$BUILDPLATFORM"], ["golang:${GO_VERSION}", "AS", "builder"]),
	ins("workdir", ["/src"]),
	ins("copy", [".", "."]),
	ins("env", ["CGO_ENABLED", "0", "=", "PASSWORD_FILE", "/run/secrets/db", "="]),
	ins("run", ["go build -o /app ./cmd/app"]),
	ins("from", [sprintf("gcr.io/distroless/static:nonroot@%s", [digest])]),
	ins_flags("copy", ["--from=builder"], ["/app", "/app"]),
	ins("user", ["65532:65532"]),
	{"Cmd": "entrypoint", "Flags": [], "JSON": true, "Stage": 1, "SubCmd": "", "Value": ["/app"]},
	{"Cmd": "cmd", "Flags": [], "JSON": true, "Stage": 1, "SubCmd": "", "Value": null},
]

# Inputs of other formats, as the built-in bundle hands them to every package.
kubernetes_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "apps"},
	"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:latest", "env": [{"name": "API_TOKEN", "value": "x"}]}]}}},
}

cloudformation_template := {
	"AWSTemplateFormatVersion": "2010-09-09",
	"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}},
}

github_workflow := {
	"on": {"pull_request_target": {}},
	"permissions": "write-all",
	"jobs": {"build": {"runs-on": "ubuntu-latest", "steps": [
		{"uses": "actions/checkout@v4", "with": {"ref": "${{ github.event.pull_request.head.sha }}"}},
		{"uses": "docker://alpine:latest"},
		{"run": "ADD https://example.com/x /x"},
	]}},
}

# Inputs that are not Dockerfiles: none may produce a finding or an error.
non_dockerfiles := [
	null,
	"FROM alpine:latest",
	42,
	3.5,
	true,
	[],
	[1, 2, 3],
	["FROM alpine", "USER root"],
	[null],
	[{"Cmd": "from"}],
	[{"Cmd": 1, "Value": ["alpine"]}],
	[{"Cmd": "from", "Value": "alpine"}],
	[{"Cmd": "from", "Value": ["alpine"]}, 7],
	{"Cmd": "from", "Value": ["alpine"]},
	[{"path": "Dockerfile", "contents": [ins("from", ["alpine"])]}],
	{},
	kubernetes_deployment,
	cloudformation_template,
	github_workflow,
]

# Dockerfile-shaped inputs with odd values: they must evaluate without errors.
odd_dockerfiles := [
	[ins("run", ["echo"])],
	[ins("from", [])],
	[ins("from", [1, "AS", 2]), ins("user", [5])],
	[ins("FROM", ["alpine:3", "as"]), ins("USER", [])],
	[ins("arg", [null, 3, "=", "A="]), ins("from", ["${A}"]), ins("env", [1, 2, 3]), ins("env", ["ONLY"])],
	[ins("from", ["${}"]), ins("from", ["${X:?err}"]), ins("from", ["$"])],
	[ins("add", [7, "/x"]), ins("add", ["https://example.com/x"]), ins_flags("add", "oops", ["http://e/x", "/x"])],
	[{"Cmd": "onbuild", "Flags": null, "JSON": false, "Stage": 0, "SubCmd": 3, "Value": null}],
	[{"Cmd": "user", "Value": null}, {"Cmd": "from", "Value": null}],
]
