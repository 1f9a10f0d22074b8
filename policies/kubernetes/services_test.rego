package kubernetes.services_test

import data.kubernetes.services

service(type, annotations, spec) := {
	"apiVersion": "v1",
	"kind": "Service",
	"metadata": {"name": "web", "namespace": "apps", "annotations": annotations},
	"spec": object.union({"type": type, "ports": [{"port": 80}]}, spec),
}

# --- deny_nodeport_service --------------------------------------------------

test_nodeport_cluster_ip_passes if {
	count(services.deny_nodeport_service) == 0 with input as service("ClusterIP", {}, {})
}

test_nodeport_denied if {
	result := services.deny_nodeport_service with input as service("NodePort", {}, {})
	result == {{
		"msg": `Service "web": Service is of type NodePort, which opens a port on every node`,
		"field": ["spec", "type"],
	}}
}

test_nodeport_other_kind_ignored if {
	count(services.deny_nodeport_service) == 0 with input as {"kind": "ConfigMap", "spec": {"type": "NodePort"}}
}

# --- deny_public_load_balancer ----------------------------------------------

public_msg := `Service "web": LoadBalancer Service is reachable from the internet (no internal load balancer annotation and no restricting loadBalancerSourceRanges)`

test_public_load_balancer_denied if {
	result := services.deny_public_load_balancer with input as service("LoadBalancer", {}, {})
	result == {{"msg": public_msg, "field": ["spec", "type"]}}
}

test_public_load_balancer_open_source_range_denied if {
	result := services.deny_public_load_balancer with input as service("LoadBalancer", {}, {"loadBalancerSourceRanges": ["10.0.0.0/8", "0.0.0.0/0"]})
	result == {{"msg": public_msg, "field": ["spec", "type"]}}
}

test_public_load_balancer_internal_false_denied if {
	result := services.deny_public_load_balancer with input as service("LoadBalancer", {"service.beta.kubernetes.io/aws-load-balancer-internal": "false"}, {})
	result == {{"msg": public_msg, "field": ["spec", "type"]}}
}

test_internal_load_balancer_annotations_pass if {
	internal := [
		{"service.beta.kubernetes.io/aws-load-balancer-internal": "true"},
		{"service.beta.kubernetes.io/aws-load-balancer-internal": true},
		{"service.beta.kubernetes.io/aws-load-balancer-internal": "0.0.0.0/0"},
		{"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"},
		{"networking.gke.io/load-balancer-type": "Internal"},
		{"cloud.google.com/load-balancer-type": "Internal"},
		{"service.beta.kubernetes.io/azure-load-balancer-internal": "true"},
	]
	every annotations in internal {
		count(services.deny_public_load_balancer) == 0 with input as service("LoadBalancer", annotations, {})
	}
}

test_restricted_source_ranges_pass if {
	count(services.deny_public_load_balancer) == 0 with input as service("LoadBalancer", {}, {"loadBalancerSourceRanges": ["203.0.113.0/24"]})
	count(services.deny_public_load_balancer) == 0 with input as service("LoadBalancer", {"service.beta.kubernetes.io/load-balancer-source-ranges": "203.0.113.0/24, 198.51.100.7/32"}, {})
}
