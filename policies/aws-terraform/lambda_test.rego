package aws.terraform.lambda_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.lambda

fn_body := {"function_name": "worker", "role": "${aws_iam_role.lambda.arn}", "handler": "index.handler", "runtime": "python3.13"}

fn(patch) := fx.resource("aws_lambda_function", "worker", object.union(fn_body, patch))

# fn_with returns a file holding the function and other resources.
fn_with(resources) := {"resource": object.union({"aws_lambda_function": {"worker": [fn_body]}}, resources)}

dlq_finding := {
	"msg": "aws_lambda_function.worker has no dead-letter queue (dead_letter_config) or on-failure destination for failed asynchronous invocations",
	"field": ["resource", "aws_lambda_function", "worker", 0, "dead_letter_config"],
}

# --- warn_lambda_missing_dlq ------------------------------------------------

test_dlq_configured_passes if {
	every doc in [
		fn({"dead_letter_config": [{"target_arn": "${aws_sqs_queue.dlq.arn}"}]}),
		fn({"dynamic": {"dead_letter_config": [{"for_each": "${var.dlq}", "content": [{"target_arn": "${each.value}"}]}]}}),
	] {
		count(lambda.warn_lambda_missing_dlq) == 0 with input as doc
	}
}

test_dlq_on_failure_destination_passes if {
	every name in ["${aws_lambda_function.worker.function_name}", "worker", "${var.function_name}"] {
		doc := fn_with({"aws_lambda_function_event_invoke_config": {"worker": [{
			"function_name": name,
			"destination_config": [{"on_failure": [{"destination": "${aws_sqs_queue.failed.arn}"}]}],
		}]}})
		count(lambda.warn_lambda_missing_dlq) == 0 with input as doc
	}
}

test_dlq_synchronous_invokers_pass if {
	every invokers in [
		{"aws_lambda_event_source_mapping": {"sqs": [{"function_name": "${aws_lambda_function.worker.arn}", "event_source_arn": "${aws_sqs_queue.q.arn}"}]}},
		{"aws_lambda_permission": {"api": [{"function_name": "${aws_lambda_function.worker.function_name}", "principal": "apigateway.amazonaws.com"}]}},
		{
			"aws_lambda_function_url": {"url": [{"function_name": "${aws_lambda_function.worker.function_name}", "authorization_type": "AWS_IAM"}]},
			"aws_lambda_permission": {"alb": [{"function_name": "${aws_lambda_function.worker.arn}", "principal": "elasticloadbalancing.amazonaws.com"}]},
		},
	] {
		count(lambda.warn_lambda_missing_dlq) == 0 with input as fn_with(invokers)
	}
}

test_dlq_missing_warned if {
	result := lambda.warn_lambda_missing_dlq with input as fn({})
	result == {dlq_finding}
}

test_dlq_asynchronous_invoker_warned if {
	every principal in ["s3.amazonaws.com", "${var.principal}"] {
		doc := fn_with({
			"aws_lambda_event_source_mapping": {"sqs": [{"function_name": "${aws_lambda_function.worker.arn}"}]},
			"aws_lambda_permission": {"s3": [{"function_name": "${aws_lambda_function.worker.arn}", "principal": principal}]},
		})
		result := lambda.warn_lambda_missing_dlq with input as doc
		result == {dlq_finding}
	}
}

test_dlq_invoke_config_without_on_failure_warned if {
	doc := fn_with({"aws_lambda_function_event_invoke_config": {"worker": [{
		"function_name": "${aws_lambda_function.worker.function_name}",
		"destination_config": [{"on_success": [{"destination": "x"}]}],
	}]}})
	result := lambda.warn_lambda_missing_dlq with input as doc
	result == {dlq_finding}
}

test_dlq_invoke_config_for_other_function_warned if {
	doc := fn_with({"aws_lambda_function_event_invoke_config": {"other": [{
		"function_name": "${aws_lambda_function.other.function_name}",
		"destination_config": [{"on_failure": [{"destination": "x"}]}],
	}]}})
	result := lambda.warn_lambda_missing_dlq with input as doc
	result == {dlq_finding}
}

# --- warn_lambda_deprecated_runtime -----------------------------------------

test_supported_runtime_passes if {
	every body in [{"runtime": "python3.13"}, {"runtime": "nodejs22.x"}, {"runtime": "${var.runtime}"}, {"runtime": null, "package_type": "Image"}] {
		count(lambda.warn_lambda_deprecated_runtime) == 0 with input as fn(body)
	}
}

test_deprecated_runtime_warned if {
	result := lambda.warn_lambda_deprecated_runtime with input as fn({"runtime": "nodejs14.x"})
	result == {{
		"msg": "aws_lambda_function.worker uses runtime nodejs14.x, which AWS Lambda has deprecated",
		"field": ["resource", "aws_lambda_function", "worker", 0, "runtime"],
	}}
}

test_deprecated_runtime_parameter if {
	count(lambda.warn_lambda_deprecated_runtime) == 0 with input as fn({"runtime": "nodejs14.x"})
		with data.aws.parameters as {"deprecated_lambda_runtimes": []}
	result := lambda.warn_lambda_deprecated_runtime with input as fn({"runtime": "python3.13"})
		with data.aws.parameters as {"deprecated_lambda_runtimes": ["python3.13"]}
	result == {{
		"msg": "aws_lambda_function.worker uses runtime python3.13, which AWS Lambda has deprecated",
		"field": ["resource", "aws_lambda_function", "worker", 0, "runtime"],
	}}
}
