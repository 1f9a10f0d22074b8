# METADATA
# title: Container resources
# description: |-
#   Checks CPU and memory requests and limits of containers and init containers
#   in every pod-carrying workload. Ephemeral containers are exempt: the API
#   does not allow resources on them. A request is considered present when the
#   matching limit is set, since Kubernetes then defaults the request to the
#   limit. No parameters.
package kubernetes.resources

import data.kubernetes.lib

# METADATA
# title: Container must request CPU and memory
# description: |-
#   Without requests the scheduler cannot place the pod sensibly and the pod
#   lands in the BestEffort QoS class, the first to be evicted under node
#   pressure. One finding per missing resource (cpu, memory).
# custom:
#   id: k8s-resource-requests
#   severity: medium
#   remediation: Set resources.requests.cpu and resources.requests.memory on the container to its typical usage (e.g. cpu 100m, memory 128Mi).
#   docs: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
deny_missing_requests contains result if {
	some c in sized_containers
	some resource in ["cpu", "memory"]
	not has_value(c.container, "requests", resource)
	not has_value(c.container, "limits", resource)
	result := {
		"msg": lib.describe(c, sprintf("has no %s request (resources.requests.%s)", [resource_names[resource], resource])),
		"field": array.concat(c.path, ["resources", "requests", resource]),
	}
}

# METADATA
# title: Container must set a memory limit
# description: |-
#   Memory is incompressible: a container without a memory limit can consume
#   the node's memory until the kernel OOM-kills other workloads or the
#   kubelet evicts pods. This is a deny, unlike the CPU limit check, which is
#   only a warning.
# custom:
#   id: k8s-memory-limit
#   severity: medium
#   remediation: Set resources.limits.memory on the container, usually equal to or slightly above its memory request.
#   docs: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
deny_missing_memory_limit contains result if {
	some c in sized_containers
	not has_value(c.container, "limits", "memory")
	result := {
		"msg": lib.describe(c, "has no memory limit (resources.limits.memory)"),
		"field": array.concat(c.path, ["resources", "limits", "memory"]),
	}
}

# METADATA
# title: Container should set a CPU limit
# description: |-
#   CPU is compressible: exceeding a CPU limit only throttles the container
#   (CFS quota), and many teams deliberately omit CPU limits to avoid
#   throttling latency-sensitive workloads while relying on requests for fair
#   sharing. A missing CPU limit is therefore a warning, not a deny.
# custom:
#   id: k8s-cpu-limit
#   severity: low
#   remediation: Set resources.limits.cpu on the container if the namespace needs hard CPU isolation; otherwise make sure resources.requests.cpu reflects real usage.
#   docs: https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
warn_missing_cpu_limit contains result if {
	some c in sized_containers
	not has_value(c.container, "limits", "cpu")
	result := {
		"msg": lib.describe(c, "has no CPU limit (resources.limits.cpu)"),
		"field": array.concat(c.path, ["resources", "limits", "cpu"]),
	}
}

resource_names := {"cpu": "CPU", "memory": "memory"}

sized_containers contains c if {
	some c in lib.containers
	c.type in {"containers", "initContainers"}
}

has_value(container, section, resource) if {
	value := container.resources[section][resource]
	value != null
	value != ""
}
