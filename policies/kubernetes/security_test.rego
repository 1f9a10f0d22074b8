package kubernetes.security_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.security

c0 := ["spec", "template", "spec", "containers", 0]

# --- deny_privileged --------------------------------------------------------

test_privileged_false_passes if {
	count(security.deny_privileged) == 0 with input as fx.deployment([fx.container({"securityContext": {"privileged": false}})])
}

test_privileged_denied if {
	result := security.deny_privileged with input as fx.workload("DaemonSet", {"containers": [fx.container({"securityContext": {"privileged": true}})]})
	result == {{
		"msg": `DaemonSet "demo": container "app" runs privileged (securityContext.privileged: true)`,
		"field": array.concat(c0, ["securityContext", "privileged"]),
	}}
}

test_privileged_ephemeral_container_denied if {
	spec := {"containers": [fx.good_container], "ephemeralContainers": [fx.container({"name": "debug", "securityContext": {"privileged": true}})]}
	result := security.deny_privileged with input as fx.workload("Pod", spec)
	result == {{
		"msg": `Pod "demo": ephemeral container "debug" runs privileged (securityContext.privileged: true)`,
		"field": ["spec", "ephemeralContainers", 0, "securityContext", "privileged"],
	}}
}

# --- deny_privilege_escalation ----------------------------------------------

test_privilege_escalation_false_passes if {
	count(security.deny_privilege_escalation) == 0 with input as fx.deployment([fx.good_container])
}

test_privilege_escalation_windows_pod_passes if {
	spec := {"os": {"name": "windows"}, "containers": [fx.without(["securityContext"])]}
	count(security.deny_privilege_escalation) == 0 with input as fx.workload("Deployment", spec)
}

test_privilege_escalation_unset_denied if {
	result := security.deny_privilege_escalation with input as fx.deployment([fx.without(["securityContext/allowPrivilegeEscalation"])])
	result == {{
		"msg": `Deployment "demo": container "app" does not set securityContext.allowPrivilegeEscalation: false`,
		"field": array.concat(c0, ["securityContext", "allowPrivilegeEscalation"]),
	}}
}

test_privilege_escalation_true_denied if {
	spec := {"initContainers": [fx.container({"securityContext": {"allowPrivilegeEscalation": true}})]}
	result := security.deny_privilege_escalation with input as fx.workload("Pod", spec)
	result == {{
		"msg": `Pod "demo": init container "app" sets securityContext.allowPrivilegeEscalation: true`,
		"field": ["spec", "initContainers", 0, "securityContext", "allowPrivilegeEscalation"],
	}}
}

test_privilege_escalation_every_workload_kind if {
	every kind in fx.workload_kinds {
		result := security.deny_privilege_escalation with input as fx.workload(kind, {"containers": [fx.without(["securityContext"])]})
		result == {{
			"msg": sprintf(`%s "demo": container "app" does not set securityContext.allowPrivilegeEscalation: false`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["containers", 0, "securityContext", "allowPrivilegeEscalation"]),
		}}
	}
}

# --- deny_run_as_root -------------------------------------------------------

no_run_as := fx.without(["securityContext/runAsNonRoot"])

test_run_as_non_root_container_passes if {
	count(security.deny_run_as_root) == 0 with input as fx.deployment([fx.good_container])
}

test_run_as_non_root_pod_level_passes if {
	spec := {"securityContext": {"runAsNonRoot": true, "runAsUser": 1000}, "containers": [no_run_as]}
	count(security.deny_run_as_root) == 0 with input as fx.workload("StatefulSet", spec)
}

test_run_as_non_root_container_overrides_pod_false_passes if {
	spec := {"securityContext": {"runAsNonRoot": false}, "containers": [fx.good_container]}
	count(security.deny_run_as_root) == 0 with input as fx.workload("StatefulSet", spec)
}

test_run_as_root_nothing_set_denied if {
	result := security.deny_run_as_root with input as fx.deployment([no_run_as])
	result == {{
		"msg": `Deployment "demo": container "app" is not required to run as non-root (neither the container nor the pod securityContext sets runAsNonRoot: true)`,
		"field": array.concat(c0, ["securityContext", "runAsNonRoot"]),
	}}
}

test_run_as_root_container_false_overrides_pod if {
	spec := {"securityContext": {"runAsNonRoot": true}, "containers": [fx.container({"securityContext": {"runAsNonRoot": false}})]}
	result := security.deny_run_as_root with input as fx.workload("Deployment", spec)
	result == {{
		"msg": `Deployment "demo": container "app" sets securityContext.runAsNonRoot: false`,
		"field": array.concat(c0, ["securityContext", "runAsNonRoot"]),
	}}
}

