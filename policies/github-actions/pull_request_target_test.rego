package github_actions.pull_request_target_test

import data.github_actions.fixtures_test as fx
import data.github_actions.pull_request_target as prt

checkout(ref) := {"name": "Checkout", "uses": sprintf("actions/checkout@%s", [fx.sha]), "with": {"ref": ref}}

test_pull_request_target_without_head_checkout_passes if {
	safe := [
		[{"uses": "actions/checkout@v4"}],
		[checkout("${{ github.base_ref }}")],
		[checkout("main")],
		[{"uses": "actions/labeler@v5", "with": {"ref": "${{ github.event.pull_request.head.sha }}"}}],
		[{"run": "git fetch origin ${{ github.head_ref }}"}],
	]
	every steps in safe {
		count(prt.deny_pr_target_checkout) == 0 with input as fx.steps_workflow("pull_request_target", steps)
	}
}

test_pull_request_head_checkout_passes if {
	# Under pull_request the workflow runs with the fork's read-only token.
	doc := fx.steps_workflow({"pull_request": null}, [checkout("${{ github.event.pull_request.head.sha }}")])
	count(prt.deny_pr_target_checkout) == 0 with input as doc
}

test_head_sha_checkout_denied if {
	steps := [{"run": "echo"}, checkout("${{ github.event.pull_request.head.sha }}")]
	result := prt.deny_pr_target_checkout with input as fx.steps_workflow({"pull_request_target": {"types": ["opened"]}}, steps)
	result == {{
		"msg": `job "build": step "Checkout" checks out the pull request head (ref: ${{ github.event.pull_request.head.sha }}) in a pull_request_target workflow, which runs untrusted code with the base repository's secrets and write token`,
		"field": ["jobs", "build", "steps", 1, "with", "ref"],
	}}
}

test_untrusted_refs_denied if {
	refs := [
		"${{ github.event.pull_request.head.sha }}",
		"${{github.event.pull_request.head.ref}}",
		"${{ github.head_ref }}",
		"${{ github.event.pull_request.merge_commit_sha }}",
		"refs/pull/${{ github.event.number }}/merge",
		"${{ GitHub.Event.Pull_Request.Head.SHA }}",
	]
	every ref in refs {
		every on in ["pull_request_target", ["push", "pull_request_target"], {"pull_request_target": null}] {
			result := prt.deny_pr_target_checkout with input as fx.steps_workflow(on, [{"uses": "actions/checkout@v4", "with": {"ref": ref}}])
			result == {{
				"msg": sprintf(`job "build": step #0 checks out the pull request head (ref: %s) in a pull_request_target workflow, which runs untrusted code with the base repository's secrets and write token`, [ref]),
				"field": ["jobs", "build", "steps", 0, "with", "ref"],
			}}
		}
	}
}
