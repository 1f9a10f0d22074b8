package github_actions.permissions_test

import data.github_actions.fixtures_test as fx
import data.github_actions.permissions

no_permissions := json.remove(fx.good_workflow, ["permissions"])

test_top_level_permissions_pass if {
	every value in [{"contents": "read"}, {}, "read-all"] {
		count(permissions.deny_missing_permissions) == 0 with input as fx.workflow({"permissions": value})
	}
}

test_job_level_permissions_pass if {
	doc := object.union(no_permissions, {"jobs": {
		"build": {"runs-on": "ubuntu-latest", "permissions": {}, "steps": []},
		"release": {"permissions": {"contents": "write"}},
		"local": {"permissions": "read-all", "uses": "./.github/workflows/lint.yml"},
	}})
	count(permissions.deny_missing_permissions) == 0 with input as doc
}

test_missing_permissions_denied_per_job if {
	doc := object.union(no_permissions, {"jobs": {"local": {"permissions": {"contents": "read"}}}})
	result := permissions.deny_missing_permissions with input as doc
	result == {{
		"msg": `job "build" sets no permissions and the workflow sets no top-level permissions, so its GITHUB_TOKEN gets the repository's default permissions`,
		"field": ["jobs", "build", "permissions"],
	}}
}

test_null_permissions_are_missing if {
	doc := {"on": "push", "permissions": null, "jobs": {"test": {"runs-on": "ubuntu-latest", "permissions": null, "steps": []}}}
	result := permissions.deny_missing_permissions with input as doc
	result == {{
		"msg": `job "test" sets no permissions and the workflow sets no top-level permissions, so its GITHUB_TOKEN gets the repository's default permissions`,
		"field": ["jobs", "test", "permissions"],
	}}
}

test_read_permissions_are_not_write_all if {
	count(permissions.deny_write_all_permissions) == 0 with input as fx.good_workflow
	count(permissions.deny_write_all_permissions) == 0 with input as fx.workflow({"permissions": "read-all"})
}

test_top_level_write_all_denied if {
	result := permissions.deny_write_all_permissions with input as fx.workflow({"permissions": "write-all"})
	result == {{
		"msg": "the workflow grants the GITHUB_TOKEN write-all permissions at the top level",
		"field": ["permissions"],
	}}
}

test_job_write_all_denied if {
	result := permissions.deny_write_all_permissions with input as fx.workflow({"jobs": {"release": {"permissions": "write-all"}}})
	result == {{
		"msg": `job "release" grants the GITHUB_TOKEN write-all permissions`,
		"field": ["jobs", "release", "permissions"],
	}}
}
