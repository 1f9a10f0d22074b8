# METADATA
# title: EBS volumes
# description: |-
#   Checks that EBS volumes are encrypted: aws_ebs_volume, the
#   root_block_device and ebs_block_device blocks of aws_instance and
#   aws_launch_configuration, and the ebs blocks of the
#   block_device_mappings of aws_launch_template. Only static blocks are
#   read (`dynamic` blocks are unknown). A file that turns on EBS encryption
#   by default (an aws_ebs_encryption_by_default whose enabled is not a
#   literal false) produces no finding. No parameters.
package aws.terraform.ec2

import data.aws.terraform.lib

# METADATA
# title: EBS volume must be encrypted
# description: |-
#   encrypted must be true on the volume or block device; otherwise the
#   volume, its snapshots and the data in transit to the instance are in
#   plaintext unless the account happens to have EBS encryption by default
#   turned on. A volume or block device created from a snapshot_id without
#   encrypted inherits the snapshot's encryption and is skipped. The
#   argument defaults to false: a missing argument or a literal other than
#   true is a finding; a variable is not judged.
# custom:
#   id: aws-ebs-encryption
#   severity: high
#   remediation: Set encrypted = true (optionally with kms_key_id) on the aws_ebs_volume or block device, and turn on EBS encryption by default in every Region of the account (aws_ebs_encryption_by_default).
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#encrypted
deny_ebs_unencrypted contains result if {
	not encrypted_by_default
	some volume in volumes
	not inherits_snapshot(volume.value)
	reason := lib.not_true_reason(volume.value, "encrypted")
	result := {
		"msg": sprintf("%s is not encrypted: it %s", [volume.subject, reason]),
		"field": array.concat(volume.path, ["encrypted"]),
	}
}

# volumes is the set of {"subject", "value": <object holding encrypted>,
# "path": <path of that object>}.
volumes contains {"subject": r.address, "value": r.body, "path": r.path} if {
	some r in lib.resources_of_type("aws_ebs_volume")
}

volumes contains {"subject": sprintf("%s of %s", [label(kind, device.value), r.address]), "value": device.value, "path": device.path} if {
	some r in lib.resources
	r.type in {"aws_instance", "aws_launch_configuration"}
	some kind in ["root_block_device", "ebs_block_device"]
	some device in lib.blocks(r.body, kind, r.path)
}

volumes contains {"subject": sprintf("%s of %s", [label("block_device_mappings", mapping.value), r.address]), "value": ebs.value, "path": ebs.path} if {
	some r in lib.resources_of_type("aws_launch_template")
	some mapping in lib.blocks(r.body, "block_device_mappings", r.path)
	some ebs in lib.blocks(mapping.value, "ebs", mapping.path)
}

label(kind, block) := sprintf("The %s %s", [kind, block.device_name]) if {
	lib.literal_string(block.device_name)
} else := sprintf("The %s", [kind])

inherits_snapshot(value) if {
	lib.has_value(value, "snapshot_id")
	not lib.has_value(value, "encrypted")
}

encrypted_by_default if {
	some r in lib.resources_of_type("aws_ebs_encryption_by_default")
	not lib.false_attribute(r.body, "enabled")
}
