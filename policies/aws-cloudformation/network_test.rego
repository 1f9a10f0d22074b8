package aws.cloudformation.network_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.network

group(ingress) := fx.template({"Web": fx.resource("AWS::EC2::SecurityGroup", {"GroupDescription": "web", "SecurityGroupIngress": ingress})})

rule(protocol, from, to, cidr) := {"IpProtocol": protocol, "FromPort": from, "ToPort": to, "CidrIp": cidr}

path(rest) := array.concat(["Resources", "Web", "Properties", "SecurityGroupIngress"], rest)

test_restricted_ingress_passes if {
	doc := group([
		rule("tcp", 443, 443, "0.0.0.0/0"),
		rule("tcp", 80, 80, "0.0.0.0/0"),
		rule("tcp", 22, 22, "10.0.0.0/8"),
		rule("tcp", 22, 22, {"Ref": "SSHLocation"}),
		rule("tcp", {"Ref": "Port"}, {"Ref": "Port"}, "0.0.0.0/0"),
		rule({"Ref": "Protocol"}, 22, 22, "0.0.0.0/0"),
		rule("icmp", -1, -1, "0.0.0.0/0"),
		rule("udp", 22, 22, "0.0.0.0/0"),
		{"IpProtocol": "-1", "SourceSecurityGroupId": {"Ref": "Lb"}},
		{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv6": "2001:db8::/32"},
	])
	count(network.deny_sg_open_ingress) == 0 with input as doc
}

test_ssh_open if {
	result := network.deny_sg_open_ingress with input as group([rule("tcp", 443, 443, "0.0.0.0/0"), rule("tcp", 22, 22, "0.0.0.0/0")])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)`,
		"field": path([1, "CidrIp"]),
	}}
}

test_rdp_open_ipv6_udp_string_ports if {
	result := network.deny_sg_open_ingress with input as group([{"IpProtocol": "UDP", "FromPort": "3389", "ToPort": "3389", "CidrIpv6": "::/0"}])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from ::/0 to udp port 3389 (RDP)`,
		"field": path([0, "CidrIpv6"]),
	}}
}

test_all_protocols_open if {
	result := network.deny_sg_open_ingress with input as group([{"IpProtocol": -1, "CidrIp": "0.0.0.0/0"}, {"IpProtocol": "-1", "CidrIpv6": "::/0"}])
	result == {
		{"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to all traffic (IpProtocol -1)`, "field": path([0, "CidrIp"])},
		{"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from ::/0 to all traffic (IpProtocol -1)`, "field": path([1, "CidrIpv6"])},
	}
}

test_numeric_protocol if {
	result := network.deny_sg_open_ingress with input as group([rule(6, 3389, 3389, "0.0.0.0/0"), rule(17, 53, 53, "0.0.0.0/0")])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to tcp port 3389 (RDP)`,
		"field": path([0, "CidrIp"]),
	}}
}

test_all_ports_open if {
	result := network.deny_sg_open_ingress with input as group([rule("6", 0, 65535, "0.0.0.0/0")])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to every tcp port (0-65535)`,
		"field": path([0, "CidrIp"]),
	}}
}

test_port_range_including_ssh_and_rdp if {
	result := network.deny_sg_open_ingress with input as group([rule("tcp", 20, 4000, "0.0.0.0/0")])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to tcp ports 20-4000 (includes RDP, SSH)`,
		"field": path([0, "CidrIp"]),
	}}
}

test_open_cidr_in_if_branch if {
	result := network.deny_sg_open_ingress with input as group([rule("tcp", 22, 22, fx.if_("0.0.0.0/0", "10.0.0.0/8"))])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)`,
		"field": path([0, "CidrIp", "Fn::If", 1]),
	}}
}

test_open_rule_in_if_branches if {
	ingress := fx.if_(fx.no_value, [rule("tcp", 443, 443, "0.0.0.0/0"), fx.if_(rule("tcp", 3389, 3389, "0.0.0.0/0"), fx.no_value)])
	result := network.deny_sg_open_ingress with input as group(ingress)
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to tcp port 3389 (RDP)`,
		"field": path(["Fn::If", 2, 1, "Fn::If", 1, "CidrIp"]),
	}}
}

test_protocol_in_if_branches if {
	result := network.deny_sg_open_ingress with input as group([rule(fx.if_("-1", "tcp"), 22, 22, "0.0.0.0/0")])
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Web" allows ingress from 0.0.0.0/0 to all traffic (IpProtocol -1) or tcp port 22 (SSH)`,
		"field": path([0, "CidrIp"]),
	}}
}

test_standalone_ingress_resource if {
	doc := fx.template({"SshIn": fx.resource("AWS::EC2::SecurityGroupIngress", {"GroupId": {"Ref": "Web"}, "IpProtocol": "tcp", "FromPort": "22", "ToPort": "22", "CidrIp": "0.0.0.0/0"})})
	result := network.deny_sg_open_ingress with input as doc
	result == {{
		"msg": `AWS::EC2::SecurityGroupIngress "SshIn" allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)`,
		"field": ["Resources", "SshIn", "Properties", "CidrIp"],
	}}
}

test_serverless_security_group if {
	doc := fx.serverless({"Bastion": fx.resource("AWS::EC2::SecurityGroup", {"SecurityGroupIngress": [rule("tcp", 22, 22, "0.0.0.0/0")]})})
	result := network.deny_sg_open_ingress with input as doc
	result == {{
		"msg": `AWS::EC2::SecurityGroup "Bastion" allows ingress from 0.0.0.0/0 to tcp port 22 (SSH)`,
		"field": ["resources", "Resources", "Bastion", "Properties", "SecurityGroupIngress", 0, "CidrIp"],
	}}
}
