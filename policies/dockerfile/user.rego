# METADATA
# title: Image user
# description: |-
#   Checks the user the built image runs as: the last USER instruction of the
#   final stage or, when the final stage sets none and is built FROM an
#   earlier stage, of that stage (and so on up the chain). The default user of
#   a base image (e.g. distroless :nonroot) is not visible in the Dockerfile,
#   so an explicit USER is required. A USER given through a variable
#   (USER ${UID}) cannot be judged and passes. No parameters.
package dockerfile.user

import data.dockerfile.lib

# METADATA
# title: Image must not run as root
# description: |-
#   Without a USER instruction a container runs as root (UID 0), so a
#   compromised process owns the container filesystem and has a far shorter
#   path to the host. The final stage must end with a USER that is neither
#   root nor 0 (user and group forms such as 0:0 and root:root count as root).
#   The finding points at the final FROM when no USER is set, else at the
#   USER instruction.
# custom:
#   id: docker-root-user
#   severity: high
#   remediation: Create an unprivileged user in the image (or use the one the base image provides) and add e.g. `USER 10001:10001` as the last USER instruction of the final stage.
#   docs: https://docs.docker.com/build/building/best-practices/#user
deny_root_user contains result if {
	final := lib.final_stage
	chain := lib.stage_chain(final)
	count(users(chain)) == 0
	result := {
		"msg": sprintf("final %s %s, so the container runs as root", [lib.stage_label(final), no_user_reason(chain)]),
		"field": [final.index],
	}
}

deny_root_user contains result if {
	final := lib.final_stage
	chain := lib.stage_chain(final)
	list := users(chain)
	last := list[count(list) - 1]
	user := lib.string_at(last.value, 0)
	is_root(user)
	result := {
		"msg": sprintf("final %s runs as root (USER %s%s)", [lib.stage_label(final), user, inherited(final, last)]),
		"field": [last.index],
	}
}

# users returns the USER instructions of the given stages, in order.
users(chain) := [ins |
	some ins in lib.instructions
	ins.cmd == "user"
	lib.stage_of(ins.index) in chain
]

is_root(user) if trim_space(split(user, ":")[0]) in {"root", "0"}

no_user_reason(chain) := "has no USER instruction" if {
	count(chain) == 1
} else := "has no USER instruction and neither have the stages it is built from"

inherited(final, ins) := "" if {
	lib.stage_of(ins.index) == final.number
} else := sprintf(", set in %s that it is built from", [lib.stage_label(lib.stages[lib.stage_of(ins.index)])])
