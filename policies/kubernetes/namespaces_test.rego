package kubernetes.namespaces_test

import data.kubernetes.namespaces

object(api_version, kind, metadata) := {"apiVersion": api_version, "kind": kind, "metadata": metadata}

# --- deny_default_namespace -------------------------------------------------

test_default_namespace_other_namespace_passes if {
	count(namespaces.deny_default_namespace) == 0 with input as object("v1", "ConfigMap", {"name": "cfg", "namespace": "apps"})
}

test_default_namespace_denied if {
	result := namespaces.deny_default_namespace with input as object("apps/v1", "Deployment", {"name": "web", "namespace": "default"})
	result == {{
		"msg": `Deployment "web" is in the "default" namespace`,
		"field": ["metadata", "namespace"],
	}}
}

test_default_namespace_cluster_scoped_exempt if {
	count(namespaces.deny_default_namespace) == 0 with input as object("rbac.authorization.k8s.io/v1", "ClusterRole", {"name": "r", "namespace": "default"})
}

# --- warn_missing_namespace -------------------------------------------------

test_missing_namespace_warned if {
	result := namespaces.warn_missing_namespace with input as object("v1", "Service", {"name": "web"})
	result == {{
		"msg": `Service "web" does not set metadata.namespace, so it is created in the namespace of the current kubectl context (often "default")`,
		"field": ["metadata", "namespace"],
	}}
}

test_missing_namespace_empty_string_warned if {
	result := namespaces.warn_missing_namespace with input as object("monitoring.coreos.com/v1", "ServiceMonitor", {"name": "sm", "namespace": ""})
	result == {{
		"msg": `ServiceMonitor "sm" does not set metadata.namespace, so it is created in the namespace of the current kubectl context (often "default")`,
		"field": ["metadata", "namespace"],
	}}
}

test_missing_namespace_present_passes if {
	count(namespaces.warn_missing_namespace) == 0 with input as object("v1", "Service", {"name": "web", "namespace": "apps"})
}

test_missing_namespace_exemptions if {
	exempt := [
		object("v1", "Namespace", {"name": "apps"}),
		object("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", {"name": "b"}),
		object("apiextensions.k8s.io/v1", "CustomResourceDefinition", {"name": "widgets.example.com"}),
		object("v1", "PersistentVolume", {"name": "pv"}),
		object("storage.k8s.io/v1", "StorageClass", {"name": "fast"}),
		object("scheduling.k8s.io/v1", "PriorityClass", {"name": "high"}),
		object("admissionregistration.k8s.io/v1", "ValidatingWebhookConfiguration", {"name": "w"}),
		object("cert-manager.io/v1", "ClusterIssuer", {"name": "le"}),
		object("v1", "List", {}),
		object("rbac.authorization.k8s.io/v1", "RoleList", {}),
		object("kustomize.config.k8s.io/v1beta1", "Kustomization", {"name": "k"}),
		object("kubescheduler.config.k8s.io/v1", "KubeSchedulerConfiguration", {}),
		object("v1", "Config", {}),
		object("eksctl.io/v1alpha5", "ClusterConfig", {"name": "c"}),
		{"kind": "Service", "metadata": {"name": "no-api-version"}},
		{"apiVersion": "v1", "kind": "", "metadata": {"name": "empty-kind"}},
	]
	every doc in exempt {
		count(namespaces.warn_missing_namespace) == 0 with input as doc
	}
}
