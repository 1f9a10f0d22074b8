package github_actions.lib_test

import data.github_actions.fixtures_test as fx
import data.github_actions.lib

test_is_workflow if {
	lib.is_workflow with input as fx.good_workflow
	lib.is_workflow with input as {"on": "push", "jobs": {}}
	lib.is_workflow with input as {"on": ["push"], "jobs": {}}
	not lib.is_workflow with input as {"on": true, "jobs": {}}
	not lib.is_workflow with input as {"jobs": {}}
	not lib.is_workflow with input as [fx.good_workflow]
}

test_triggers if {
	lib.triggers == {"push"} with input as {"on": "push", "jobs": {}}
	lib.triggers == {"push", "pull_request_target"} with input as {"on": ["push", 3, "pull_request_target"], "jobs": {}}
	lib.triggers == {"push", "pull_request"} with input as fx.good_workflow
	lib.triggers == set() with input as {"on": "push"}
}

test_action_reference_parts if {
	lib.action_name("actions/checkout@v4") == "actions/checkout"
	lib.action_ref("actions/checkout@v4") == "v4"
	lib.action_name(" owner/repo/path@feature@x ") == "owner/repo/path@feature"
	lib.action_ref("owner/repo/path@feature@x") == "x"
	lib.action_ref("owner/repo") == ""
	lib.action_owner("GitHub/codeql-action/init@v3") == "github"
	lib.is_full_sha(fx.sha)
	not lib.is_full_sha(substring(fx.sha, 0, 39))
}

test_step_labels if {
	labels := {s.label | some s in lib.steps} with input as fx.steps_workflow("push", [{"name": "N", "id": "i"}, {"id": "i"}, {"name": ""}])
	labels == {`step "N"`, `step "i"`, "step #2"}
}
