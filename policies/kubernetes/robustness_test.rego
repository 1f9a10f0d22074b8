package kubernetes.robustness_test

import data.kubernetes.fixtures_test as fx

# Every deny_/warn_ rule of the pack, by package.
rules := {
	"images": ["deny_image_tag", "deny_image_registry"],
	"resources": ["deny_missing_requests", "deny_missing_memory_limit", "warn_missing_cpu_limit"],
	"security": [
		"deny_privileged", "deny_privilege_escalation", "deny_run_as_root",
		"warn_writable_root_filesystem", "deny_added_capabilities",
	],
	"host": ["deny_host_path", "deny_host_network", "deny_host_pid", "deny_host_ipc"],
	"probes": ["warn_missing_liveness_probe", "warn_missing_readiness_probe"],
	"services": ["deny_nodeport_service", "deny_public_load_balancer"],
	"namespaces": ["deny_default_namespace", "warn_missing_namespace"],
	"apis": ["deny_removed_api_version"],
	"labels": ["deny_missing_required_labels"],
}

# The evaluated policy packages (a complete rule, re-evaluated under `with`).
packages := {
	"images": data.kubernetes.images,
	"resources": data.kubernetes.resources,
	"security": data.kubernetes.security,
	"host": data.kubernetes.host,
	"probes": data.kubernetes.probes,
	"services": data.kubernetes.services,
	"namespaces": data.kubernetes.namespaces,
	"apis": data.kubernetes.apis,
	"labels": data.kubernetes.labels,
}

params := {
	"allowed_registries": ["registry.example.com"],
	"required_labels": ["team"],
	"allowed_capabilities": ["NET_BIND_SERVICE"],
}

# Odd inputs must evaluate without runtime errors, each rule to a set.
test_odd_inputs_do_not_error if {
	every doc in fx.odd_inputs {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc with data.kubernetes.parameters as params
			}
		}
	}
}

# Non-objects and empty objects produce no findings at all.
test_non_objects_produce_no_findings if {
	every doc in [null, "a string", 42, true, [], [{"kind": "Deployment"}], {}] {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as doc with data.kubernetes.parameters as params
			}
		}
	}
}

# A fully compliant workload of every kind produces no findings.
test_compliant_workloads_produce_no_findings if {
	every kind in fx.workload_kinds {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as fx.workload(kind, fx.good_pod_spec)
			}
		}
	}
}

# A CustomResourceDefinition whose schema mentions containers and images
# produces no workload findings.
test_crd_schema_produces_no_findings if {
	crd := {
		"apiVersion": "apiextensions.k8s.io/v1",
		"kind": "CustomResourceDefinition",
		"metadata": {"name": "widgets.example.com"},
		"spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": {"properties": {"spec": {"properties": {
			"template": {"properties": {"spec": {"properties": {"containers": {"type": "array"}}}}},
			"image": {"type": "string"},
			"hostNetwork": {"type": "boolean"},
		}}}}}}]},
	}
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as crd
		}
	}
}
