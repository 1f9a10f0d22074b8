# METADATA
# title: Lambda functions
# description: |-
#   Checks AWS::Lambda::Function and SAM AWS::Serverless::Function resources
#   (with the SAM Globals.Function section) for a dead-letter queue and for
#   deprecated runtimes; in serverless.yml also provider.runtime and
#   functions.<name>.runtime.
#
#   Parameters (data.aws.parameters):
#   - deprecated_lambda_runtimes: array of runtime identifiers to report.
#     Default: the runtimes listed as deprecated on the Lambda runtimes page
#     (see default_deprecated_runtimes).
package aws.cloudformation.lambda

import data.aws.cloudformation.lib

# METADATA
# title: Lambda function should have a dead-letter queue
# description: |-
#   Events of asynchronous invocations (S3, SNS, EventBridge, schedules...)
#   that still fail after Lambda's retries are dropped unless the function
#   has a dead-letter queue (DeadLetterConfig; SAM DeadLetterQueue) or an
#   on-failure destination. An on-failure destination counts: SAM
#   EventInvokeConfig.DestinationConfig.OnFailure on the function or in
#   Globals.Function, or an AWS::Lambda::EventInvokeConfig of the template
#   whose FunctionName references the function. SAM functions whose events
#   are all synchronous or poll-based (Api, HttpApi, SQS, Kinesis, DynamoDB,
#   MSK, MQ, SelfManagedKafka, DocumentDB, Cognito, AlexaSkill) never use a
#   dead-letter queue and are skipped, and so are the functions of an
#   AWS::CloudFormation::Macro of the template (invoked synchronously by
#   CloudFormation).
# custom:
#   id: aws-lambda-dlq
#   severity: low
#   remediation: Add DeadLetterConfig.TargetArn (SAM DeadLetterQueue with Type SQS or SNS) pointing to an SQS queue or SNS topic, or an on-failure destination, and alarm on its depth.
#   docs: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
warn_lambda_missing_dlq contains result if {
	some r in lib.resources
	property := missing_dead_letter(r)
	not invoke_config_on_failure(r)
	not macro_function(r)
	result := {
		"msg": sprintf("%s has no dead-letter queue (%s) or on-failure destination for failed asynchronous invocations", [lib.subject(r), property]),
		"field": lib.field(r, [property]),
	}
}

# missing_dead_letter is the dead-letter property a function lacks.
missing_dead_letter(r) := "DeadLetterConfig" if {
	r.type == "AWS::Lambda::Function"
	not dead_letter_target(r.properties)
} else := "DeadLetterQueue" if {
	r.type == "AWS::Serverless::Function"
	not sam_setting(r, "DeadLetterQueue")
	not sam_on_failure(r)
	not only_synchronous_events(r.properties)
}

dead_letter_target(properties) if {
	config := properties.DeadLetterConfig
	lib.is_intrinsic(config)
	not lib.is_no_value(config)
}

dead_letter_target(properties) if lib.has_value(properties.DeadLetterConfig, "TargetArn")

# sam_setting holds when the SAM function, or Globals.Function, sets key.
sam_setting(r, key) if lib.has_value(r.properties, key)

sam_setting(_, key) if {
	lib.is_template
	lib.has_value(input.Globals.Function, key)
}

sam_on_failure(r) if on_failure(r.properties.EventInvokeConfig)

sam_on_failure(_) if {
	lib.is_template
	on_failure(input.Globals.Function.EventInvokeConfig)
}

on_failure(config) if lib.has_value(config.DestinationConfig, "OnFailure")

# invoke_config_on_failure holds when an AWS::Lambda::EventInvokeConfig of
# the template sends the function's failed events to a destination.
invoke_config_on_failure(r) if {
	some config in lib.resources_of_type("AWS::Lambda::EventInvokeConfig")
	references(config.properties.FunctionName, r.id)
	on_failure(config.properties)
}

