package kubernetes.probes_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.probes

no_probes := fx.without(["livenessProbe", "readinessProbe"])

# --- warn_missing_liveness_probe --------------------------------------------

test_liveness_probe_present_passes if {
	count(probes.warn_missing_liveness_probe) == 0 with input as fx.deployment([fx.good_container])
}

test_liveness_probe_missing_warned if {
	result := probes.warn_missing_liveness_probe with input as fx.deployment([fx.good_container, object.union(no_probes, {"name": "proxy"})])
	result == {{
		"msg": `Deployment "demo": container "proxy" has no liveness probe (livenessProbe)`,
		"field": ["spec", "template", "spec", "containers", 1, "livenessProbe"],
	}}
}

test_liveness_probe_every_long_running_kind if {
	every kind in fx.long_running_kinds {
		result := probes.warn_missing_liveness_probe with input as fx.workload(kind, {"containers": [no_probes]})
		result == {{
			"msg": sprintf(`%s "demo": container "app" has no liveness probe (livenessProbe)`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["containers", 0, "livenessProbe"]),
		}}
	}
}

test_liveness_probe_not_required_for_batch_and_init if {
	spec := {"containers": [no_probes], "initContainers": [no_probes], "ephemeralContainers": [no_probes]}
	count(probes.warn_missing_liveness_probe) == 0 with input as fx.workload("Job", spec)
	count(probes.warn_missing_liveness_probe) == 0 with input as fx.workload("CronJob", spec)
	count(probes.warn_missing_liveness_probe) == 0 with input as fx.workload("Pod", object.union(spec, {"restartPolicy": "Never"}))
	count(probes.warn_missing_liveness_probe) == 0 with input as fx.workload("Deployment", object.union(spec, {"containers": [fx.good_container]}))
}

# --- warn_missing_readiness_probe -------------------------------------------

test_readiness_probe_present_passes if {
	count(probes.warn_missing_readiness_probe) == 0 with input as fx.workload("Pod", fx.good_pod_spec)
}

test_readiness_probe_missing_warned if {
	spec := {"restartPolicy": "Always", "containers": [no_probes]}
	result := probes.warn_missing_readiness_probe with input as fx.workload("Pod", spec)
	result == {{
		"msg": `Pod "demo": container "app" has no readiness probe (readinessProbe)`,
		"field": ["spec", "containers", 0, "readinessProbe"],
	}}
}

test_readiness_probe_not_required_for_run_to_completion_pod if {
	spec := {"restartPolicy": "OnFailure", "containers": [no_probes]}
	count(probes.warn_missing_readiness_probe) == 0 with input as fx.workload("Pod", spec)
	count(probes.warn_missing_readiness_probe) == 0 with input as fx.workload("CronJob", spec)
}
