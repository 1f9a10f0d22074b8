package kubernetes.lib_test

import data.kubernetes.lib

test_image_registry if {
	lib.image_registry("nginx") == "docker.io"
	lib.image_registry("grafana/grafana:1") == "docker.io"
	lib.image_registry("index.docker.io/library/nginx") == "docker.io"
	lib.image_registry("localhost/app") == "localhost"
	lib.image_registry("localhost:5000/app") == "localhost:5000"
	lib.image_registry("GHCR.io/org/app:1") == "ghcr.io"
}

test_image_tag if {
	lib.image_tag("nginx:1.27") == "1.27"
	lib.image_tag("localhost:5000/app:v2") == "v2"
	not lib.image_tag("localhost:5000/app")
	not lib.image_tag("registry.example.com/team/app@sha256:abc")
}

test_image_repositories if {
	lib.image_repositories("nginx:1") == {"docker.io/nginx", "docker.io/library/nginx"}
	lib.image_repositories("grafana/grafana@sha256:abc") == {"docker.io/grafana/grafana"}
	lib.image_repositories("quay.io/prometheus/node-exporter:v1") == {"quay.io/prometheus/node-exporter"}
}

test_image_allowed if {
	lib.image_allowed("nginx:1", ["docker.io"])
	lib.image_allowed("nginx:1", ["index.docker.io/library/"])
	lib.image_allowed("quay.io/prometheus/node-exporter:v1", [1, "quay.io/prometheus"])
	not lib.image_allowed("quay.io/prometheus-operator/x:v1", ["quay.io/prometheus"])
	not lib.image_allowed("us.gcr.io/p/x:1", ["gcr.io"])
}

test_parameters_default_when_not_an_object if {
	lib.list_param("required_labels", ["x"]) == ["x"] with data.kubernetes.parameters as "nope"
}

test_image_allowed_exact_repository if {
	lib.image_allowed("localhost:5000/app:1", ["localhost:5000/app"])
	not lib.image_allowed("localhost:5000/app2:1", ["localhost:5000/app"])
}

test_subject if {
	lib.subject == `Deployment "web"` with input as {"kind": "Deployment", "metadata": {"name": "web"}}
	lib.subject == `Object "<unnamed>"` with input as {"kind": 3}
	lib.subject == `Object "<unnamed>"` with input as "text"
}
