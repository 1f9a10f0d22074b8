package aws.terraform.network_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.network

sg(ingress) := fx.resource("aws_security_group", "web", {"name": "web", "ingress": ingress})

sg_path := fx.path("aws_security_group", "web")

rule(body) := fx.resource("aws_security_group_rule", "in", object.union({"type": "ingress"}, body))

vpc_rule(body) := fx.resource("aws_vpc_security_group_ingress_rule", "in", body)

test_restricted_ingress_passes if {
	doc := sg([
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]},
		{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]},
		{"from_port": 80, "to_port": 443, "protocol": "6", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 3389, "to_port": 3389, "protocol": "icmp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 0, "to_port": 0, "protocol": "-1", "self": true},
	])
	count(network.deny_sg_open_ingress) == 0 with input as doc
}

test_unknown_values_pass if {
	doc := sg([
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": "${var.cidrs}"},
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["${var.cidr}"]},
		{"from_port": "${var.port}", "to_port": "${var.port}", "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 0, "to_port": 0, "protocol": "${var.protocol}", "cidr_blocks": ["0.0.0.0/0"]},
	])
	count(network.deny_sg_open_ingress) == 0 with input as doc
}

test_dynamic_ingress_passes if {
	doc := fx.resource("aws_security_group", "web", {"dynamic": {"ingress": [{
		"for_each": "${var.rules}",
		"content": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}],
	}]}})
	count(network.deny_sg_open_ingress) == 0 with input as doc
}

test_egress_rule_passes if {
	doc := fx.resource("aws_security_group_rule", "out", {"type": "egress", "from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]})
	count(network.deny_sg_open_ingress) == 0 with input as doc
}

test_ssh_open_denied if {
	result := network.deny_sg_open_ingress with input as sg([
		{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8", "0.0.0.0/0"]},
	])
	result == {{
		"msg": "aws_security_group.web (ingress block 1) allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)",
		"field": array.concat(sg_path, ["ingress", 1, "cidr_blocks", 1]),
	}}
}

test_all_traffic_ipv4_and_ipv6_denied if {
	result := network.deny_sg_open_ingress with input as sg([{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]}])
	result == {
		{
			"msg": "aws_security_group.web (ingress block 0) allows ingress from 0.0.0.0/0 to all traffic (protocol -1)",
			"field": array.concat(sg_path, ["ingress", 0, "cidr_blocks", 0]),
		},
		{
			"msg": "aws_security_group.web (ingress block 0) allows ingress from ::/0 to all traffic (protocol -1)",
			"field": array.concat(sg_path, ["ingress", 0, "ipv6_cidr_blocks", 0]),
		},
	}
}

test_every_port_and_port_ranges_denied if {
	result := network.deny_sg_open_ingress with input as sg([
		{"from_port": 0, "to_port": 65535, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": "3000", "to_port": "4000", "protocol": "UDP", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 20, "to_port": 3389, "protocol": 6, "cidr_blocks": ["0.0.0.0/0"]},
	])
	result == {
		{
			"msg": "aws_security_group.web (ingress block 0) allows ingress from 0.0.0.0/0 to every tcp port (0-65535)",
			"field": array.concat(sg_path, ["ingress", 0, "cidr_blocks", 0]),
		},
		{
			"msg": "aws_security_group.web (ingress block 1) allows ingress from 0.0.0.0/0 to udp ports 3000-4000 (includes RDP)",
			"field": array.concat(sg_path, ["ingress", 1, "cidr_blocks", 0]),
		},
		{
			"msg": "aws_security_group.web (ingress block 2) allows ingress from 0.0.0.0/0 to tcp ports 20-3389 (includes RDP, SSH)",
			"field": array.concat(sg_path, ["ingress", 2, "cidr_blocks", 0]),
		},
	}
}

test_default_security_group_denied if {
	doc := fx.resource("aws_default_security_group", "default", {"ingress": [{"from_port": 3389, "to_port": 3389, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]})
	result := network.deny_sg_open_ingress with input as doc
	result == {{
		"msg": "aws_default_security_group.default (ingress block 0) allows ingress from 0.0.0.0/0 to tcp port 3389 (RDP)",
		"field": ["resource", "aws_default_security_group", "default", 0, "ingress", 0, "cidr_blocks", 0],
	}}
}

test_security_group_rule_passes if {
	count(network.deny_sg_open_ingress) == 0 with input as rule({"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["192.0.2.0/24"]})
	count(network.deny_sg_open_ingress) == 0 with input as rule({"from_port": 22, "to_port": 22, "protocol": "tcp", "source_security_group_id": "${aws_security_group.bastion.id}"})
}

test_security_group_rule_denied if {
	result := network.deny_sg_open_ingress with input as rule({"from_port": 22, "to_port": 22, "protocol": "tcp", "ipv6_cidr_blocks": ["::/0"]})
	result == {{
		"msg": "aws_security_group_rule.in allows ingress from ::/0 to tcp port 22 (SSH)",
		"field": ["resource", "aws_security_group_rule", "in", 0, "ipv6_cidr_blocks", 0],
	}}
}

test_vpc_ingress_rule_passes if {
	count(network.deny_sg_open_ingress) == 0 with input as vpc_rule({"from_port": 443, "to_port": 443, "ip_protocol": "tcp", "cidr_ipv4": "0.0.0.0/0"})
	count(network.deny_sg_open_ingress) == 0 with input as vpc_rule({"ip_protocol": "-1", "cidr_ipv4": "10.0.0.0/16"})
	count(network.deny_sg_open_ingress) == 0 with input as vpc_rule({"ip_protocol": "-1", "cidr_ipv4": "${var.cidr}"})
}

test_vpc_ingress_rule_denied if {
	result := network.deny_sg_open_ingress with input as vpc_rule({"ip_protocol": "all", "cidr_ipv6": "::/0"})
	result == {{
		"msg": "aws_vpc_security_group_ingress_rule.in allows ingress from ::/0 to all traffic (protocol -1)",
		"field": ["resource", "aws_vpc_security_group_ingress_rule", "in", 0, "cidr_ipv6"],
	}}
}

test_vpc_ingress_rule_ssh_denied if {
	result := network.deny_sg_open_ingress with input as vpc_rule({"ip_protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_ipv4": "0.0.0.0/0"})
	result == {{
		"msg": "aws_vpc_security_group_ingress_rule.in allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)",
		"field": ["resource", "aws_vpc_security_group_ingress_rule", "in", 0, "cidr_ipv4"],
	}}
}

test_out_of_range_values_pass if {
	doc := sg([
		{"from_port": -1, "to_port": 1e40, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": 0, "to_port": 0, "protocol": 1e40, "cidr_blocks": ["0.0.0.0/0"]},
		{"from_port": "0", "to_port": "99999999", "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
	])
	count(network.deny_sg_open_ingress) == 0 with input as doc
}
