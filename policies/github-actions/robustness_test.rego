package github_actions.robustness_test

import data.github_actions.fixtures_test as fx

# Every deny_/warn_ rule of the pack, by package.
rules := {
	"pinning": ["deny_unpinned_action", "warn_unpinned_first_party_action"],
	"permissions": ["deny_missing_permissions", "deny_write_all_permissions"],
	"pull_request_target": ["deny_pr_target_checkout"],
}

# The evaluated policy packages (a complete rule, re-evaluated under `with`).
packages := {
	"pinning": data.github_actions.pinning,
	"permissions": data.github_actions.permissions,
	"pull_request_target": data.github_actions.pull_request_target,
}

# Documents of other formats (null, scalars, arrays, Kubernetes,
# CloudFormation, a Dockerfile...) produce nothing.
test_non_workflows_produce_no_findings if {
	every doc in fx.non_workflows {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as doc
			}
		}
	}
}

# Workflow-shaped documents with odd values evaluate without runtime errors.
test_odd_workflows_do_not_error if {
	every doc in fx.odd_workflows {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc
			}
		}
	}
}

# A compliant workflow produces no findings.
test_compliant_workflow_produces_no_findings if {
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as fx.good_workflow
		}
	}
}
