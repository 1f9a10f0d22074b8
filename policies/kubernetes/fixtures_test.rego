# Shared fixtures for the Kubernetes policy tests (no tests in this package).
package kubernetes.fixtures_test

# Every kind that carries a pod template, with its apiVersion.
api_versions := {
	"Pod": "v1",
	"Deployment": "apps/v1",
	"StatefulSet": "apps/v1",
	"DaemonSet": "apps/v1",
	"ReplicaSet": "apps/v1",
	"ReplicationController": "v1",
	"Job": "batch/v1",
	"CronJob": "batch/v1",
	"Rollout": "argoproj.io/v1alpha1",
	"DeploymentConfig": "apps.openshift.io/v1",
}

workload_kinds := {kind | some kind, _ in api_versions}

long_running_kinds := workload_kinds - {"Job", "CronJob"}

template_kinds := workload_kinds - {"Pod", "CronJob"}

metadata := {"name": "demo", "namespace": "apps", "labels": {"app": "demo"}}

# workload wraps a pod spec into a manifest of the given kind.
workload(kind, pod_spec) := {
	"apiVersion": api_versions[kind],
	"kind": kind,
	"metadata": metadata,
	"spec": spec_for(kind, pod_spec),
}

spec_for("Pod", pod_spec) := pod_spec

spec_for("CronJob", pod_spec) := {
	"schedule": "*/5 * * * *",
	"jobTemplate": {"spec": {"template": {"metadata": {"labels": {"app": "demo"}}, "spec": pod_spec}}},
}

spec_for(kind, pod_spec) := {
	"selector": {"matchLabels": {"app": "demo"}},
	"template": {"metadata": {"labels": {"app": "demo"}}, "spec": pod_spec},
} if {
	kind in template_kinds
}

# pod_path is the path of the pod spec inside a manifest of the given kind.
pod_path("Pod") := ["spec"]

pod_path("CronJob") := ["spec", "jobTemplate", "spec", "template", "spec"]

pod_path(kind) := ["spec", "template", "spec"] if kind in template_kinds

# A container that passes every rule of the pack.
good_container := {
	"name": "app",
	"image": "registry.example.com/team/app:1.2.3",
	"resources": {
		"requests": {"cpu": "100m", "memory": "128Mi"},
		"limits": {"cpu": "500m", "memory": "256Mi"},
	},
	"securityContext": {
		"allowPrivilegeEscalation": false,
		"runAsNonRoot": true,
		"readOnlyRootFilesystem": true,
		"capabilities": {"drop": ["ALL"]},
	},
	"livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080}},
	"readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
}

good_pod_spec := {"containers": [good_container]}

# container returns good_container with `patch` merged into it.
container(patch) := object.union(good_container, patch)

# without returns good_container without the given slash-separated paths.
without(paths) := json.remove(good_container, paths)

# deployment wraps containers into a Deployment.
deployment(containers) := workload("Deployment", {"containers": containers})

# Inputs that are not Kubernetes objects or are malformed ones.
odd_inputs := [
	null,
	"a string",
	42,
	true,
	[],
	[{"kind": "Deployment"}],
	{},
	{"kind": 7, "apiVersion": ["v1"], "metadata": "x", "spec": 1},
	{"kind": "Deployment", "spec": "oops"},
	{"kind": "Deployment", "spec": {"template": {"spec": []}}},
	{"kind": "Deployment", "spec": {"template": {"spec": {"containers": "oops", "volumes": {"a": 1}}}}},
	{"kind": "Pod", "spec": {"containers": [null, "x", 3, [], {"image": 5, "securityContext": "x", "resources": "y"}]}},
	{"kind": "CronJob", "spec": {"jobTemplate": null}},
	{"kind": "Service", "spec": {"type": ["LoadBalancer"]}, "metadata": {"annotations": "x"}},
]
