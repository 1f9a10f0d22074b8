# METADATA
# title: Action pinning
# description: |-
#   Checks every `uses:` of a workflow: actions in steps and reusable
#   workflows called by jobs. Local references (./...) pass. Repository
#   references must be pinned to a full-length (40 hex digits) commit SHA;
#   actions from the `actions` and `github` organisations (GitHub's own) get a
#   warning instead of a deny. Docker actions (docker://) must be pinned by
#   digest (@sha256:...). No parameters.
package github_actions.pinning

import data.github_actions.lib

first_party_owners := {"actions", "github"}

# METADATA
# title: Third-party actions must be pinned to a full commit SHA
# description: |-
#   A tag or branch (@v4, @main) can be moved by whoever controls the action's
#   repository, so a compromised or hijacked third-party action runs with the
#   workflow's secrets and token on the next run. A full-length commit SHA is
#   the only immutable reference. Covers step actions, job-level reusable
#   workflows and docker:// actions (which must carry a digest). Actions owned
#   by `actions` and `github` are reported by gha-unpinned-first-party-action
#   instead.
# custom:
#   id: gha-unpinned-action
#   severity: high
#   remediation: 'Replace the tag with the full commit SHA it points to and keep the tag as a comment (uses: owner/repo@<40-hex-sha> # v4.1.0); pin docker:// actions by digest (docker://image:tag@sha256:...). Dependabot and Renovate keep such pins up to date.'
#   docs: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
deny_unpinned_action contains result if {
	some ref in lib.uses_refs
	not lib.is_local(ref.uses)
	not lib.is_docker(ref.uses)
	not lib.action_owner(ref.uses) in first_party_owners
	not lib.is_full_sha(lib.action_ref(ref.uses))
	result := {
		"msg": sprintf(`%s uses %s "%s", which is not pinned to a full-length commit SHA`, [ref.label, ref.what, ref.uses]),
		"field": ref.path,
	}
}

deny_unpinned_action contains result if {
	some ref in lib.uses_refs
	lib.is_docker(ref.uses)
	not contains(ref.uses, "@sha256:")
	result := {
		"msg": sprintf(`%s uses Docker image "%s", which is not pinned by digest (@sha256:...)`, [ref.label, ref.uses]),
		"field": ref.path,
	}
}

# METADATA
# title: GitHub-owned actions should be pinned to a full commit SHA
# description: |-
#   Actions owned by `actions` and `github` (actions/checkout,
#   github/codeql-action...) are maintained by GitHub, so a moved tag is far
#   less likely than for third-party actions; a tag is still mutable, so they
#   get a warning rather than a deny.
# custom:
#   id: gha-unpinned-first-party-action
#   severity: low
#   remediation: 'Pin the action to the full commit SHA of the release and keep the tag as a comment (uses: actions/checkout@<40-hex-sha> # v4.2.2).'
#   docs: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
warn_unpinned_first_party_action contains result if {
	some ref in lib.uses_refs
	not lib.is_local(ref.uses)
	not lib.is_docker(ref.uses)
	lib.action_owner(ref.uses) in first_party_owners
	not lib.is_full_sha(lib.action_ref(ref.uses))
	result := {
		"msg": sprintf(`%s uses GitHub-owned %s "%s", which is not pinned to a full-length commit SHA`, [ref.label, ref.what, ref.uses]),
		"field": ref.path,
	}
}
