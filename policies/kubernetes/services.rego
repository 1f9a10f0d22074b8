# METADATA
# title: Service exposure
# description: |-
#   Checks how Services are exposed outside the cluster. A LoadBalancer
#   Service counts as internal when it carries a cloud provider's internal
#   load balancer annotation (AWS aws-load-balancer-internal: "true" or
#   aws-load-balancer-scheme: internal, GKE networking.gke.io/load-balancer-type
#   or cloud.google.com/load-balancer-type: Internal, Azure
#   azure-load-balancer-internal: "true") and as restricted when
#   spec.loadBalancerSourceRanges (or the
#   service.beta.kubernetes.io/load-balancer-source-ranges annotation) is set
#   and does not contain 0.0.0.0/0 or ::/0. No parameters.
package kubernetes.services

import data.kubernetes.lib

# METADATA
# title: Service must not be of type NodePort
# description: |-
#   A NodePort Service opens the same port on every node of the cluster,
#   exposing the workload to anyone who can reach a node and bypassing
#   ingress controllers and load balancer controls.
# custom:
#   id: k8s-service-nodeport
#   severity: medium
#   remediation: Use a ClusterIP Service behind an Ingress or Gateway, or an internal LoadBalancer Service, instead of type NodePort.
#   docs: https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport
deny_nodeport_service contains result if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	result := {
		"msg": sprintf("%s: Service is of type NodePort, which opens a port on every node", [lib.subject]),
		"field": ["spec", "type"],
	}
}

# METADATA
# title: LoadBalancer Service must not be public
# description: |-
#   A LoadBalancer Service without an internal load balancer annotation and
#   without loadBalancerSourceRanges gets a load balancer reachable from the
#   whole internet.
# custom:
#   id: k8s-service-public-load-balancer
#   severity: high
#   remediation: Annotate the Service as internal (e.g. service.beta.kubernetes.io/aws-load-balancer-scheme internal) or restrict spec.loadBalancerSourceRanges to the client CIDRs that need access.
#   docs: https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer
deny_public_load_balancer contains result if {
	input.kind == "Service"
	input.spec.type == "LoadBalancer"
	not internal_load_balancer
	not restricted_source_ranges
	result := {
		"msg": sprintf("%s: LoadBalancer Service is reachable from the internet (no internal load balancer annotation and no restricting loadBalancerSourceRanges)", [lib.subject]),
		"field": ["spec", "type"],
	}
}

annotations := a if {
	a := input.metadata.annotations
	is_object(a)
} else := {}

annotation(key) := lower(trim_space(lib.as_string(annotations[key])))

internal_load_balancer if annotation("service.beta.kubernetes.io/aws-load-balancer-internal") in {"true", "0.0.0.0/0"}

internal_load_balancer if annotation("service.beta.kubernetes.io/aws-load-balancer-scheme") == "internal"

internal_load_balancer if annotation("networking.gke.io/load-balancer-type") == "internal"

internal_load_balancer if annotation("cloud.google.com/load-balancer-type") == "internal"

internal_load_balancer if annotation("service.beta.kubernetes.io/azure-load-balancer-internal") == "true"

source_ranges contains trim_space(range) if {
	ranges := input.spec.loadBalancerSourceRanges
	is_array(ranges)
	some range in ranges
	is_string(range)
}

source_ranges contains trim_space(range) if {
	value := annotations["service.beta.kubernetes.io/load-balancer-source-ranges"]
	is_string(value)
	some range in split(value, ",")
	trim_space(range) != ""
}

open_ranges := {"0.0.0.0/0", "::/0"}

restricted_source_ranges if {
	count(source_ranges) > 0
	count(source_ranges & open_ranges) == 0
}
