# METADATA
# title: Container images
# description: |-
#   Checks the image references of containers, init containers and ephemeral
#   containers in every pod-carrying workload (Pod, Deployment, StatefulSet,
#   DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Rollout,
#   DeploymentConfig). Unresolved template placeholders ("${...}", "{{...}}")
#   are skipped.
#
#   Parameters (data.kubernetes.parameters):
#   - allowed_registries: array of registry hosts or registry/repository
#     prefixes, e.g. ["registry.k8s.io", "ghcr.io/my-org", "docker.io/library"].
#     Docker Hub short names are registry docker.io ("nginx" is
#     docker.io/library/nginx). Default [] disables k8s-image-registry.
package kubernetes.images

import data.kubernetes.lib

# METADATA
# title: Container image must have a pinned tag
# description: |-
#   An image without a tag resolves to "latest", and "latest" is a mutable tag:
#   what runs changes between rollouts and nodes, and rollbacks are
#   unreliable. Images pinned by digest (@sha256:...) pass.
# custom:
#   id: k8s-image-tag
#   severity: high
#   remediation: Reference an immutable version tag (e.g. nginx:1.27.2) or pin the image by digest (image@sha256:...).
#   docs: https://kubernetes.io/docs/concepts/containers/images/#image-names
deny_image_tag contains result if {
	some c in lib.containers
	image := checked_image(c)
	not lib.image_tag(image)
	result := {
		"msg": lib.describe(c, sprintf(`uses image "%s" without a tag, so it resolves to the mutable "latest" tag`, [image])),
		"field": array.concat(c.path, ["image"]),
	}
}

deny_image_tag contains result if {
	some c in lib.containers
	image := checked_image(c)
	lib.image_tag(image) == "latest"
	result := {
		"msg": lib.describe(c, sprintf(`uses image "%s" with the mutable "latest" tag`, [image])),
		"field": array.concat(c.path, ["image"]),
	}
}

# METADATA
# title: Container image must come from an allowed registry
# description: |-
#   Only images from the registries or repository prefixes listed in the
#   allowed_registries parameter may run. Inactive while the parameter is
#   empty (the default).
# custom:
#   id: k8s-image-registry
#   severity: high
#   remediation: Mirror the image into one of the allowed registries and reference it from there, or add its registry to the allowed_registries parameter.
#   docs: https://kubernetes.io/docs/concepts/containers/images/
deny_image_registry contains result if {
	allowed := lib.list_param("allowed_registries", [])
	count(allowed) > 0
	some c in lib.containers
	image := c.container.image
	is_string(image)
	image != ""
	not lib.is_templated(image)
	not lib.image_allowed(image, allowed)
	result := {
		"msg": lib.describe(c, sprintf(`uses image "%s" from registry "%s", which is not in the allowed registries (%s)`, [image, lib.image_registry(image), concat(", ", [e | some e in allowed; is_string(e)])])),
		"field": array.concat(c.path, ["image"]),
	}
}

# checked_image returns the container image when it is pinned neither by
# digest nor by a template placeholder, i.e. when its tag matters.
checked_image(c) := image if {
	image := c.container.image
	is_string(image)
	image != ""
	not lib.has_digest(image)
	not lib.is_templated(image)
}
