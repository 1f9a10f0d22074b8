# Shared fixtures for the GitHub Actions policy tests (no tests in this package).
package github_actions.fixtures_test

sha := "0123456789abcdef0123456789abcdef01234567"

digest := "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

# A workflow that passes every rule of the pack.
good_workflow := {
	"name": "ci",
	"on": {"push": {"branches": ["main"]}, "pull_request": null},
	"permissions": {"contents": "read"},
	"jobs": {
		"build": {
			"runs-on": "ubuntu-latest",
			"steps": [
				{"name": "Checkout", "uses": sprintf("actions/checkout@%s", [sha])},
				{"uses": sprintf("docker/setup-buildx-action@%s", [sha])},
				{"uses": "./.github/actions/setup"},
				{"uses": sprintf("docker://alpine:3.20@%s", [digest])},
				{"run": "make test"},
			],
		},
		"release": {
			"needs": "build",
			"permissions": {"contents": "write"},
			"uses": sprintf("octo-org/workflows/.github/workflows/release.yml@%s", [sha]),
		},
		"local": {"uses": "./.github/workflows/lint.yml"},
	},
}

# workflow returns good_workflow with `patch` merged into it.
workflow(patch) := object.union(good_workflow, patch)

# steps_workflow is a workflow with one job "build" running the given steps.
steps_workflow(on, steps) := {
	"on": on,
	"permissions": "read-all",
	"jobs": {"build": {"runs-on": "ubuntu-latest", "steps": steps}},
}

# Inputs of other formats, as the built-in bundle hands them to every package.
kubernetes_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "apps"},
	"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:latest"}]}}},
}

cloudformation_template := {
	"AWSTemplateFormatVersion": "2010-09-09",
	"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "b"}}},
}

dockerfile := [
	{"Cmd": "from", "Flags": [], "JSON": false, "Stage": 0, "SubCmd": "", "Value": ["alpine:latest"]},
	{"Cmd": "add", "Flags": [], "JSON": false, "Stage": 0, "SubCmd": "", "Value": ["https://example.com/x", "/x"]},
	{"Cmd": "user", "Flags": [], "JSON": false, "Stage": 0, "SubCmd": "", "Value": ["root"]},
]

# Inputs that are not workflows: none may produce a finding or an error.
non_workflows := [
	null,
	"on: push",
	42,
	3.5,
	true,
	[],
	[1, 2, 3],
	[{"on": "push", "jobs": {"a": {"steps": [{"uses": "x/y@v1"}]}}}],
	{},
	{"on": "push"},
	{"jobs": {"a": {"steps": [{"uses": "x/y@v1"}]}}},
	{"true": {"push": null}, "jobs": {"a": {"steps": [{"uses": "x/y@v1"}]}}},
	{"on": 5, "jobs": {"a": {"steps": [{"uses": "x/y@v1"}]}}},
	{"on": null, "jobs": {"a": {"steps": [{"uses": "x/y@v1"}]}}},
	{"on": "push", "jobs": [{"steps": [{"uses": "x/y@v1"}]}]},
	kubernetes_deployment,
	cloudformation_template,
	dockerfile,
]

# Workflow-shaped inputs with odd values: they must evaluate without errors.
odd_workflows := [
	{"on": "pull_request_target", "permissions": ["x"], "jobs": {
		"a": null,
		"b": "x",
		"c": {"steps": "x", "permissions": 3},
		"d": {"steps": [null, 1, "x", [], {"uses": 5, "with": "x"}, {"uses": "actions/checkout@v4", "with": {"ref": 5}}, {"uses": "actions/checkout@v4", "with": null}]},
		"e": {"uses": ["x"], "name": 7},
	}},
	{"on": [1, null, "push"], "jobs": {}},
	{"on": {"push": null}, "jobs": {"a": {"steps": [{"uses": ""}, {"uses": "@"}, {"uses": "a@b@c"}, {"uses": "docker://"}, {"name": 3, "id": [], "uses": "x/y"}]}}},
	{"on": {}, "permissions": null, "jobs": {"a": {"permissions": null}}},
]
