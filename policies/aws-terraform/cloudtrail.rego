# METADATA
# title: CloudTrail trails
# description: |-
#   Checks aws_cloudtrail resources: the trail must be logging and must
#   validate its log files. Values from variables are not judged. No
#   parameters.
package aws.terraform.cloudtrail

import data.aws.terraform.lib

# METADATA
# title: CloudTrail trail must be logging
# description: |-
#   A trail with enable_logging = false records nothing: API activity in the
#   account goes unaudited and incidents cannot be investigated. A literal
#   false (or "false") is a finding; the argument defaults to true, so a
#   missing one is not, and a variable is not judged.
# custom:
#   id: aws-cloudtrail-disabled
#   severity: high
#   remediation: Remove enable_logging or set it to true.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#enable_logging
deny_cloudtrail_disabled contains result if {
	some r in lib.resources_of_type("aws_cloudtrail")
	lib.is_false(r.body.enable_logging)
	result := {
		"msg": sprintf("%s is not logging (enable_logging = false)", [r.address]),
		"field": lib.field(r, ["enable_logging"]),
	}
}

# METADATA
# title: CloudTrail trail must validate log files
# description: |-
#   With enable_log_file_validation = true, CloudTrail delivers signed digest
#   files, so a modified or deleted log file can be detected. The argument
#   defaults to false: a missing argument or a literal other than true is a
#   finding; a variable is not judged.
# custom:
#   id: aws-cloudtrail-log-validation
#   severity: medium
#   remediation: Set enable_log_file_validation = true.
#   docs: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
deny_cloudtrail_log_validation contains result if {
	some r in lib.resources_of_type("aws_cloudtrail")
	reason := lib.not_true_reason(r.body, "enable_log_file_validation")
	result := {
		"msg": sprintf("%s does not validate log files: it %s", [r.address, reason]),
		"field": lib.field(r, ["enable_log_file_validation"]),
	}
}
