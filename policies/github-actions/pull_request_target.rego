# METADATA
# title: pull_request_target
# description: |-
#   Checks workflows triggered by pull_request_target, which run in the
#   context of the base repository (with its secrets and a token that can
#   write) even for pull requests from forks. No parameters.
package github_actions.pull_request_target

import data.github_actions.lib

# METADATA
# title: pull_request_target workflows must not check out the pull request head
# description: |-
#   A pull_request_target workflow that checks out the pull request's code
#   (actions/checkout with ref set to github.event.pull_request.head.sha,
#   .head.ref, github.head_ref, .merge_commit_sha or a refs/pull/... ref) and
#   then builds, tests or runs scripts from it executes attacker-controlled
#   code with the base repository's secrets and write token ("pwn request").
# custom:
#   id: gha-pr-target-checkout
#   severity: critical
#   remediation: Use the pull_request trigger for anything that runs the pull request's code; if pull_request_target is needed (labels, comments), do not check out the head, or split the work into a pull_request workflow and a workflow_run workflow that only handles its artifacts.
#   docs: https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target
deny_pr_target_checkout contains result if {
	"pull_request_target" in lib.triggers
	some s in lib.steps
	is_string(s.step.uses)
	startswith(lower(trim_space(s.step.uses)), "actions/checkout@")
	ref := s.step.with.ref
	is_string(ref)
	untrusted_ref(ref)
	result := {
		"msg": sprintf(`%s: %s checks out the pull request head (ref: %s) in a pull_request_target workflow, which runs untrusted code with the base repository's secrets and write token`, [lib.job_label(s.job), s.label, ref]),
		"field": array.concat(s.path, ["with", "ref"]),
	}
}

untrusted_expressions := [
	"github.event.pull_request.head.sha",
	"github.event.pull_request.head.ref",
	"github.head_ref",
	"github.event.pull_request.merge_commit_sha",
	"refs/pull/",
]

untrusted_ref(ref) if {
	some expression in untrusted_expressions
	contains(lower(ref), expression)
}
