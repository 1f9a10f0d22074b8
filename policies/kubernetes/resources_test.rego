package kubernetes.resources_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.resources

# --- deny_missing_requests --------------------------------------------------

test_requests_present_pass if {
	count(resources.deny_missing_requests) == 0 with input as fx.deployment([fx.good_container])
}

test_requests_defaulted_from_limits_pass if {
	container := fx.without(["resources/requests"])
	count(resources.deny_missing_requests) == 0 with input as fx.deployment([container])
}

test_requests_missing_one_finding_per_resource if {
	container := fx.without(["resources"])
	result := resources.deny_missing_requests with input as fx.workload("Job", {"containers": [container]})
	result == {
		{
			"msg": `Job "demo": container "app" has no CPU request (resources.requests.cpu)`,
			"field": ["spec", "template", "spec", "containers", 0, "resources", "requests", "cpu"],
		},
		{
			"msg": `Job "demo": container "app" has no memory request (resources.requests.memory)`,
			"field": ["spec", "template", "spec", "containers", 0, "resources", "requests", "memory"],
		},
	}
}

test_requests_missing_memory_only if {
	container := fx.without(["resources/requests/memory", "resources/limits/memory"])
	result := resources.deny_missing_requests with input as fx.workload("CronJob", {"initContainers": [container], "containers": [fx.good_container]})
	result == {{
		"msg": `CronJob "demo": init container "app" has no memory request (resources.requests.memory)`,
		"field": ["spec", "jobTemplate", "spec", "template", "spec", "initContainers", 0, "resources", "requests", "memory"],
	}}
}

test_requests_ignore_ephemeral_containers if {
	spec := {"containers": [fx.good_container], "ephemeralContainers": [{"name": "debug", "image": "busybox:1.36"}]}
	count(resources.deny_missing_requests) == 0 with input as fx.workload("Pod", spec)
}

test_requests_empty_value_counts_as_missing if {
	container := object.union(fx.without(["resources/limits/cpu"]), {"resources": {"requests": {"cpu": ""}}})
	result := resources.deny_missing_requests with input as fx.workload("Pod", {"containers": [container]})
	result == {{
		"msg": `Pod "demo": container "app" has no CPU request (resources.requests.cpu)`,
		"field": ["spec", "containers", 0, "resources", "requests", "cpu"],
	}}
}

# --- deny_missing_memory_limit ----------------------------------------------

test_memory_limit_present_passes if {
	count(resources.deny_missing_memory_limit) == 0 with input as fx.deployment([fx.good_container])
}

test_memory_limit_missing_denied if {
	container := fx.without(["resources/limits/memory"])
	result := resources.deny_missing_memory_limit with input as fx.workload("ReplicaSet", {"containers": [container]})
	result == {{
		"msg": `ReplicaSet "demo": container "app" has no memory limit (resources.limits.memory)`,
		"field": ["spec", "template", "spec", "containers", 0, "resources", "limits", "memory"],
	}}
}

test_memory_limit_every_workload_kind if {
	every kind in fx.workload_kinds {
		result := resources.deny_missing_memory_limit with input as fx.workload(kind, {"containers": [fx.without(["resources"])]})
		result == {{
			"msg": sprintf(`%s "demo": container "app" has no memory limit (resources.limits.memory)`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["containers", 0, "resources", "limits", "memory"]),
		}}
	}
}

# --- warn_missing_cpu_limit -------------------------------------------------

test_cpu_limit_present_passes if {
	count(resources.warn_missing_cpu_limit) == 0 with input as fx.deployment([fx.good_container])
}

test_cpu_limit_missing_warned if {
	container := fx.without(["resources/limits/cpu"])
	result := resources.warn_missing_cpu_limit with input as fx.workload("ReplicationController", {"containers": [container]})
	result == {{
		"msg": `ReplicationController "demo": container "app" has no CPU limit (resources.limits.cpu)`,
		"field": ["spec", "template", "spec", "containers", 0, "resources", "limits", "cpu"],
	}}
}
