package aws.cloudformation.ec2_test

import data.aws.cloudformation.ec2
import data.aws.cloudformation.fixtures_test as fx

volume(properties) := fx.template({"Data": fx.resource("AWS::EC2::Volume", object.union({"Size": 100, "AvailabilityZone": "eu-west-1a"}, properties))})

test_encrypted_volume_passes if {
	count(ec2.deny_ebs_unencrypted) == 0 with input as volume({"Encrypted": true})
	count(ec2.deny_ebs_unencrypted) == 0 with input as volume({"Encrypted": {"Ref": "Encrypt"}})
	count(ec2.deny_ebs_unencrypted) == 0 with input as volume({"SnapshotId": "snap-0123"})
}

test_unencrypted_volume if {
	result := ec2.deny_ebs_unencrypted with input as volume({})
	result == {{
		"msg": `AWS::EC2::Volume "Data" volume is not encrypted: it does not set Encrypted`,
		"field": ["Resources", "Data", "Properties", "Encrypted"],
	}}
}

test_unencrypted_volume_from_snapshot_false if {
	result := ec2.deny_ebs_unencrypted with input as volume({"SnapshotId": "snap-0123", "Encrypted": "false"})
	result == {{
		"msg": `AWS::EC2::Volume "Data" volume is not encrypted: it sets Encrypted to false`,
		"field": ["Resources", "Data", "Properties", "Encrypted"],
	}}
}

test_unencrypted_volume_if_branch if {
	result := ec2.deny_ebs_unencrypted with input as volume({"Encrypted": fx.if_(false, true)})
	result == {{
		"msg": `AWS::EC2::Volume "Data" volume is not encrypted: it sets Encrypted to a value other than true in an Fn::If branch`,
		"field": ["Resources", "Data", "Properties", "Encrypted", "Fn::If", 1],
	}}
}

launch_template(mappings) := fx.template({"Lt": fx.resource("AWS::EC2::LaunchTemplate", {"LaunchTemplateData": {"ImageId": "ami-1", "BlockDeviceMappings": mappings}})})

test_launch_template_mappings if {
	mappings := [
		{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "Encrypted": true}},
		{"DeviceName": "/dev/xvdb", "Ebs": {"VolumeSize": 50}},
		{"DeviceName": "/dev/xvdc", "VirtualName": "ephemeral0"},
		{"DeviceName": "/dev/xvdd", "Ebs": {"SnapshotId": "snap-1"}},
		{"DeviceName": "/dev/xvde", "Ebs": {"Ref": "EbsSettings"}},
	]
	result := ec2.deny_ebs_unencrypted with input as launch_template(mappings)
	result == {{
		"msg": `AWS::EC2::LaunchTemplate "Lt" block device mapping /dev/xvdb is not encrypted: it does not set Encrypted`,
		"field": ["Resources", "Lt", "Properties", "LaunchTemplateData", "BlockDeviceMappings", 1, "Ebs", "Encrypted"],
	}}
}

test_launch_template_mapping_in_if if {
	mappings := [fx.if_({"Ebs": {"Encrypted": false}}, fx.no_value)]
	result := ec2.deny_ebs_unencrypted with input as launch_template(mappings)
	result == {{
		"msg": `AWS::EC2::LaunchTemplate "Lt" block device mapping is not encrypted: it sets Encrypted to false`,
		"field": ["Resources", "Lt", "Properties", "LaunchTemplateData", "BlockDeviceMappings", 0, "Fn::If", 1, "Ebs", "Encrypted"],
	}}
}

test_instance_and_launch_configuration_mappings if {
	every type in ["AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration"] {
		doc := fx.template({"Node": fx.resource(type, {"ImageId": "ami-1", "BlockDeviceMappings": [{"DeviceName": "/dev/sdm", "Ebs": {"VolumeSize": 8, "Encrypted": false}}]})})
		result := ec2.deny_ebs_unencrypted with input as doc
		result == {{
			"msg": sprintf(`%s "Node" block device mapping /dev/sdm is not encrypted: it sets Encrypted to false`, [type]),
			"field": ["Resources", "Node", "Properties", "BlockDeviceMappings", 0, "Ebs", "Encrypted"],
		}}
	}
}

test_serverless_volume if {
	result := ec2.deny_ebs_unencrypted with input as fx.serverless({"Data": fx.resource("AWS::EC2::Volume", {"Size": 1})})
	result == {{
		"msg": `AWS::EC2::Volume "Data" volume is not encrypted: it does not set Encrypted`,
		"field": ["resources", "Resources", "Data", "Properties", "Encrypted"],
	}}
}
