package kubernetes.host_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.host

# --- deny_host_path ---------------------------------------------------------

test_host_path_other_volumes_pass if {
	spec := {"containers": [fx.good_container], "volumes": [{"name": "tmp", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "cfg"}}]}
	count(host.deny_host_path) == 0 with input as fx.workload("Deployment", spec)
}

test_host_path_denied if {
	spec := {"containers": [fx.good_container], "volumes": [
		{"name": "tmp", "emptyDir": {}},
		{"name": "docker", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}},
	]}
	result := host.deny_host_path with input as fx.workload("DaemonSet", spec)
	result == {{
		"msg": `DaemonSet "demo": volume "docker" mounts the host path "/var/run/docker.sock" (hostPath)`,
		"field": ["spec", "template", "spec", "volumes", 1, "hostPath"],
		"host_path": "/var/run/docker.sock",
	}}
}

test_host_path_without_name_and_path if {
	spec := {"containers": [fx.good_container], "volumes": [{"hostPath": {}}]}
	result := host.deny_host_path with input as fx.workload("CronJob", spec)
	result == {{
		"msg": `CronJob "demo": volume "#0" mounts the host path "<unset>" (hostPath)`,
		"field": ["spec", "jobTemplate", "spec", "template", "spec", "volumes", 0, "hostPath"],
		"host_path": "<unset>",
	}}
}

test_host_path_every_workload_kind if {
	every kind in fx.workload_kinds {
		spec := {"containers": [fx.good_container], "volumes": [{"name": "root", "hostPath": {"path": "/"}}]}
		result := host.deny_host_path with input as fx.workload(kind, spec)
		result == {{
			"msg": sprintf(`%s "demo": volume "root" mounts the host path "/" (hostPath)`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["volumes", 0, "hostPath"]),
			"host_path": "/",
			"waivable": false,
		}}
	}
}

test_host_path_node_root_cannot_be_waived if {
	every path in ["/", "//", "/.", "/./", "/.."] {
		spec := {"containers": [fx.good_container], "volumes": [{"name": "root", "hostPath": {"path": path}}]}
		some result in host.deny_host_path with input as fx.workload("DaemonSet", spec)
		result.waivable == false
	}
	every path in ["/etc", "/var/log", "/.hidden", "etc"] {
		spec := {"containers": [fx.good_container], "volumes": [{"name": "v", "hostPath": {"path": path}}]}
		some result in host.deny_host_path with input as fx.workload("DaemonSet", spec)
		not "waivable" in object.keys(result)
	}
}

# --- deny_host_network ------------------------------------------------------

test_host_network_false_passes if {
	spec := {"hostNetwork": false, "containers": [fx.good_container]}
	count(host.deny_host_network) == 0 with input as fx.workload("Pod", spec)
}

test_host_network_denied if {
	spec := {"hostNetwork": true, "containers": [fx.good_container]}
	result := host.deny_host_network with input as fx.workload("Pod", spec)
	result == {{
		"msg": `Pod "demo": pod uses the host network namespace (hostNetwork: true)`,
		"field": ["spec", "hostNetwork"],
	}}
}

test_host_network_every_workload_kind if {
	every kind in fx.workload_kinds {
		result := host.deny_host_network with input as fx.workload(kind, {"hostNetwork": true, "containers": [fx.good_container]})
		result == {{
			"msg": sprintf(`%s "demo": pod uses the host network namespace (hostNetwork: true)`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["hostNetwork"]),
		}}
	}
}

# --- deny_host_pid ----------------------------------------------------------

test_host_pid_unset_passes if {
	count(host.deny_host_pid) == 0 with input as fx.workload("StatefulSet", fx.good_pod_spec)
}

test_host_pid_denied if {
	spec := {"hostPID": true, "containers": [fx.good_container]}
	result := host.deny_host_pid with input as fx.workload("StatefulSet", spec)
	result == {{
		"msg": `StatefulSet "demo": pod shares the host PID namespace (hostPID: true)`,
		"field": ["spec", "template", "spec", "hostPID"],
	}}
}

# --- deny_host_ipc ----------------------------------------------------------

test_host_ipc_false_passes if {
	spec := {"hostIPC": false, "containers": [fx.good_container]}
	count(host.deny_host_ipc) == 0 with input as fx.workload("Job", spec)
}

test_host_ipc_denied if {
	spec := {"hostIPC": true, "containers": [fx.good_container]}
	result := host.deny_host_ipc with input as fx.workload("Job", spec)
	result == {{
		"msg": `Job "demo": pod shares the host IPC namespace (hostIPC: true)`,
		"field": ["spec", "template", "spec", "hostIPC"],
	}}
}
