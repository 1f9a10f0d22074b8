package kubernetes.labels_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.labels

required := {"required_labels": ["team", "app.kubernetes.io/name"]}

test_required_labels_inactive_by_default if {
	count(labels.deny_missing_required_labels) == 0 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}
}

test_required_labels_present_pass if {
	doc := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "labels": {"team": "a", "app.kubernetes.io/name": "c"}}}
	count(labels.deny_missing_required_labels) == 0 with input as doc with data.kubernetes.parameters as required
}

test_required_labels_missing_some if {
	result := labels.deny_missing_required_labels with input as fx.deployment([fx.good_container])
		with data.kubernetes.parameters as required
	result == {{
		"msg": `Deployment "demo" is missing required labels: app.kubernetes.io/name, team`,
		"field": ["metadata", "labels"],
	}}
}

test_required_labels_no_labels_map if {
	result := labels.deny_missing_required_labels with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}}
		with data.kubernetes.parameters as {"required_labels": ["team"]}
	result == {{
		"msg": `Secret "s" is missing required labels: team`,
		"field": ["metadata"],
	}}
}

test_required_labels_skip_lists if {
	count(labels.deny_missing_required_labels) == 0 with input as {"apiVersion": "v1", "kind": "List", "items": []}
		with data.kubernetes.parameters as required
}
