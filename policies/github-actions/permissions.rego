# METADATA
# title: GITHUB_TOKEN permissions
# description: |-
#   Checks that every job's GITHUB_TOKEN permissions are declared (at the top
#   level of the workflow or on the job) and that none is write-all. No
#   parameters.
package github_actions.permissions

import data.github_actions.lib

# METADATA
# title: Jobs must declare GITHUB_TOKEN permissions
# description: |-
#   Without a permissions key at the top level or on the job, the
#   GITHUB_TOKEN gets the repository or organisation default, which is
#   read-write on repositories created before February 2023 and can be
#   changed by an admin at any time. One finding per job that has no
#   permissions while the workflow has none either; `permissions: {}` counts
#   as declared (no permissions at all).
# custom:
#   id: gha-missing-permissions
#   severity: medium
#   remediation: 'Add `permissions: {contents: read}` (or `permissions: {}`) at the top of the workflow and grant further scopes only on the jobs that need them.'
#   docs: https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
deny_missing_permissions contains result if {
	not lib.has_permissions(input)
	some job in lib.jobs
	not lib.has_permissions(job.job)
	result := {
		"msg": sprintf("%s sets no permissions and the workflow sets no top-level permissions, so its GITHUB_TOKEN gets the repository's default permissions", [lib.job_label(job)]),
		"field": array.concat(job.path, ["permissions"]),
	}
}

# METADATA
# title: Workflows must not grant write-all permissions
# description: |-
#   permissions: write-all gives the GITHUB_TOKEN write access to every scope
#   (contents, packages, actions, id-token...), so any compromised step can
#   push code, publish packages or rewrite workflows.
# custom:
#   id: gha-write-all-permissions
#   severity: high
#   remediation: 'Replace write-all with the individual scopes the job needs, e.g. `permissions: {contents: read, pull-requests: write}`.'
#   docs: https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
deny_write_all_permissions contains result if {
	lib.is_workflow
	input.permissions == "write-all"
	result := {
		"msg": "the workflow grants the GITHUB_TOKEN write-all permissions at the top level",
		"field": ["permissions"],
	}
}

deny_write_all_permissions contains result if {
	some job in lib.jobs
	job.job.permissions == "write-all"
	result := {
		"msg": sprintf("%s grants the GITHUB_TOKEN write-all permissions", [lib.job_label(job)]),
		"field": array.concat(job.path, ["permissions"]),
	}
}
