# METADATA
# title: Lambda functions
# description: |-
#   Checks aws_lambda_function resources for a dead-letter queue (or an
#   on-failure destination) and for deprecated runtimes.
#
#   Parameters (data.aws.parameters, shared with the CloudFormation pack):
#   - deprecated_lambda_runtimes: array of runtime identifiers to report.
#     Default: the runtimes listed as deprecated on the Lambda runtimes page
#     (see default_deprecated_runtimes).
package aws.terraform.lambda

import data.aws.terraform.lib

functions := lib.resources_of_type("aws_lambda_function")

# METADATA
# title: Lambda function should have a dead-letter queue
# description: |-
#   Events of asynchronous invocations (S3, SNS, EventBridge, schedules...)
#   that still fail after Lambda's retries are dropped unless the function
#   has a dead-letter queue or an on-failure destination. Counted as
#   configured: a dead_letter_config block (static, dynamic or an
#   expression) on the function, or an aws_lambda_function_event_invoke_config
#   of the file whose function_name may be the function (see
#   aws.terraform.lib may_reference) with a destination_config on_failure
#   block. Skipped: functions that the file shows to be invoked only
#   synchronously or by polling, i.e. with at least one invoker in the file
#   (aws_lambda_event_source_mapping for SQS, Kinesis, DynamoDB, Kafka...;
#   aws_lambda_permission from API Gateway, Elastic Load Balancing, Cognito,
#   Lex or Alexa; aws_lambda_function_url) and no aws_lambda_permission for
#   another or an unknown principal.
# custom:
#   id: aws-lambda-dlq
#   severity: low
#   remediation: Add dead_letter_config { target_arn = <SQS queue or SNS topic ARN> } (and allow the function role to send to it), or an aws_lambda_function_event_invoke_config with destination_config { on_failure { destination = ... } }, and alarm on its depth.
#   docs: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
warn_lambda_missing_dlq contains result if {
	some fn in functions
	not lib.configures_block(fn.body, "dead_letter_config")
	not invoke_config_on_failure(fn)
	not only_synchronous(fn)
	result := {
		"msg": sprintf("%s has no dead-letter queue (dead_letter_config) or on-failure destination for failed asynchronous invocations", [fn.address]),
		"field": lib.field(fn, ["dead_letter_config"]),
	}
}

# invoke_config_on_failure holds when an aws_lambda_function_event_invoke_config
# of the file may send the function's failed events to a destination.
invoke_config_on_failure(fn) if {
	some config in lib.resources_of_type("aws_lambda_function_event_invoke_config")
	lib.may_reference(config.body.function_name, fn, "function_name")
	some destination in lib.blocks(config.body, "destination_config", [])
	lib.configures_block(destination.value, "on_failure")
}

# invokers is the set of {"function", "synchronous"} invocation sources of
# the file that refer to a function of the file by reference.
invokers contains {"function": fn.name, "synchronous": true} if {
	some r in lib.resources
	r.type in {"aws_lambda_event_source_mapping", "aws_lambda_function_url"}
	some fn in functions
	lib.references(r.body.function_name, fn.type, fn.name)
}

invokers contains {"function": fn.name, "synchronous": synchronous} if {
	some r in lib.resources_of_type("aws_lambda_permission")
	some fn in functions
	lib.references(r.body.function_name, fn.type, fn.name)
	synchronous := r.body.principal in synchronous_principals
}

synchronous_principals := {
	"apigateway.amazonaws.com",
	"elasticloadbalancing.amazonaws.com",
	"cognito-idp.amazonaws.com",
	"lex.amazonaws.com",
	"alexa-appkit.amazon.com",
	"alexa-connectedhome.amazon.com",
}

only_synchronous(fn) if {
	own := {invoker | some invoker in invokers; invoker.function == fn.name}
	count(own) > 0
	every invoker in own {
		invoker.synchronous
	}
}

# METADATA
# title: Lambda function should not use a deprecated runtime
# description: |-
#   Deprecated runtimes no longer get security patches, lose technical
#   support, and later block function creation and then updates. Reported:
#   the runtime of an aws_lambda_function when it is a literal in the
#   deprecated list. Container image functions have no runtime; a runtime
#   from a variable is not judged.
# custom:
#   id: aws-lambda-runtime
#   severity: medium
#   remediation: Move the function to a supported runtime of the same language (for example nodejs22.x, python3.13, java21, dotnet8, ruby3.4, provided.al2023) and test it; see the runtime deprecation schedule.
#   docs: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
warn_lambda_deprecated_runtime contains result if {
	some fn in functions
	runtime := fn.body.runtime
	is_string(runtime)
	runtime in deprecated_runtimes
	result := {
		"msg": sprintf("%s uses runtime %s, which AWS Lambda has deprecated", [fn.address, runtime]),
		"field": lib.field(fn, ["runtime"]),
	}
}

deprecated_runtimes := {r | some r in lib.list_param("deprecated_lambda_runtimes", default_deprecated_runtimes)}

# Runtimes whose deprecation date on
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html has
# passed (Node.js 20 on 2026-04-30, Ruby 3.2 on 2026-03-31, Python 3.9 on
# 2025-12-15, Node.js 18 on 2025-09-01, and every older runtime); the same
# list as the CloudFormation pack. java8.al2, provided.al2 and the other
# Amazon Linux 2 runtimes are still supported.
default_deprecated_runtimes := [
	"nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10",
	"nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x",
	"nodejs20.x",
	"python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
	"java8",
	"go1.x",
	"provided",
	"ruby2.5", "ruby2.7", "ruby3.2",
	"dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1",
	"dotnet5.0", "dotnet6", "dotnet7",
]
