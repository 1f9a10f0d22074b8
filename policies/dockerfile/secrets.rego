# METADATA
# title: Secrets in ENV and ARG
# description: |-
#   Checks ENV instructions and ARG defaults for secret-looking names with a
#   literal value. Names are matched case-insensitively against password,
#   passwd, secret, token, api key, access key, private key and credential(s).
#   Names ending in _FILE, _PATH or _DIR (e.g. POSTGRES_PASSWORD_FILE) point at
#   a secret rather than hold one and pass, as do values that only reference
#   a variable ($TOKEN, ${TOKEN}), empty values and the booleans true/false.
#   No parameters.
package dockerfile.secrets

import data.dockerfile.lib

# METADATA
# title: ENV and ARG must not hold secrets
# description: |-
#   ENV values are stored in the image configuration and ARG defaults in the
#   image history (docker history), so a secret written into the Dockerfile
#   is readable by anyone who can read the repository or pull the image, and
#   stays in the repository and image history after it is removed. One
#   finding per variable; the message names the variable, never its value.
# custom:
#   id: docker-secret-in-env
#   severity: critical
#   remediation: Remove the value and rotate the secret; pass build-time secrets with RUN --mount=type=secret (docker build --secret) and runtime secrets through the orchestrator (e.g. a Kubernetes Secret).
#   docs: https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
deny_secret_in_env contains result if {
	some ins in lib.instructions
	ins.cmd == "env"
	some pair in env_pairs(ins.value)
	is_secret(pair.name, pair.value)
	result := {
		"msg": sprintf(`ENV sets "%s" to a literal value, which is stored in the image configuration and readable by anyone who can pull the image`, [pair.name]),
		"field": [ins.index],
	}
}

deny_secret_in_env contains result if {
	some ins in lib.instructions
	ins.cmd == "arg"
	some entry in lib.arg_entries(ins)
	is_secret(entry.name, entry.value)
	result := {
		"msg": sprintf(`ARG "%s" has a literal default value, which is recorded in the image history`, [entry.name]),
		"field": [ins.index],
	}
}

# env_pairs returns ENV's variables as {"name", "value"}. buildkit (and so
# conftest) gives a triple per variable: [name, value, "="] for `ENV k=v` and
# [name, value, ""] for the legacy `ENV k v`; a plain [name, value, ...] pair
# list is accepted too.
env_pairs(value) := [{"name": value[k * 3], "value": value[(k * 3) + 1]} | some k in numbers.range(0, (count(value) / 3) - 1)] if {
	is_triples(value)
} else := [{"name": value[k * 2], "value": value[(k * 2) + 1]} | some k in numbers.range(0, (count(value) / 2) - 1)] if {
	count(value) > 0
	count(value) % 2 == 0
} else := []

is_triples(value) if {
	count(value) > 0
	count(value) % 3 == 0
	every k in numbers.range(0, (count(value) / 3) - 1) {
		value[(k * 3) + 2] in {"=", ""}
	}
}

secret_pattern := `(?i)(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)`

is_secret(name, value) if {
	is_string(name)
	regex.match(secret_pattern, name)
	not regex.match(`(?i)_(file|path|dir)$`, name)
	is_literal(value)
}

is_literal(value) if {
	is_string(value)
	v := trim_space(lib.unquote(trim_space(value)))
	v != ""
	not contains(v, "$")
	not lower(v) in {"true", "false"}
}
