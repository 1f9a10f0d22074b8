package aws.terraform.ec2_test

import data.aws.terraform.ec2
import data.aws.terraform.fixtures_test as fx

volume(body) := fx.resource("aws_ebs_volume", "data", object.union({"availability_zone": "eu-west-1a", "size": 10}, body))

test_ebs_encrypted_passes if {
	every doc in [
		volume({"encrypted": true}),
		volume({"encrypted": "${var.encrypted}"}),
		volume({"snapshot_id": "snap-1"}),
		fx.resource("aws_instance", "vm", {"ami": "ami-1"}),
		fx.resource("aws_instance", "vm", {"root_block_device": [{"encrypted": true}], "ebs_block_device": [{"device_name": "/dev/sdh", "snapshot_id": "snap-1"}]}),
		fx.resource("aws_instance", "vm", {"dynamic": {"ebs_block_device": [{"for_each": "${var.d}", "content": [{"encrypted": false}]}]}}),
		fx.resource("aws_launch_template", "lt", {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]}]}),
	] {
		count(ec2.deny_ebs_unencrypted) == 0 with input as doc
	}
}

test_ebs_encryption_by_default_passes if {
	every enabled in [{}, {"enabled": true}, {"enabled": "${var.x}"}] {
		doc := {"resource": {
			"aws_ebs_volume": {"data": [{"size": 10}]},
			"aws_ebs_encryption_by_default": {"this": [enabled]},
		}}
		count(ec2.deny_ebs_unencrypted) == 0 with input as doc
	}
}

test_ebs_volume_unencrypted_denied if {
	result := ec2.deny_ebs_unencrypted with input as volume({})
	result == {{
		"msg": "aws_ebs_volume.data is not encrypted: it does not set encrypted",
		"field": ["resource", "aws_ebs_volume", "data", 0, "encrypted"],
	}}
}

test_ebs_volume_encryption_by_default_off_denied if {
	doc := {"resource": {
		"aws_ebs_volume": {"data": [{"size": 10, "encrypted": false}]},
		"aws_ebs_encryption_by_default": {"this": [{"enabled": false}]},
	}}
	result := ec2.deny_ebs_unencrypted with input as doc
	result == {{
		"msg": "aws_ebs_volume.data is not encrypted: it sets encrypted = false",
		"field": ["resource", "aws_ebs_volume", "data", 0, "encrypted"],
	}}
}

test_instance_block_devices_denied if {
	doc := fx.resource("aws_instance", "vm", {
		"root_block_device": [{"volume_size": 20}],
		"ebs_block_device": [{"device_name": "/dev/sdh", "encrypted": false, "snapshot_id": "snap-1"}],
	})
	result := ec2.deny_ebs_unencrypted with input as doc
	result == {
		{
			"msg": "The root_block_device of aws_instance.vm is not encrypted: it does not set encrypted",
			"field": ["resource", "aws_instance", "vm", 0, "root_block_device", 0, "encrypted"],
		},
		{
			"msg": "The ebs_block_device /dev/sdh of aws_instance.vm is not encrypted: it sets encrypted = false",
			"field": ["resource", "aws_instance", "vm", 0, "ebs_block_device", 0, "encrypted"],
		},
	}
}

test_launch_template_denied if {
	doc := fx.resource("aws_launch_template", "lt", {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"volume_size": 20, "encrypted": "false"}]}]})
	result := ec2.deny_ebs_unencrypted with input as doc
	result == {{
		"msg": `The block_device_mappings /dev/xvda of aws_launch_template.lt is not encrypted: it sets encrypted = "false"`,
		"field": ["resource", "aws_launch_template", "lt", 0, "block_device_mappings", 0, "ebs", 0, "encrypted"],
	}}
}
