# METADATA
# title: Security group ingress
# description: |-
#   Checks the ingress rules of AWS::EC2::SecurityGroup (SecurityGroupIngress)
#   and standalone AWS::EC2::SecurityGroupIngress resources for SSH (tcp 22),
#   RDP (tcp or udp 3389), every tcp/udp port, or every protocol (IpProtocol -1) open
#   to the whole internet (CidrIp 0.0.0.0/0 or CidrIpv6 ::/0). Addresses,
#   protocols and ports from parameters or other intrinsic functions are not
#   judged (a parameter default is not what gets deployed); literal values in
#   Fn::If branches are. No parameters.
package aws.cloudformation.network

import data.aws.cloudformation.lib

# METADATA
# title: Security group must not open SSH, RDP or all ports to the internet
# description: |-
#   An ingress rule from 0.0.0.0/0 or ::/0 to SSH (tcp 22), RDP (tcp or udp
#   3389), every tcp/udp port, or every protocol exposes the instance to
#   credential brute force and exploits from anywhere. One finding per rule
#   and open address range.
# custom:
#   id: aws-sg-open-ingress
#   severity: high
#   remediation: Restrict CidrIp/CidrIpv6 to known address ranges or a source security group, and reach instances through AWS Systems Manager Session Manager or a bastion instead of open SSH/RDP.
#   docs: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
deny_sg_open_ingress contains result if {
	some ingress in ingress_rules
	some cidr in open_ranges(ingress)
	exposures := exposed(ingress.rule)
	count(exposures) > 0
	result := {
		"msg": sprintf("%s allows ingress from %s to %s", [lib.subject(ingress.resource), cidr.value, concat(" or ", sort(exposures))]),
		"field": cidr.path,
	}
}

# ingress_rules is the set of {"resource", "rule", "path"} ingress rules.
ingress_rules contains {"resource": r, "rule": item.value, "path": item.path} if {
	some r in lib.resources_of_type("AWS::EC2::SecurityGroup")
	some item in lib.array_items(r.properties.SecurityGroupIngress, lib.field(r, ["SecurityGroupIngress"]))
	is_object(item.value)
	not lib.is_intrinsic(item.value)
}

ingress_rules contains {"resource": r, "rule": r.properties, "path": lib.field(r, [])} if {
	some r in lib.resources_of_type("AWS::EC2::SecurityGroupIngress")
}

open_cidrs := {"0.0.0.0/0", "::/0"}

# open_ranges is the set of {"value", "path"} of CidrIp/CidrIpv6 values of
# a rule that are (or may be, in an Fn::If branch) the whole internet.
open_ranges(ingress) := {alt |
	some key in ["CidrIp", "CidrIpv6"]
	some alt in lib.property_alternatives(ingress.rule, key, ingress.path)
	alt.value in open_cidrs
}

# exposed is the set of descriptions of what a rule opens, empty when it
# opens neither SSH, RDP, all ports nor all protocols (or is unknown).
exposed(rule) := {description |
	some protocol in lib.alternatives(rule.IpProtocol, [])
	some description in protocol_exposure(protocol.value, rule)
}

all_protocols(-1)

all_protocols("-1")

protocol_name(p) := "tcp" if {
	normalize_protocol(p) in {"tcp", "6"}
} else := "udp" if {
	normalize_protocol(p) in {"udp", "17"}
}

normalize_protocol(p) := lower(p) if {
	is_string(p)
} else := format_int(p, 10) if {
	is_number(p)
}

protocol_exposure(protocol, rule) := {"all traffic (IpProtocol -1)"} if {
	all_protocols(protocol)
} else := {description |
	name := protocol_name(protocol)
	some from in lib.alternatives(rule.FromPort, [])
	some to in lib.alternatives(rule.ToPort, [])
	description := range_exposure(name, port(from.value), port(to.value))
}

# port converts a literal port (number or numeric string) to a number.
port(v) := v if {
	is_number(v)
} else := to_number(v) if {
	is_string(v)
	regex.match(`^-?[0-9]+$`, v)
}

# range_exposure describes a literal port range that includes every port,
# SSH or RDP; undefined otherwise.
range_exposure(name, low, high) := sprintf("every %s port (%s-%s)", [name, format_int(low, 10), format_int(high, 10)]) if {
	low <= 0
	high >= 65535
} else := sprintf("%s port %s (%s)", [name, format_int(low, 10), concat(", ", services)]) if {
	services := sort(services_in(name, low, high))
	count(services) > 0
	low == high
} else := sprintf("%s ports %s-%s (includes %s)", [name, format_int(low, 10), format_int(high, 10), concat(", ", services)]) if {
	services := sort(services_in(name, low, high))
	count(services) > 0
}

well_known := [
	{"protocols": {"tcp"}, "port": 22, "service": "SSH"},
	{"protocols": {"tcp", "udp"}, "port": 3389, "service": "RDP"},
]

services_in(name, low, high) := {s.service |
	some s in well_known
	name in s.protocols
	low <= s.port
	high >= s.port
}
