# METADATA
# title: EBS volumes
# description: |-
#   Checks that EBS volumes are encrypted: AWS::EC2::Volume, and the EBS
#   block device mappings of AWS::EC2::LaunchTemplate
#   (LaunchTemplateData.BlockDeviceMappings), AWS::EC2::Instance and
#   AWS::AutoScaling::LaunchConfiguration (BlockDeviceMappings). No
#   parameters.
package aws.cloudformation.ec2

import data.aws.cloudformation.lib

# METADATA
# title: EBS volume must be encrypted
# description: |-
#   Encrypted must be true on the volume or on the Ebs settings of each block
#   device mapping; otherwise the volume, its snapshots and the data in
#   transit to the instance are in plaintext unless the account happens to
#   have EBS encryption by default turned on. A volume or mapping created
#   from a SnapshotId without Encrypted inherits the snapshot's encryption and
#   is skipped; instance store mappings (no Ebs) are not EBS. A literal false
#   or a missing property is a finding, also in an Fn::If branch; a
#   parameter is not judged.
# custom:
#   id: aws-ebs-encryption
#   severity: high
#   remediation: Set Encrypted to true (optionally with KmsKeyId) on the AWS::EC2::Volume or in Ebs of every block device mapping, and turn on EBS encryption by default in every Region of the account.
#   docs: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
deny_ebs_unencrypted contains result if {
	some volume in volumes
	not inherits_snapshot(volume.value)
	paths := lib.not_true_paths(volume.value, "Encrypted", volume.path)
	count(paths) > 0
	result := {
		"msg": sprintf("%s %s is not encrypted: it %s", [lib.subject(volume.resource), volume.label, lib.not_true_reason(volume.value, "Encrypted")]),
		"field": lib.first_path(paths),
	}
}

# volumes is the set of {"resource", "label", "value": <object holding
# Encrypted>, "path": <path of that object>}.
volumes contains {"resource": r, "label": "volume", "value": r.properties, "path": lib.field(r, [])} if {
	some r in lib.resources_of_type("AWS::EC2::Volume")
}

volumes contains {"resource": mapping.resource, "label": label(mapping.value), "value": ebs.value, "path": ebs.path} if {
	some mapping in mappings
	some ebs in lib.property_alternatives(mapping.value, "Ebs", mapping.path)
	is_object(ebs.value)
	not lib.is_intrinsic(ebs.value)
}

# mappings is the set of block device mappings {"resource", "value", "path"}.
mappings contains {"resource": r, "value": item.value, "path": item.path} if {
	some r in lib.resources_of_type("AWS::EC2::LaunchTemplate")
	some launch_data in lib.property_alternatives(r.properties, "LaunchTemplateData", lib.field(r, []))
	some item in lib.array_items(launch_data.value.BlockDeviceMappings, array.concat(launch_data.path, ["BlockDeviceMappings"]))
	is_object(item.value)
}

mappings contains {"resource": r, "value": item.value, "path": item.path} if {
	some r in lib.resources
	r.type in {"AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration"}
	some item in lib.array_items(r.properties.BlockDeviceMappings, lib.field(r, ["BlockDeviceMappings"]))
	is_object(item.value)
}

label(mapping) := sprintf("block device mapping %s", [mapping.DeviceName]) if {
	is_string(mapping.DeviceName)
} else := "block device mapping"

inherits_snapshot(value) if {
	lib.has_value(value, "SnapshotId")
	not lib.has_value(value, "Encrypted")
}
