# METADATA
# title: Container health probes
# description: |-
#   Checks that the regular containers of long-running workloads (Deployment,
#   StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Rollout,
#   DeploymentConfig, and Pods whose restartPolicy is Always) define liveness
#   and readiness probes. Jobs, CronJobs, run-to-completion Pods, init
#   containers and ephemeral containers are exempt. No parameters.
package kubernetes.probes

import data.kubernetes.lib

# METADATA
# title: Container should define a liveness probe
# description: |-
#   Without a liveness probe the kubelet only restarts a container when its
#   process exits; a hung or deadlocked process keeps running forever.
# custom:
#   id: k8s-liveness-probe
#   severity: low
#   remediation: Add a livenessProbe (httpGet, tcpSocket, grpc or exec) that fails only when the process cannot recover on its own.
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
warn_missing_liveness_probe contains result if {
	some c in probed_containers
	not has_probe(c.container, "livenessProbe")
	result := {
		"msg": lib.describe(c, "has no liveness probe (livenessProbe)"),
		"field": array.concat(c.path, ["livenessProbe"]),
	}
}

# METADATA
# title: Container should define a readiness probe
# description: |-
#   Without a readiness probe a pod receives Service traffic as soon as its
#   containers start, before the application can serve it, and keeps
#   receiving it while overloaded or broken.
# custom:
#   id: k8s-readiness-probe
#   severity: low
#   remediation: Add a readinessProbe that succeeds only when the container can serve requests.
#   docs: https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/
warn_missing_readiness_probe contains result if {
	some c in probed_containers
	not has_probe(c.container, "readinessProbe")
	result := {
		"msg": lib.describe(c, "has no readiness probe (readinessProbe)"),
		"field": array.concat(c.path, ["readinessProbe"]),
	}
}

probed_containers contains c if {
	some c in lib.containers
	c.type == "containers"
	c.pod.long_running
}

has_probe(container, probe) if is_object(container[probe])