# macro_function holds for the function of an AWS::CloudFormation::Macro of
# the template, which CloudFormation invokes synchronously.
macro_function(r) if {
	some macro in lib.resources_of_type("AWS::CloudFormation::Macro")
	references(macro.properties.FunctionName, r.id)
}

references(value, id) if value == {"Ref": id}

references(value, id) if value["Fn::GetAtt"][0] == id

synchronous_event_types := {
	"Api", "HttpApi", "SQS", "Kinesis", "DynamoDB", "MSK", "MQ",
	"SelfManagedKafka", "DocumentDB", "Cognito", "AlexaSkill",
}

only_synchronous_events(properties) if {
	events := properties.Events
	is_object(events)
	count(events) > 0
	every event in events {
		event.Type in synchronous_event_types
	}
}

# METADATA
# title: Lambda function should not use a deprecated runtime
# description: |-
#   Deprecated runtimes no longer get security patches, lose technical
#   support, and later block function creation and then updates. Reported:
#   Runtime of AWS::Lambda::Function, Runtime of AWS::Serverless::Function
#   (or Globals.Function.Runtime when the function sets none), and in
#   serverless.yml provider.runtime and functions.<name>.runtime, when the
#   literal value (also in an Fn::If branch) is in the deprecated list.
#   Container image functions have no runtime and are skipped.
# custom:
#   id: aws-lambda-runtime
#   severity: medium
#   remediation: Move the function to a supported runtime of the same language (for example nodejs22.x, python3.13, java21, dotnet8, ruby3.4, provided.al2023) and test it; see the runtime deprecation schedule.
#   docs: https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
warn_lambda_deprecated_runtime contains result if {
	some runtime in runtimes
	some alt in lib.alternatives(runtime.value, runtime.path)
	is_string(alt.value)
	alt.value in deprecated_runtimes
	result := {
		"msg": sprintf("%s uses runtime %s, which AWS Lambda has deprecated", [runtime.owner, alt.value]),
		"field": alt.path,
	}
}

# runtimes is the set of {"owner", "value", "path"} runtime settings.
runtimes contains {"owner": lib.subject(r), "value": r.properties.Runtime, "path": lib.field(r, ["Runtime"])} if {
	some r in lib.resources
	r.type in {"AWS::Lambda::Function", "AWS::Serverless::Function"}
	lib.has_value(r.properties, "Runtime")
}

runtimes contains {"owner": sprintf("%s (from Globals.Function.Runtime)", [lib.subject(r)]), "value": runtime, "path": ["Globals", "Function", "Runtime"]} if {
	lib.is_template
	runtime := input.Globals.Function.Runtime
	some r in lib.resources_of_type("AWS::Serverless::Function")
	not lib.has_value(r.properties, "Runtime")
	not r.properties.PackageType == "Image"
}

runtimes contains {"owner": sprintf(`serverless.yml provider of service "%s"`, [service_name]), "value": input.provider.runtime, "path": ["provider", "runtime"]} if {
	lib.is_serverless_aws
}

runtimes contains {"owner": sprintf(`serverless.yml function "%s"`, [name]), "value": function.runtime, "path": ["functions", name, "runtime"]} if {
	lib.is_serverless_aws
	functions := input.functions
	is_object(functions)
	some name, function in functions
}

service_name := name if {
	name := input.service
	is_string(name)
} else := name if {
	name := input.service.name
	is_string(name)
} else := "<unnamed>"

deprecated_runtimes := {r | some r in lib.list_param("deprecated_lambda_runtimes", default_deprecated_runtimes)}

# Runtimes whose deprecation date on
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html has
# passed (Node.js 20 on 2026-04-30, Ruby 3.2 on 2026-03-31, Python 3.9 on
# 2025-12-15, Node.js 18 on 2025-09-01, and every older runtime). java8.al2,
# provided.al2 and the other Amazon Linux 2 runtimes are still supported.
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
