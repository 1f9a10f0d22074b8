# METADATA
# title: Security group ingress
# description: |-
#   Checks ingress rules for SSH (tcp 22), RDP (tcp or udp 3389), every
#   tcp/udp port, or every protocol (-1) open to the whole internet
#   (0.0.0.0/0 or ::/0):
#   - ingress blocks of aws_security_group and aws_default_security_group
#     (cidr_blocks, ipv6_cidr_blocks);
#   - aws_security_group_rule with type = "ingress" (cidr_blocks,
#     ipv6_cidr_blocks);
#   - aws_vpc_security_group_ingress_rule (cidr_ipv4, cidr_ipv6).
#   Only literal values are judged: a CIDR list, protocol or port from a
#   variable, a computed list (concat(...)) and `dynamic "ingress"` blocks
#   are unknown and never reported; a literal "0.0.0.0/0" element of a list
#   that also holds expressions is. No parameters.
package aws.terraform.network

import data.aws.terraform.lib

# METADATA
# title: Security group must not open SSH, RDP or all ports to the internet
# description: |-
#   An ingress rule from 0.0.0.0/0 or ::/0 to SSH (tcp 22), RDP (tcp or udp
#   3389), every tcp/udp port, or every protocol (-1, "all") exposes
#   instances to credential brute force and exploits from anywhere. One
#   finding per rule and open address range, at that range.
# custom:
#   id: aws-sg-open-ingress
#   severity: high
#   remediation: Restrict cidr_blocks/ipv6_cidr_blocks (cidr_ipv4/cidr_ipv6) to known address ranges or reference a source security group, and reach instances through AWS Systems Manager Session Manager or a bastion instead of open SSH/RDP.
#   docs: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
deny_sg_open_ingress contains result if {
	some ingress in ingress_rules
	some source in open_sources(ingress)
	exposures := exposed(ingress.rule, ingress.keys)
	count(exposures) > 0
	result := {
		"msg": sprintf("%s allows ingress from %s to %s", [ingress.owner, source.cidr, concat(" or ", sort(exposures))]),
		"field": source.path,
	}
}

# Argument names of the two rule styles.
block_keys := {"protocol": "protocol", "cidrs": ["cidr_blocks", "ipv6_cidr_blocks"]}

vpc_rule_keys := {"protocol": "ip_protocol", "cidrs": ["cidr_ipv4", "cidr_ipv6"]}

# ingress_rules is the set of {"owner", "rule", "path", "keys"} ingress rules.
ingress_rules contains {"owner": sprintf("%s (ingress block %d)", [r.address, i]), "rule": item.value, "path": item.path, "keys": block_keys} if {
	some r in lib.resources
	r.type in {"aws_security_group", "aws_default_security_group"}
	some item in lib.blocks(r.body, "ingress", r.path)
	i := item.path[count(item.path) - 1]
}

ingress_rules contains {"owner": r.address, "rule": r.body, "path": r.path, "keys": block_keys} if {
	some r in lib.resources_of_type("aws_security_group_rule")
	r.body.type == "ingress"
}

ingress_rules contains {"owner": r.address, "rule": r.body, "path": r.path, "keys": vpc_rule_keys} if {
	some r in lib.resources_of_type("aws_vpc_security_group_ingress_rule")
}

open_cidrs := {"0.0.0.0/0", "::/0"}

# open_sources is the set of {"cidr", "path"} of the literal internet-wide
# ranges of a rule: list elements (cidr_blocks) or single values (cidr_ipv4).
open_sources(ingress) := {{"cidr": cidr, "path": array.concat(ingress.path, [key, i])} |
	some key in ingress.keys.cidrs
	list := ingress.rule[key]
	is_array(list)
	some i, cidr in list
	cidr in open_cidrs
} | {{"cidr": cidr, "path": array.concat(ingress.path, [key])} |
	some key in ingress.keys.cidrs
	cidr := ingress.rule[key]
	cidr in open_cidrs
}

# exposed is the set of descriptions of what a rule opens; empty when it
# opens neither SSH, RDP, every port nor every protocol, or is unknown.
exposed(rule, keys) := {"all traffic (protocol -1)"} if {
	normalize_protocol(rule[keys.protocol]) in {"-1", "all"}
} else := {description |
	name := protocol_name(rule[keys.protocol])
	description := range_exposure(name, port(rule.from_port), port(rule.to_port))
}

protocol_name(p) := "tcp" if {
	normalize_protocol(p) in {"tcp", "6"}
} else := "udp" if {
	normalize_protocol(p) in {"udp", "17"}
}

# normalize_protocol turns a literal protocol name or number into a
# lower-case string. Numbers outside -1..255 are not protocols (and
# format_int aborts a wasm evaluation on huge numbers): undefined.
normalize_protocol(p) := lower(p) if {
	is_string(p)
} else := format_int(p, 10) if {
	is_number(p)
	p >= -1
	p <= 255
}

# port converts a literal port (number or numeric string) to a number;
# undefined outside -1..65535.
port(v) := n if {
	n := port_number(v)
	n >= -1
	n <= 65535
}

port_number(v) := v if {
	is_number(v)
} else := to_number(v) if {
	is_string(v)
	regex.match(`^-?[0-9]{1,6}$`, v)
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
