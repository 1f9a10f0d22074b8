package kubernetes.apis_test

import data.kubernetes.apis

object(api_version, kind) := {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x", "namespace": "apps"}}

test_current_api_versions_pass if {
	current := [
		object("apps/v1", "Deployment"),
		object("batch/v1", "CronJob"),
		object("networking.k8s.io/v1", "Ingress"),
		object("policy/v1", "PodDisruptionBudget"),
		object("autoscaling/v2", "HorizontalPodAutoscaler"),
		object("flowcontrol.apiserver.k8s.io/v1", "FlowSchema"),
		object("storage.k8s.io/v1", "CSIDriver"),
		object("v1", "Service"),
		object("example.com/v1beta1", "Widget"),
	]
	every doc in current {
		count(apis.deny_removed_api_version) == 0 with input as doc
	}
}

test_removed_extensions_deployment if {
	result := apis.deny_removed_api_version with input as object("extensions/v1beta1", "Deployment")
	result == {{
		"msg": `Deployment "x" uses apiVersion extensions/v1beta1, which is no longer served since Kubernetes v1.16; migrate to apps/v1`,
		"field": ["apiVersion"],
	}}
}

test_removed_pod_security_policy if {
	result := apis.deny_removed_api_version with input as object("policy/v1beta1", "PodSecurityPolicy")
	result == {{
		"msg": `PodSecurityPolicy "x" uses apiVersion policy/v1beta1, which is no longer served since Kubernetes v1.25; it has no replacement API, enforce pod security with Pod Security Admission instead`,
		"field": ["apiVersion"],
	}}
}

# [apiVersion, kind, removed in, replacement]
removed_cases := [
	["extensions/v1beta1", "DaemonSet", "v1.16", "apps/v1"],
	["extensions/v1beta1", "ReplicaSet", "v1.16", "apps/v1"],
	["extensions/v1beta1", "Ingress", "v1.22", "networking.k8s.io/v1"],
	["extensions/v1beta1", "NetworkPolicy", "v1.16", "networking.k8s.io/v1"],
	["apps/v1beta1", "StatefulSet", "v1.16", "apps/v1"],
	["apps/v1beta2", "Deployment", "v1.16", "apps/v1"],
	["batch/v1beta1", "CronJob", "v1.25", "batch/v1"],
	["policy/v1beta1", "PodDisruptionBudget", "v1.25", "policy/v1"],
	["networking.k8s.io/v1beta1", "Ingress", "v1.22", "networking.k8s.io/v1"],
	["networking.k8s.io/v1beta1", "IngressClass", "v1.22", "networking.k8s.io/v1"],
	["rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", "v1.22", "rbac.authorization.k8s.io/v1"],
	["apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "v1.22", "apiextensions.k8s.io/v1"],
	["admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", "v1.22", "admissionregistration.k8s.io/v1"],
	["apiregistration.k8s.io/v1beta1", "APIService", "v1.22", "apiregistration.k8s.io/v1"],
	["certificates.k8s.io/v1beta1", "CertificateSigningRequest", "v1.22", "certificates.k8s.io/v1"],
	["coordination.k8s.io/v1beta1", "Lease", "v1.22", "coordination.k8s.io/v1"],
	["scheduling.k8s.io/v1beta1", "PriorityClass", "v1.22", "scheduling.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "StorageClass", "v1.22", "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "CSIDriver", "v1.22", "storage.k8s.io/v1"],
	["storage.k8s.io/v1beta1", "CSIStorageCapacity", "v1.27", "storage.k8s.io/v1"],
	["autoscaling/v2beta1", "HorizontalPodAutoscaler", "v1.25", "autoscaling/v2"],
	["autoscaling/v2beta2", "HorizontalPodAutoscaler", "v1.26", "autoscaling/v2"],
	["discovery.k8s.io/v1beta1", "EndpointSlice", "v1.25", "discovery.k8s.io/v1"],
	["events.k8s.io/v1beta1", "Event", "v1.25", "events.k8s.io/v1"],
	["node.k8s.io/v1beta1", "RuntimeClass", "v1.25", "node.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "v1.26", "flowcontrol.apiserver.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "v1.29", "flowcontrol.apiserver.k8s.io/v1"],
	["flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "v1.32", "flowcontrol.apiserver.k8s.io/v1"],
]

test_removed_api_versions_table if {
	every case in removed_cases {
		[api_version, kind, removed, replacement] := case
		result := apis.deny_removed_api_version with input as object(api_version, kind)
		result == {{
			"msg": sprintf(`%s "x" uses apiVersion %s, which is no longer served since Kubernetes %s; migrate to %s`, [kind, api_version, removed, replacement]),
			"field": ["apiVersion"],
		}}
	}
}
