package aws.cloudformation.lambda_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.lambda

dlq := {"TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}

function(properties) := fx.template({"Fn": fx.resource("AWS::Lambda::Function", object.union({"Handler": "index.handler", "Role": {"Fn::GetAtt": ["Role", "Arn"]}}, properties))})

sam_function(globals, properties) := fx.sam(globals, {"Fn": fx.resource("AWS::Serverless::Function", object.union({"Handler": "app.handler", "CodeUri": "src/"}, properties))})

on_failure := {"DestinationConfig": {"OnFailure": {"Type": "SQS", "Destination": {"Fn::GetAtt": ["Dlq", "Arn"]}}}}

# --- warn_lambda_missing_dlq ------------------------------------------------

test_function_with_dlq_passes if {
	count(lambda.warn_lambda_missing_dlq) == 0 with input as function({"Runtime": "python3.13", "DeadLetterConfig": dlq})
	count(lambda.warn_lambda_missing_dlq) == 0 with input as function({"DeadLetterConfig": fx.if_(dlq, fx.no_value)})
}

test_function_without_dlq if {
	result := lambda.warn_lambda_missing_dlq with input as function({"Runtime": "python3.13"})
	result == {{
		"msg": `AWS::Lambda::Function "Fn" has no dead-letter queue (DeadLetterConfig) or on-failure destination for failed asynchronous invocations`,
		"field": ["Resources", "Fn", "Properties", "DeadLetterConfig"],
	}}
	count(lambda.warn_lambda_missing_dlq) == 1 with input as function({"DeadLetterConfig": {}})
	count(lambda.warn_lambda_missing_dlq) == 1 with input as function({"DeadLetterConfig": fx.no_value})
}

test_function_with_event_invoke_config_passes if {
	every reference in [{"Ref": "Fn"}, {"Fn::GetAtt": ["Fn", "Arn"]}] {
		doc := fx.template({
			"Fn": fx.resource("AWS::Lambda::Function", {"Runtime": "python3.13"}),
			"FnInvokeConfig": fx.resource("AWS::Lambda::EventInvokeConfig", object.union({"FunctionName": reference, "Qualifier": "$LATEST"}, on_failure)),
		})
		count(lambda.warn_lambda_missing_dlq) == 0 with input as doc
	}
}

test_event_invoke_config_of_other_function if {
	doc := fx.template({
		"Fn": fx.resource("AWS::Lambda::Function", {"Runtime": "python3.13"}),
		"Other": fx.resource("AWS::Lambda::EventInvokeConfig", object.union({"FunctionName": {"Ref": "OtherFn"}}, on_failure)),
	})
	count(lambda.warn_lambda_missing_dlq) == 1 with input as doc
}

test_sam_function_without_dlq if {
	result := lambda.warn_lambda_missing_dlq with input as sam_function({}, {"Events": {"Upload": {"Type": "S3", "Properties": {"Bucket": {"Ref": "B"}}}, "Get": {"Type": "Api"}}})
	result == {{
		"msg": `AWS::Serverless::Function "Fn" has no dead-letter queue (DeadLetterQueue) or on-failure destination for failed asynchronous invocations`,
		"field": ["Resources", "Fn", "Properties", "DeadLetterQueue"],
	}}
	count(lambda.warn_lambda_missing_dlq) == 1 with input as sam_function({}, {})
}

test_sam_function_dlq_sources_pass if {
	queue := {"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}
	count(lambda.warn_lambda_missing_dlq) == 0 with input as sam_function({}, {"DeadLetterQueue": queue})
	count(lambda.warn_lambda_missing_dlq) == 0 with input as sam_function({"Function": {"DeadLetterQueue": queue}}, {})
	count(lambda.warn_lambda_missing_dlq) == 0 with input as sam_function({}, {"EventInvokeConfig": on_failure})
	count(lambda.warn_lambda_missing_dlq) == 0 with input as sam_function({"Function": {"EventInvokeConfig": on_failure}}, {})
}

test_sam_function_with_synchronous_events_skipped if {
	events := {"Get": {"Type": "Api"}, "Queue": {"Type": "SQS"}, "Stream": {"Type": "Kinesis"}, "Http": {"Type": "HttpApi"}}
	count(lambda.warn_lambda_missing_dlq) == 0 with input as sam_function({}, {"Events": events})
}

test_serverless_resources_function if {
	result := lambda.warn_lambda_missing_dlq with input as fx.serverless({"Extra": fx.resource("AWS::Lambda::Function", {"Runtime": "nodejs22.x"})})
	result == {{
		"msg": `AWS::Lambda::Function "Extra" has no dead-letter queue (DeadLetterConfig) or on-failure destination for failed asynchronous invocations`,
		"field": ["resources", "Resources", "Extra", "Properties", "DeadLetterConfig"],
	}}
}

# --- warn_lambda_deprecated_runtime ----------------------------------------

test_supported_runtimes_pass if {
	every runtime in ["python3.13", "nodejs22.x", "java8.al2", "java21", "provided.al2", "provided.al2023", "dotnet8", "ruby3.4", {"Ref": "Runtime"}] {
		count(lambda.warn_lambda_deprecated_runtime) == 0 with input as function({"Runtime": runtime})
	}
	count(lambda.warn_lambda_deprecated_runtime) == 0 with input as function({"PackageType": "Image", "Code": {"ImageUri": "x"}})
}

test_deprecated_runtimes if {
	every runtime in ["python2.7", "python3.6", "python3.7", "python3.8", "nodejs", "nodejs16.x", "dotnetcore3.1", "ruby2.7", "java8", "go1.x", "provided"] {
		result := lambda.warn_lambda_deprecated_runtime with input as function({"Runtime": runtime})
		result == {{
			"msg": sprintf(`AWS::Lambda::Function "Fn" uses runtime %s, which AWS Lambda has deprecated`, [runtime]),
			"field": ["Resources", "Fn", "Properties", "Runtime"],
		}}
	}
}

test_deprecated_runtime_in_if_branch if {
	result := lambda.warn_lambda_deprecated_runtime with input as function({"Runtime": fx.if_("python3.13", "python3.7")})
	result == {{
		"msg": `AWS::Lambda::Function "Fn" uses runtime python3.7, which AWS Lambda has deprecated`,
		"field": ["Resources", "Fn", "Properties", "Runtime", "Fn::If", 2],
	}}
}

test_deprecated_runtimes_parameter if {
	doc := function({"Runtime": "python3.10"})
	count(lambda.warn_lambda_deprecated_runtime) == 0 with input as doc
	count(lambda.warn_lambda_deprecated_runtime) == 1 with input as doc with data.aws.parameters as {"deprecated_lambda_runtimes": ["python3.10"]}
}

test_sam_function_runtime if {
	result := lambda.warn_lambda_deprecated_runtime with input as sam_function({"Function": {"Runtime": "python3.13"}}, {"Runtime": "nodejs12.x"})
	result == {{
		"msg": `AWS::Serverless::Function "Fn" uses runtime nodejs12.x, which AWS Lambda has deprecated`,
		"field": ["Resources", "Fn", "Properties", "Runtime"],
	}}
}

test_sam_globals_runtime if {
	doc := fx.sam({"Function": {"Runtime": "python3.8"}}, {
		"Fn": fx.resource("AWS::Serverless::Function", {"Handler": "app.handler"}),
		"Own": fx.resource("AWS::Serverless::Function", {"Runtime": "python3.13"}),
		"Image": fx.resource("AWS::Serverless::Function", {"PackageType": "Image"}),
	})
	result := lambda.warn_lambda_deprecated_runtime with input as doc
	result == {{
		"msg": `AWS::Serverless::Function "Fn" (from Globals.Function.Runtime) uses runtime python3.8, which AWS Lambda has deprecated`,
		"field": ["Globals", "Function", "Runtime"],
	}}
}

test_serverless_runtimes if {
	doc := {
		"service": "shop",
		"provider": {"name": "aws", "runtime": "nodejs12.x"},
		"functions": {"api": {"handler": "api.handler"}, "worker": {"handler": "w.handler", "runtime": "python3.7"}, "ok": {"handler": "o.handler", "runtime": "python3.13"}},
		"resources": {"Resources": {"Extra": fx.resource("AWS::Lambda::Function", {"Runtime": "go1.x", "DeadLetterConfig": dlq})}},
	}
	result := lambda.warn_lambda_deprecated_runtime with input as doc
	result == {
		{"msg": `serverless.yml provider of service "shop" uses runtime nodejs12.x, which AWS Lambda has deprecated`, "field": ["provider", "runtime"]},
		{"msg": `serverless.yml function "worker" uses runtime python3.7, which AWS Lambda has deprecated`, "field": ["functions", "worker", "runtime"]},
		{"msg": `AWS::Lambda::Function "Extra" uses runtime go1.x, which AWS Lambda has deprecated`, "field": ["resources", "Resources", "Extra", "Properties", "Runtime"]},
	}
}

test_serverless_service_object_name if {
	doc := {"service": {"name": "legacy"}, "provider": {"name": "aws", "runtime": "python2.7"}}
	result := lambda.warn_lambda_deprecated_runtime with input as doc
	result == {{"msg": `serverless.yml provider of service "legacy" uses runtime python2.7, which AWS Lambda has deprecated`, "field": ["provider", "runtime"]}}
	unnamed := lambda.warn_lambda_deprecated_runtime with input as {"service": 1, "provider": {"name": "aws", "runtime": "python2.7"}}
	unnamed == {{"msg": `serverless.yml provider of service "<unnamed>" uses runtime python2.7, which AWS Lambda has deprecated`, "field": ["provider", "runtime"]}}
}

test_macro_functions_skipped if {
	doc := fx.sam({}, {
		"Plain": fx.resource("AWS::Lambda::Function", {"Runtime": "python3.13"}),
		"Transform": fx.resource("AWS::Serverless::Function", {"Runtime": "python3.13"}),
		"Macro": fx.resource("AWS::CloudFormation::Macro", {"Name": "Plain", "FunctionName": {"Fn::GetAtt": ["Plain", "Arn"]}}),
		"Macro2": fx.resource("AWS::CloudFormation::Macro", {"Name": "Transform", "FunctionName": {"Ref": "Transform"}}),
	})
	count(lambda.warn_lambda_missing_dlq) == 0 with input as doc
}
