# METADATA
# title: Container security context
# description: |-
#   Checks the security context of containers, init containers and ephemeral
#   containers in every pod-carrying workload, following the Pod Security
#   Standards. Linux-only settings (allowPrivilegeEscalation,
#   readOnlyRootFilesystem) are not required for Windows pods
#   (spec.os.name: windows), which cannot set them.
#
#   Parameters (data.kubernetes.parameters):
#   - allowed_capabilities: array of Linux capabilities containers may add,
#     with or without the CAP_ prefix. Default ["NET_BIND_SERVICE"]. ALL and
#     SYS_ADMIN are denied even when listed.
package kubernetes.security

import data.kubernetes.lib

# METADATA
# title: Container must not run privileged
# description: |-
#   A privileged container has all capabilities and access to every host
#   device, which amounts to root on the node.
# custom:
#   id: k8s-privileged
#   severity: critical
#   waivable: false
#   remediation: Remove securityContext.privileged (or set it to false) and grant only the specific capabilities the container needs.
#   docs: https://kubernetes.io/docs/concepts/security/pod-security-standards/
deny_privileged contains result if {
	some c in lib.containers
	c.container.securityContext.privileged == true
	result := {
		"msg": lib.describe(c, "runs privileged (securityContext.privileged: true)"),
		"field": array.concat(c.path, ["securityContext", "privileged"]),
	}
}

# METADATA
# title: Container must disallow privilege escalation
# description: |-
#   Unless allowPrivilegeEscalation is explicitly false, a process can gain
#   more privileges than its parent (setuid binaries, file capabilities).
#   Required by the restricted Pod Security Standard.
# custom:
#   id: k8s-privilege-escalation
#   severity: high
#   remediation: Set securityContext.allowPrivilegeEscalation to false on the container.
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
deny_privilege_escalation contains result if {
	some c in lib.containers
	not lib.is_windows(c.pod)
	not c.container.securityContext.allowPrivilegeEscalation == false
	result := {
		"msg": lib.describe(c, escalation_reason(c.container)),
		"field": array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"]),
	}
}

escalation_reason(container) := "sets securityContext.allowPrivilegeEscalation: true" if {
	container.securityContext.allowPrivilegeEscalation == true
} else := "does not set securityContext.allowPrivilegeEscalation: false"

# METADATA
# title: Container must run as non-root
# description: |-
#   The container must be required to run as a non-root user:
#   runAsNonRoot: true in the container securityContext or, when the
#   container does not set it, in the pod securityContext. A container-level
#   runAsNonRoot: false or runAsUser: 0 overrides the pod level, and a
#   runAsUser of 0 (container, or pod when the container sets none) always
#   fails. As in the restricted Pod Security Standard, a non-zero runAsUser
#   alone is not enough.
# custom:
#   id: k8s-run-as-non-root
#   severity: high
#   remediation: Set securityContext.runAsNonRoot to true (on the pod or the container) and run the image as a non-zero UID, e.g. runAsUser 10001.
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
deny_run_as_root contains result if {
	some c in lib.containers
	finding := root_finding(c)
	finding != null
	result := {
		"msg": lib.describe(c, finding.reason),
		"field": finding.field,
	}
}

# root_finding returns {"reason", "field"} when the container may run as
# root, and null when it is required to run as non-root.
root_finding(c) := {
	"reason": "sets securityContext.runAsNonRoot: false",
	"field": array.concat(c.path, ["securityContext", "runAsNonRoot"]),
} if {
	c.container.securityContext.runAsNonRoot == false
} else := {
	"reason": "runs as root (securityContext.runAsUser: 0)",
	"field": array.concat(c.path, ["securityContext", "runAsUser"]),
} if {
	c.container.securityContext.runAsUser == 0
} else := {
	"reason": "runs as root (pod securityContext.runAsUser: 0)",
	"field": array.concat(c.pod.path, ["securityContext", "runAsUser"]),
} if {
	not has_key(c.container.securityContext, "runAsUser")
	c.pod.spec.securityContext.runAsUser == 0
} else := null if {
	c.container.securityContext.runAsNonRoot == true
} else := null if {
	not has_key(c.container.securityContext, "runAsNonRoot")
	c.pod.spec.securityContext.runAsNonRoot == true
} else := {
	"reason": "inherits runAsNonRoot: false from the pod securityContext",
	"field": array.concat(c.pod.path, ["securityContext", "runAsNonRoot"]),
} if {
	c.pod.spec.securityContext.runAsNonRoot == false
} else := {
	"reason": "is not required to run as non-root (neither the container nor the pod securityContext sets runAsNonRoot: true)",
	"field": array.concat(c.path, ["securityContext", "runAsNonRoot"]),
}

has_key(obj, key) if {
	is_object(obj)
	obj[key] != null
}

# METADATA
# title: Container should use a read-only root filesystem
# description: |-
#   A writable root filesystem lets an attacker drop binaries or tamper with
#   the image content. This is a warning rather than a deny because it is not
#   part of the Pod Security Standards and many images need writable paths,
#   which should then be mounted as emptyDir volumes.
# custom:
#   id: k8s-read-only-root-filesystem
#   severity: medium
#   remediation: Set securityContext.readOnlyRootFilesystem to true and mount emptyDir volumes at the paths the process writes to (e.g. /tmp).
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
warn_writable_root_filesystem contains result if {
	some c in lib.containers
	not lib.is_windows(c.pod)
	not c.container.securityContext.readOnlyRootFilesystem == true
	result := {
		"msg": lib.describe(c, "has a writable root filesystem (securityContext.readOnlyRootFilesystem is not true)"),
		"field": array.concat(c.path, ["securityContext", "readOnlyRootFilesystem"]),
	}
}

# METADATA
# title: Container must not add dangerous capabilities
# description: |-
#   Containers may only add the Linux capabilities listed in the
#   allowed_capabilities parameter (default NET_BIND_SERVICE). ALL and
#   SYS_ADMIN are always denied. One finding per offending capability.
# custom:
#   id: k8s-capabilities
#   severity: high
#   remediation: Remove the capability from securityContext.capabilities.add, drop ALL capabilities and add back only allowed ones such as NET_BIND_SERVICE.
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container
deny_added_capabilities contains result if {
	allowed := {normalize_capability(a) | some a in lib.list_param("allowed_capabilities", ["NET_BIND_SERVICE"]); is_string(a)}
	some c in lib.containers
	added := c.container.securityContext.capabilities.add
	is_array(added)
	some j, capability in added
	is_string(capability)
	not capability_allowed(normalize_capability(capability), allowed)
	result := {
		"msg": lib.describe(c, sprintf(`adds the capability "%s", which is not allowed (allowed: %s)`, [capability, allowed_text(allowed)])),
		"field": array.concat(c.path, ["securityContext", "capabilities", "add", j]),
	}
}

always_denied_capabilities := {"ALL", "SYS_ADMIN"}

normalize_capability(name) := trim_prefix(upper(trim_space(name)), "CAP_")

capability_allowed(capability, allowed) if {
	not capability in always_denied_capabilities
	capability in allowed
}

allowed_text(allowed) := concat(", ", sort(allowed - always_denied_capabilities)) if {
	count(allowed - always_denied_capabilities) > 0
} else := "none"
