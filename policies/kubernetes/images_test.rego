package kubernetes.images_test

import data.kubernetes.fixtures_test as fx
import data.kubernetes.images

# --- deny_image_tag ---------------------------------------------------------

test_image_tag_pinned_passes if {
	count(images.deny_image_tag) == 0 with input as fx.deployment([fx.good_container])
}

test_image_tag_digest_passes if {
	pinned := [
		fx.container({"image": "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}),
		fx.container({"image": "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}),
		fx.container({"image": "localhost:5000/app:1.0"}),
		fx.container({"image": "${IMAGE}"}),
	]
	count(images.deny_image_tag) == 0 with input as fx.deployment(pinned)
}

test_image_tag_latest_denied if {
	result := images.deny_image_tag with input as fx.deployment([fx.container({"image": "nginx:latest"})])
	result == {{
		"msg": `Deployment "demo": container "app" uses image "nginx:latest" with the mutable "latest" tag`,
		"field": ["spec", "template", "spec", "containers", 0, "image"],
	}}
}

test_image_tag_missing_with_registry_port_denied if {
	result := images.deny_image_tag with input as fx.deployment([fx.good_container, fx.container({"name": "sidecar", "image": "localhost:5000/app"})])
	result == {{
		"msg": `Deployment "demo": container "sidecar" uses image "localhost:5000/app" without a tag, so it resolves to the mutable "latest" tag`,
		"field": ["spec", "template", "spec", "containers", 1, "image"],
	}}
}

test_image_tag_every_workload_kind if {
	every kind in fx.workload_kinds {
		result := images.deny_image_tag with input as fx.workload(kind, {"containers": [fx.container({"image": "nginx"})]})
		result == {{
			"msg": sprintf(`%s "demo": container "app" uses image "nginx" without a tag, so it resolves to the mutable "latest" tag`, [kind]),
			"field": array.concat(fx.pod_path(kind), ["containers", 0, "image"]),
		}}
	}
}

test_image_tag_init_and_ephemeral_containers if {
	spec := {
		"containers": [fx.good_container],
		"initContainers": [{"name": "init", "image": "busybox"}],
		"ephemeralContainers": [{"image": "debug:latest"}],
	}
	result := images.deny_image_tag with input as fx.workload("StatefulSet", spec)
	result == {
		{
			"msg": `StatefulSet "demo": init container "init" uses image "busybox" without a tag, so it resolves to the mutable "latest" tag`,
			"field": ["spec", "template", "spec", "initContainers", 0, "image"],
		},
		{
			"msg": `StatefulSet "demo": ephemeral container #0 uses image "debug:latest" with the mutable "latest" tag`,
			"field": ["spec", "template", "spec", "ephemeralContainers", 0, "image"],
		},
	}
}

test_image_tag_unnamed_object if {
	result := images.deny_image_tag with input as {"kind": "Pod", "metadata": {"generateName": "job-"}, "spec": {"containers": [{"name": "c", "image": "a:latest"}]}}
	result == {{
		"msg": `Pod "job-*": container "c" uses image "a:latest" with the mutable "latest" tag`,
		"field": ["spec", "containers", 0, "image"],
	}}
}

test_image_tag_no_name_at_all if {
	result := images.deny_image_tag with input as {"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "a:latest"}]}}
	result == {{
		"msg": `Pod "<unnamed>": container "c" uses image "a:latest" with the mutable "latest" tag`,
		"field": ["spec", "containers", 0, "image"],
	}}
}

# --- deny_image_registry ----------------------------------------------------

allowed := {"allowed_registries": ["registry.example.com", "ghcr.io/my-org/", "docker.io/library", "localhost:5000"]}

test_image_registry_inactive_without_parameter if {
	count(images.deny_image_registry) == 0 with input as fx.deployment([fx.container({"image": "evil.example.org/x:1"})])
}

test_image_registry_allowed_images_pass if {
	containers := [
		fx.good_container,
		fx.container({"image": "ghcr.io/my-org/tool:2.0"}),
		fx.container({"image": "nginx:1.27"}),
		fx.container({"image": "docker.io/nginx:1.27"}),
		fx.container({"image": "index.docker.io/library/redis:7"}),
		fx.container({"image": "localhost:5000/app:1"}),
		fx.container({"image": "REGISTRY.EXAMPLE.COM/team/app@sha256:abc"}),
		fx.container({"image": "{{ .Values.image }}"}),
	]
	count(images.deny_image_registry) == 0 with input as fx.deployment(containers)
		with data.kubernetes.parameters as allowed
}

test_image_registry_outside_denied if {
	containers := [
		fx.container({"image": "ghcr.io/my-org-evil/tool:2.0"}),
		fx.container({"name": "hub", "image": "grafana/grafana:11.0.0"}),
	]
	result := images.deny_image_registry with input as fx.workload("DaemonSet", {"initContainers": containers})
		with data.kubernetes.parameters as allowed
	result == {
		{
			"msg": `DaemonSet "demo": init container "app" uses image "ghcr.io/my-org-evil/tool:2.0" from registry "ghcr.io", which is not in the allowed registries (registry.example.com, ghcr.io/my-org/, docker.io/library, localhost:5000)`,
			"field": ["spec", "template", "spec", "initContainers", 0, "image"],
		},
		{
			"msg": `DaemonSet "demo": init container "hub" uses image "grafana/grafana:11.0.0" from registry "docker.io", which is not in the allowed registries (registry.example.com, ghcr.io/my-org/, docker.io/library, localhost:5000)`,
			"field": ["spec", "template", "spec", "initContainers", 1, "image"],
		},
	}
}

test_image_registry_non_array_parameter_ignored if {
	count(images.deny_image_registry) == 0 with input as fx.deployment([fx.container({"image": "evil.example.org/x:1"})])
		with data.kubernetes.parameters as {"allowed_registries": "registry.example.com"}
}
