# METADATA
# title: Host namespaces and host filesystem
# description: |-
#   Checks pod specs of every pod-carrying workload (Pod, Deployment,
#   StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob,
#   Rollout, DeploymentConfig) for access to the node: hostPath volumes and the
#   host network, PID and IPC namespaces. No parameters.
package kubernetes.host

import data.kubernetes.lib

# METADATA
# title: Pod must not mount hostPath volumes
# description: |-
#   hostPath volumes expose the node filesystem to the pod; a writable mount
#   of a sensitive path (/, /etc, /var/run/docker.sock...) is a node takeover.
#   One finding per hostPath volume, naming the path (host_path); a mount of
#   the node's root (/) cannot be waived (waivable: false in the result).
# custom:
#   id: k8s-host-path
#   severity: high
#   remediation: Replace the hostPath volume with an emptyDir, configMap, secret or a PersistentVolumeClaim; node agents that truly need host access should be reviewed and exempted explicitly.
#   docs: https://kubernetes.io/docs/concepts/storage/volumes/#hostpath
deny_host_path contains result if {
	some pod in lib.pod_specs
	volumes := pod.spec.volumes
	is_array(volumes)
	some i, volume in volumes
	volume.hostPath != null
	result := object.union(
		{
			"msg": sprintf(`%s: volume "%s" mounts the host path "%s" (hostPath)`, [lib.subject, volume_name(volume, i), host_path(volume)]),
			"field": array.concat(pod.path, ["volumes", i, "hostPath"]),
			"host_path": host_path(volume),
		},
		node_root(host_path(volume)),
	)
}

# The node's whole filesystem ("/", "//", "/.", "/./"...): no waiver may allow it.
node_root(path) := {"waivable": false} if {
	regex.match(`^(/+\.{0,2})+/*$`, path)
} else := {}

volume_name(volume, i) := volume.name if {
	is_string(volume.name)
} else := sprintf("#%s", [format_int(i, 10)])

host_path(volume) := volume.hostPath.path if {
	is_string(volume.hostPath.path)
} else := "<unset>"

# METADATA
# title: Pod must not use the host network
# description: |-
#   With hostNetwork the pod shares the node's network namespace: it can bind
#   node ports, reach services listening on localhost and sniff node traffic,
#   bypassing NetworkPolicies.
# custom:
#   id: k8s-host-network
#   severity: high
#   remediation: Remove spec.hostNetwork (or set it to false) and expose the pod through a Service instead.
#   docs: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_network contains result if {
	some pod in lib.pod_specs
	pod.spec.hostNetwork == true
	result := {
		"msg": sprintf("%s: pod uses the host network namespace (hostNetwork: true)", [lib.subject]),
		"field": array.concat(pod.path, ["hostNetwork"]),
	}
}

# METADATA
# title: Pod must not share the host PID namespace
# description: |-
#   With hostPID the pod sees every process on the node and can signal or
#   inspect them (including their environment and secrets).
# custom:
#   id: k8s-host-pid
#   severity: high
#   remediation: Remove spec.hostPID (or set it to false).
#   docs: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_pid contains result if {
	some pod in lib.pod_specs
	pod.spec.hostPID == true
	result := {
		"msg": sprintf("%s: pod shares the host PID namespace (hostPID: true)", [lib.subject]),
		"field": array.concat(pod.path, ["hostPID"]),
	}
}

# METADATA
# title: Pod must not share the host IPC namespace
# description: |-
#   With hostIPC the pod can read and write the shared memory of every process
#   on the node.
# custom:
#   id: k8s-host-ipc
#   severity: high
#   remediation: Remove spec.hostIPC (or set it to false).
#   docs: https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
deny_host_ipc contains result if {
	some pod in lib.pod_specs
	pod.spec.hostIPC == true
	result := {
		"msg": sprintf("%s: pod shares the host IPC namespace (hostIPC: true)", [lib.subject]),
		"field": array.concat(pod.path, ["hostIPC"]),
	}
}
