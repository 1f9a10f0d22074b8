# METADATA
# title: ADD instructions
# description: |-
#   Checks ADD (and ONBUILD ADD) instructions for remote sources. No
#   parameters.
package dockerfile.add

import data.dockerfile.lib

# METADATA
# title: ADD must not fetch remote URLs without a checksum
# description: |-
#   ADD with an http:// or https:// source downloads whatever the server
#   returns at build time: the content is not verified, can change between
#   builds and can be replaced by anyone who controls the server or the
#   network path. ADD --checksum=sha256:... verifies the download and
#   passes, as the Dockerfile reference recommends for remote files. One
#   finding per remote source.
# custom:
#   id: docker-add-remote-url
#   severity: medium
#   remediation: Download the file in a RUN step (curl -fsSL ... and verify its sha256sum), add --checksum=sha256:<digest> to the ADD, or COPY a vetted copy from the build context.
#   docs: https://docs.docker.com/build/building/best-practices/#add-or-copy
deny_add_remote_url contains result if {
	some ins in lib.instructions
	label := add_label(ins)
	not has_checksum(ins)
	count(ins.value) >= 2
	some source in array.slice(ins.value, 0, count(ins.value) - 1)
	is_url(source)
	result := {
		"msg": sprintf(`%s fetches "%s" from a remote URL without --checksum, so the build depends on whatever the server returns`, [label, source]),
		"field": [ins.index],
	}
}

add_label(ins) := "ADD" if {
	ins.cmd == "add"
} else := "ONBUILD ADD" if {
	ins.cmd == "onbuild"
	ins.subcmd == "add"
}

has_checksum(ins) if {
	some flag in ins.flags
	is_string(flag)
	startswith(flag, "--checksum=")
}

is_url(source) if {
	is_string(source)
	regex.match(`^(?i)https?://`, source)
}
