# METADATA
# title: KMS keys
# description: |-
#   Checks AWS::KMS::Key resources for automatic key rotation. No parameters.
package aws.cloudformation.kms

import data.aws.cloudformation.lib

# METADATA
# title: Symmetric KMS key must rotate automatically
# description: |-
#   EnableKeyRotation must be true on symmetric encryption keys (KeySpec
#   absent or SYMMETRIC_DEFAULT) with AWS-generated key material (Origin
#   absent or AWS_KMS), so that the key material is replaced every year (or
#   the RotationPeriodInDays set). Asymmetric and HMAC keys, imported key
#   material and custom key stores cannot rotate automatically and are
#   skipped, as are keys whose KeySpec or Origin comes from a parameter. A
#   missing property or a literal false (also in an Fn::If branch) is a
#   finding; a parameter is not judged.
# custom:
#   id: aws-kms-rotation
#   severity: medium
#   remediation: Set EnableKeyRotation to true on the AWS::KMS::Key (optionally with RotationPeriodInDays).
#   docs: https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
deny_kms_rotation_disabled contains result if {
	some r in lib.resources_of_type("AWS::KMS::Key")
	symmetric(r.properties)
	aws_kms_origin(r.properties)
	paths := lib.not_true_paths(r.properties, "EnableKeyRotation", lib.field(r, []))
	count(paths) > 0
	result := {
		"msg": sprintf("%s does not rotate its key material: it %s", [lib.subject(r), lib.not_true_reason(r.properties, "EnableKeyRotation")]),
		"field": lib.first_path(paths),
	}
}

symmetric(properties) if not lib.has_value(properties, "KeySpec")

symmetric(properties) if properties.KeySpec == "SYMMETRIC_DEFAULT"

aws_kms_origin(properties) if not lib.has_value(properties, "Origin")

aws_kms_origin(properties) if properties.Origin == "AWS_KMS"
