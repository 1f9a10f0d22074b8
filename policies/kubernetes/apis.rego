# METADATA
# title: API versions
# description: |-
#   Checks apiVersion against the API versions that Kubernetes no longer
#   serves, as listed in the Deprecated API Migration Guide
#   (https://kubernetes.io/docs/reference/using-api/deprecation-guide/), plus
#   the other kinds of API group versions that were removed as a whole
#   (extensions/v1beta1, apps/v1beta1, apps/v1beta2, rbac v1beta1...). No
#   parameters.
package kubernetes.apis

import data.kubernetes.lib

# METADATA
# title: Object must not use a removed API version
# description: |-
#   Manifests using an API version the cluster no longer serves fail to apply
#   ("no matches for kind"). The message names the Kubernetes release that
#   stopped serving the version and the apiVersion to migrate to.
# custom:
#   id: k8s-removed-api-version
#   severity: high
#   remediation: Change apiVersion to the replacement named in the message and adapt the fields that changed (kubectl-convert can help).
#   docs: https://kubernetes.io/docs/reference/using-api/deprecation-guide/
deny_removed_api_version contains result if {
	is_string(input.apiVersion)
	is_string(input.kind)
	removal := removed_api(input.apiVersion, input.kind)
	result := {
		"msg": sprintf("%s uses apiVersion %s, which is no longer served since Kubernetes %s; %s", [lib.subject, input.apiVersion, removal.removed, advice(removal.replacement)]),
		"field": ["apiVersion"],
	}
}

advice(replacement) := sprintf("migrate to %s", [replacement]) if {
	replacement != ""
} else := "it has no replacement API, enforce pod security with Pod Security Admission instead"

# removed_api looks up the exact kind first, then the whole group version.
removed_api(api_version, kind) := removal if {
	removal := removed_apis[api_version][kind]
} else := removed_apis[api_version]["*"]

# removed_apis maps apiVersion -> kind ("*" for every kind of that version) ->
# {"removed": <first release not serving it>, "replacement": <apiVersion>}.
removed_apis := {
	# v1.32
	"flowcontrol.apiserver.k8s.io/v1beta3": {"*": {"removed": "v1.32", "replacement": "flowcontrol.apiserver.k8s.io/v1"}},
	# v1.29
	"flowcontrol.apiserver.k8s.io/v1beta2": {"*": {"removed": "v1.29", "replacement": "flowcontrol.apiserver.k8s.io/v1"}},
	# v1.27
	"storage.k8s.io/v1beta1": {
		"CSIStorageCapacity": {"removed": "v1.27", "replacement": "storage.k8s.io/v1"},
		"CSIDriver": {"removed": "v1.22", "replacement": "storage.k8s.io/v1"},
		"CSINode": {"removed": "v1.22", "replacement": "storage.k8s.io/v1"},
		"StorageClass": {"removed": "v1.22", "replacement": "storage.k8s.io/v1"},
		"VolumeAttachment": {"removed": "v1.22", "replacement": "storage.k8s.io/v1"},
	},
	# v1.26
	"flowcontrol.apiserver.k8s.io/v1beta1": {"*": {"removed": "v1.26", "replacement": "flowcontrol.apiserver.k8s.io/v1"}},
	"autoscaling/v2beta2": {"*": {"removed": "v1.26", "replacement": "autoscaling/v2"}},
	# v1.25
	"batch/v1beta1": {"*": {"removed": "v1.25", "replacement": "batch/v1"}},
	"discovery.k8s.io/v1beta1": {"*": {"removed": "v1.25", "replacement": "discovery.k8s.io/v1"}},
	"events.k8s.io/v1beta1": {"*": {"removed": "v1.25", "replacement": "events.k8s.io/v1"}},
	"autoscaling/v2beta1": {"*": {"removed": "v1.25", "replacement": "autoscaling/v2"}},
	"policy/v1beta1": {
		"PodDisruptionBudget": {"removed": "v1.25", "replacement": "policy/v1"},
		"PodSecurityPolicy": {"removed": "v1.25", "replacement": ""},
		"*": {"removed": "v1.25", "replacement": "policy/v1"},
	},
	"node.k8s.io/v1beta1": {"*": {"removed": "v1.25", "replacement": "node.k8s.io/v1"}},
	# v1.22
	"admissionregistration.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "admissionregistration.k8s.io/v1"}},
	"apiextensions.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "apiextensions.k8s.io/v1"}},
	"apiregistration.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "apiregistration.k8s.io/v1"}},
	"authentication.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "authentication.k8s.io/v1"}},
	"authorization.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "authorization.k8s.io/v1"}},
	"certificates.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "certificates.k8s.io/v1"}},
	"coordination.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "coordination.k8s.io/v1"}},
	"networking.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "networking.k8s.io/v1"}},
	"rbac.authorization.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "rbac.authorization.k8s.io/v1"}},
	"scheduling.k8s.io/v1beta1": {"*": {"removed": "v1.22", "replacement": "scheduling.k8s.io/v1"}},
	# v1.16 (and extensions/v1beta1 Ingress in v1.22)
	"extensions/v1beta1": {
		"Ingress": {"removed": "v1.22", "replacement": "networking.k8s.io/v1"},
		"NetworkPolicy": {"removed": "v1.16", "replacement": "networking.k8s.io/v1"},
		"PodSecurityPolicy": {"removed": "v1.16", "replacement": ""},
		"*": {"removed": "v1.16", "replacement": "apps/v1"},
	},
	"apps/v1beta1": {"*": {"removed": "v1.16", "replacement": "apps/v1"}},
	"apps/v1beta2": {"*": {"removed": "v1.16", "replacement": "apps/v1"}},
}
