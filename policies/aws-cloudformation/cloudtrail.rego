# METADATA
# title: CloudTrail trails
# description: |-
#   Checks AWS::CloudTrail::Trail resources: the trail must be logging and
#   must validate its log files. No parameters.
package aws.cloudformation.cloudtrail

import data.aws.cloudformation.lib

# METADATA
# title: CloudTrail trail must be logging
# description: |-
#   A trail with IsLogging false records nothing: API activity in the
#   account goes unaudited and incidents cannot be investigated. A literal
#   false (or "false"), also in either branch of an Fn::If, is a finding; a
#   value from a parameter is not judged.
# custom:
#   id: aws-cloudtrail-disabled
#   severity: high
#   remediation: Set IsLogging to true.
#   docs: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
deny_cloudtrail_disabled contains result if {
	some r in lib.resources_of_type("AWS::CloudTrail::Trail")
	paths := lib.false_paths(r.properties, "IsLogging", lib.field(r, []))
	count(paths) > 0
	result := {
		"msg": sprintf("%s is not logging (IsLogging: false)", [lib.subject(r)]),
		"field": lib.first_path(paths),
	}
}

# METADATA
# title: CloudTrail trail must validate log files
# description: |-
#   With EnableLogFileValidation true, CloudTrail delivers signed digest
#   files, so a modified or deleted log file can be detected. The property
#   defaults to false: a missing property or a literal false (also in an
#   Fn::If branch) is a finding; a value from a parameter is not judged.
# custom:
#   id: aws-cloudtrail-log-validation
#   severity: medium
#   remediation: Set EnableLogFileValidation to true.
#   docs: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
deny_cloudtrail_log_validation contains result if {
	some r in lib.resources_of_type("AWS::CloudTrail::Trail")
	paths := lib.not_true_paths(r.properties, "EnableLogFileValidation", lib.field(r, []))
	count(paths) > 0
	result := {
		"msg": sprintf("%s does not validate log files: it %s", [lib.subject(r), lib.not_true_reason(r.properties, "EnableLogFileValidation")]),
		"field": lib.first_path(paths),
	}
}
