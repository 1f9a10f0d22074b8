# METADATA
# title: Namespaces
# description: |-
#   Checks that namespaced objects are not deployed to the default namespace.
#   Cluster-scoped kinds (Namespace, ClusterRole, CustomResourceDefinition,
#   StorageClass, PersistentVolume, webhook configurations, any kind starting
#   with "Cluster"...), List wrappers and tool configuration files
#   (Kustomization, kubeconfig, eksctl ClusterConfig...) are exempt. No
#   parameters.
package kubernetes.namespaces

import data.kubernetes.lib

# METADATA
# title: Object must not be in the default namespace
# description: |-
#   The default namespace has no dedicated RBAC, quotas or network policies,
#   so workloads placed there are poorly isolated from each other.
# custom:
#   id: k8s-default-namespace
#   severity: medium
#   remediation: Set metadata.namespace to a dedicated namespace for the application.
#   docs: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
deny_default_namespace contains result if {
	namespaced
	input.metadata.namespace == "default"
	result := {
		"msg": sprintf(`%s is in the "default" namespace`, [lib.subject]),
		"field": ["metadata", "namespace"],
	}
}

# METADATA
# title: Namespaced object should set metadata.namespace
# description: |-
#   Without metadata.namespace the object lands in whatever namespace the
#   applying kubectl context or tool points to, which is often "default".
#   A warning only, since kustomize, Helm or Argo CD commonly set the
#   namespace at apply time.
# custom:
#   id: k8s-missing-namespace
#   severity: low
#   remediation: Set metadata.namespace explicitly (or let kustomize set it with the namespace field of kustomization.yaml).
#   docs: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
warn_missing_namespace contains result if {
	namespaced
	not has_namespace
	result := {
		"msg": sprintf("%s does not set metadata.namespace, so it is created in the namespace of the current kubectl context (often \"default\")", [lib.subject]),
		"field": ["metadata", "namespace"],
	}
}

namespaced if {
	lib.is_resource
	not lib.is_cluster_scoped
}

has_namespace if {
	namespace := input.metadata.namespace
	is_string(namespace)
	namespace != ""
}
