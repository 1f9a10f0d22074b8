package github_actions.pinning_test

import data.github_actions.fixtures_test as fx
import data.github_actions.pinning

test_pinned_actions_pass if {
	count(pinning.deny_unpinned_action) == 0 with input as fx.good_workflow
	count(pinning.warn_unpinned_first_party_action) == 0 with input as fx.good_workflow
}

test_third_party_tag_denied if {
	steps := [
		{"name": "Checkout", "uses": sprintf("actions/checkout@%s", [fx.sha])},
		{"name": "Login", "uses": "docker/login-action@v3"},
	]
	result := pinning.deny_unpinned_action with input as fx.steps_workflow("push", steps)
	result == {{
		"msg": `job "build": step "Login" uses action "docker/login-action@v3", which is not pinned to a full-length commit SHA`,
		"field": ["jobs", "build", "steps", 1, "uses"],
	}}
}

test_third_party_unpinned_forms_denied if {
	steps := [
		{"id": "paths", "uses": "dorny/paths-filter@main"},
		{"uses": "owner/repo/sub/path@v1.2.3"},
		{"uses": "owner/repo"},
		{"uses": "owner/repo@0123456"},
		{"uses": "octo-org/actions@v1"},
	]
	result := pinning.deny_unpinned_action with input as fx.steps_workflow(["push"], steps)
	result == {
		{
			"msg": `job "build": step "paths" uses action "dorny/paths-filter@main", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 0, "uses"],
		},
		{
			"msg": `job "build": step #1 uses action "owner/repo/sub/path@v1.2.3", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 1, "uses"],
		},
		{
			"msg": `job "build": step #2 uses action "owner/repo", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 2, "uses"],
		},
		{
			"msg": `job "build": step #3 uses action "owner/repo@0123456", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 3, "uses"],
		},
		{
			"msg": `job "build": step #4 uses action "octo-org/actions@v1", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 4, "uses"],
		},
	}
}

test_reusable_workflow_denied if {
	doc := fx.workflow({"jobs": {"deploy": {"uses": "octo-org/workflows/.github/workflows/deploy.yml@v2", "secrets": "inherit"}}})
	result := pinning.deny_unpinned_action with input as doc
	result == {{
		"msg": `job "deploy" uses reusable workflow "octo-org/workflows/.github/workflows/deploy.yml@v2", which is not pinned to a full-length commit SHA`,
		"field": ["jobs", "deploy", "uses"],
	}}
}

test_docker_action_without_digest_denied if {
	steps := [{"uses": "docker://alpine:3.20"}, {"uses": sprintf("docker://ghcr.io/o/i@%s", [fx.digest])}]
	result := pinning.deny_unpinned_action with input as fx.steps_workflow("push", steps)
	result == {{
		"msg": `job "build": step #0 uses Docker image "docker://alpine:3.20", which is not pinned by digest (@sha256:...)`,
		"field": ["jobs", "build", "steps", 0, "uses"],
	}}
}

test_first_party_actions_warn_only if {
	steps := [
		{"uses": "actions/checkout@v4"},
		{"name": "Init CodeQL", "uses": "github/codeql-action/init@v3"},
		{"uses": "Actions/setup-go@main"},
		{"uses": sprintf("actions/cache@%s", [fx.sha])},
	]
	doc := fx.steps_workflow("push", steps)
	count(pinning.deny_unpinned_action) == 0 with input as doc
	result := pinning.warn_unpinned_first_party_action with input as doc
	result == {
		{
			"msg": `job "build": step #0 uses GitHub-owned action "actions/checkout@v4", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 0, "uses"],
		},
		{
			"msg": `job "build": step "Init CodeQL" uses GitHub-owned action "github/codeql-action/init@v3", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 1, "uses"],
		},
		{
			"msg": `job "build": step #2 uses GitHub-owned action "Actions/setup-go@main", which is not pinned to a full-length commit SHA`,
			"field": ["jobs", "build", "steps", 2, "uses"],
		},
	}
}

test_first_party_reusable_workflow_warns if {
	doc := fx.workflow({"jobs": {"scan": {"uses": "github/security/.github/workflows/scan.yml@main"}}})
	result := pinning.warn_unpinned_first_party_action with input as doc
	result == {{
		"msg": `job "scan" uses GitHub-owned reusable workflow "github/security/.github/workflows/scan.yml@main", which is not pinned to a full-length commit SHA`,
		"field": ["jobs", "scan", "uses"],
	}}
}
