package aws.cloudformation.cloudtrail_test

import data.aws.cloudformation.cloudtrail
import data.aws.cloudformation.fixtures_test as fx

trail(properties) := fx.template({"Trail": fx.resource("AWS::CloudTrail::Trail", object.union({"S3BucketName": {"Ref": "Logs"}}, properties))})

path(rest) := array.concat(["Resources", "Trail", "Properties"], rest)

test_logging_trail_passes if {
	doc := trail({"IsLogging": true, "EnableLogFileValidation": true})
	count(cloudtrail.deny_cloudtrail_disabled) == 0 with input as doc
	count(cloudtrail.deny_cloudtrail_log_validation) == 0 with input as doc
	count(cloudtrail.deny_cloudtrail_disabled) == 0 with input as trail({"IsLogging": {"Ref": "Logging"}})
	count(cloudtrail.deny_cloudtrail_disabled) == 0 with input as trail({})
}

test_trail_not_logging if {
	result := cloudtrail.deny_cloudtrail_disabled with input as trail({"IsLogging": false, "EnableLogFileValidation": true})
	result == {{
		"msg": `AWS::CloudTrail::Trail "Trail" is not logging (IsLogging: false)`,
		"field": path(["IsLogging"]),
	}}
}

test_trail_not_logging_string_and_if if {
	count(cloudtrail.deny_cloudtrail_disabled) == 1 with input as trail({"IsLogging": "False"})
	result := cloudtrail.deny_cloudtrail_disabled with input as trail({"IsLogging": fx.if_(true, false)})
	result == {{
		"msg": `AWS::CloudTrail::Trail "Trail" is not logging (IsLogging: false)`,
		"field": path(["IsLogging", "Fn::If", 2]),
	}}
}

test_log_validation_missing if {
	result := cloudtrail.deny_cloudtrail_log_validation with input as trail({"IsLogging": true})
	result == {{
		"msg": `AWS::CloudTrail::Trail "Trail" does not validate log files: it does not set EnableLogFileValidation`,
		"field": path(["EnableLogFileValidation"]),
	}}
}

test_log_validation_false_and_parameter if {
	result := cloudtrail.deny_cloudtrail_log_validation with input as trail({"IsLogging": true, "EnableLogFileValidation": false})
	result == {{
		"msg": `AWS::CloudTrail::Trail "Trail" does not validate log files: it sets EnableLogFileValidation to false`,
		"field": path(["EnableLogFileValidation"]),
	}}
	count(cloudtrail.deny_cloudtrail_log_validation) == 0 with input as trail({"IsLogging": true, "EnableLogFileValidation": {"Ref": "Validate"}})
}

test_log_validation_serverless if {
	doc := fx.serverless({"Trail": fx.resource("AWS::CloudTrail::Trail", {"IsLogging": true, "EnableLogFileValidation": fx.if_(true, false)})})
	result := cloudtrail.deny_cloudtrail_log_validation with input as doc
	result == {{
		"msg": `AWS::CloudTrail::Trail "Trail" does not validate log files: it sets EnableLogFileValidation to a value other than true in an Fn::If branch`,
		"field": ["resources", "Resources", "Trail", "Properties", "EnableLogFileValidation", "Fn::If", 2],
	}}
}