test_run_as_root_container_uid_zero_overrides_pod if {
	spec := {"securityContext": {"runAsNonRoot": true, "runAsUser": 1000}, "containers": [fx.container({"securityContext": {"runAsUser": 0}})]}
	result := security.deny_run_as_root with input as fx.workload("Deployment", spec)
	result == {{
		"msg": `Deployment "demo": container "app" runs as root (securityContext.runAsUser: 0)`,
		"field": array.concat(c0, ["securityContext", "runAsUser"]),
	}}
}

test_run_as_root_pod_uid_zero if {
	spec := {"securityContext": {"runAsUser": 0}, "containers": [fx.good_container]}
	result := security.deny_run_as_root with input as fx.workload("Pod", spec)
	result == {{
		"msg": `Pod "demo": container "app" runs as root (pod securityContext.runAsUser: 0)`,
		"field": ["spec", "securityContext", "runAsUser"],
	}}
}

test_run_as_root_pod_uid_zero_overridden_by_container_passes if {
	spec := {"securityContext": {"runAsUser": 0}, "containers": [fx.container({"securityContext": {"runAsUser": 1000}})]}
	count(security.deny_run_as_root) == 0 with input as fx.workload("Pod", spec)
}

test_run_as_root_pod_false if {
	spec := {"securityContext": {"runAsNonRoot": false}, "containers": [no_run_as]}
	result := security.deny_run_as_root with input as fx.workload("Job", spec)
	result == {{
		"msg": `Job "demo": container "app" inherits runAsNonRoot: false from the pod securityContext`,
		"field": ["spec", "template", "spec", "securityContext", "runAsNonRoot"],
	}}
}

# --- warn_writable_root_filesystem ------------------------------------------

test_read_only_root_filesystem_passes if {
	count(security.warn_writable_root_filesystem) == 0 with input as fx.deployment([fx.good_container])
}

test_read_only_root_filesystem_windows_passes if {
	spec := {"os": {"name": "windows"}, "containers": [fx.without(["securityContext"])]}
	count(security.warn_writable_root_filesystem) == 0 with input as fx.workload("Pod", spec)
}

test_writable_root_filesystem_warned if {
	container := fx.container({"securityContext": {"readOnlyRootFilesystem": false}})
	result := security.warn_writable_root_filesystem with input as fx.workload("Rollout", {"containers": [container]})
	result == {{
		"msg": `Rollout "demo": container "app" has a writable root filesystem (securityContext.readOnlyRootFilesystem is not true)`,
		"field": array.concat(c0, ["securityContext", "readOnlyRootFilesystem"]),
	}}
}

# --- deny_added_capabilities ------------------------------------------------

test_capabilities_default_allowed_passes if {
	container := fx.container({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE"]}}})
	count(security.deny_added_capabilities) == 0 with input as fx.deployment([container])
}

test_capabilities_parameter_allows_more if {
	container := fx.container({"securityContext": {"capabilities": {"add": ["ipc_lock"]}}})
	count(security.deny_added_capabilities) == 0 with input as fx.deployment([container])
		with data.kubernetes.parameters as {"allowed_capabilities": ["IPC_LOCK"]}
}

test_capabilities_denied if {
	container := fx.container({"securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE", "NET_ADMIN"]}}})
	result := security.deny_added_capabilities with input as fx.deployment([container])
	result == {{
		"msg": `Deployment "demo": container "app" adds the capability "NET_ADMIN", which is not allowed (allowed: NET_BIND_SERVICE)`,
		"field": array.concat(c0, ["securityContext", "capabilities", "add", 1]),
	}}
}

test_capabilities_all_and_sys_admin_always_denied if {
	container := fx.container({"securityContext": {"capabilities": {"add": ["ALL", "CAP_SYS_ADMIN"]}}})
	result := security.deny_added_capabilities with input as fx.workload("DeploymentConfig", {"containers": [container]})
		with data.kubernetes.parameters as {"allowed_capabilities": ["ALL", "SYS_ADMIN"]}
	result == {
		{
			"msg": `DeploymentConfig "demo": container "app" adds the capability "ALL", which is not allowed (allowed: none)`,
			"field": array.concat(c0, ["securityContext", "capabilities", "add", 0]),
		},
		{
			"msg": `DeploymentConfig "demo": container "app" adds the capability "CAP_SYS_ADMIN", which is not allowed (allowed: none)`,
			"field": array.concat(c0, ["securityContext", "capabilities", "add", 1]),
		},
	}
}
