# METADATA
# title: Required labels
# description: |-
#   Checks that every Kubernetes object carries the label keys listed in the
#   required_labels parameter in metadata.labels. List wrappers and tool
#   configuration files are exempt.
#
#   Parameters (data.kubernetes.parameters):
#   - required_labels: array of label keys, e.g.
#     ["app.kubernetes.io/name", "team"]. Default [] disables the rule.
package kubernetes.labels

import data.kubernetes.lib

# METADATA
# title: Object must carry the required labels
# description: |-
#   Every object must set the label keys listed in the required_labels
#   parameter, which ownership, cost allocation and selectors rely on.
#   Inactive while the parameter is empty (the default). One finding per
#   object, listing every missing key.
# custom:
#   id: k8s-required-labels
#   severity: low
#   remediation: Add the missing keys to metadata.labels.
#   docs: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
deny_missing_required_labels contains result if {
	required := {key | some key in lib.list_param("required_labels", []); is_string(key)}
	count(required) > 0
	lib.is_resource
	missing := {key | some key in required; not has_label(key)}
	count(missing) > 0
	result := {
		"msg": sprintf("%s is missing required labels: %s", [lib.subject, concat(", ", sort(missing))]),
		"field": labels_field,
	}
}

has_label(key) if {
	labels := input.metadata.labels
	is_object(labels)
	labels[key] != null
}

# The labels map when it exists, otherwise metadata, where it belongs.
labels_field := ["metadata", "labels"] if {
	is_object(input.metadata.labels)
} else := ["metadata"]
