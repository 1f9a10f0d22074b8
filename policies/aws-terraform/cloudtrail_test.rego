package aws.terraform.cloudtrail_test

import data.aws.terraform.cloudtrail
import data.aws.terraform.fixtures_test as fx

trail(body) := fx.resource("aws_cloudtrail", "main", object.union({"name": "main", "s3_bucket_name": "trail-logs"}, body))

# --- deny_cloudtrail_disabled -----------------------------------------------

test_cloudtrail_logging_passes if {
	every body in [{}, {"enable_logging": true}, {"enable_logging": "${var.enabled}"}] {
		count(cloudtrail.deny_cloudtrail_disabled) == 0 with input as trail(body)
	}
}

test_cloudtrail_disabled_denied if {
	result := cloudtrail.deny_cloudtrail_disabled with input as trail({"enable_logging": false})
	result == {{
		"msg": "aws_cloudtrail.main is not logging (enable_logging = false)",
		"field": ["resource", "aws_cloudtrail", "main", 0, "enable_logging"],
	}}
}

# --- deny_cloudtrail_log_validation -----------------------------------------

test_cloudtrail_log_validation_passes if {
	every body in [{"enable_log_file_validation": true}, {"enable_log_file_validation": "${var.validate}"}] {
		count(cloudtrail.deny_cloudtrail_log_validation) == 0 with input as trail(body)
	}
}

test_cloudtrail_log_validation_missing_denied if {
	result := cloudtrail.deny_cloudtrail_log_validation with input as trail({})
	result == {{
		"msg": "aws_cloudtrail.main does not validate log files: it does not set enable_log_file_validation",
		"field": ["resource", "aws_cloudtrail", "main", 0, "enable_log_file_validation"],
	}}
}

test_cloudtrail_log_validation_false_denied if {
	result := cloudtrail.deny_cloudtrail_log_validation with input as trail({"enable_log_file_validation": "false"})
	result == {{
		"msg": `aws_cloudtrail.main does not validate log files: it sets enable_log_file_validation = "false"`,
		"field": ["resource", "aws_cloudtrail", "main", 0, "enable_log_file_validation"],
	}}
}
