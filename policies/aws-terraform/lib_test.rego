package aws.terraform.lib_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.lib

test_is_terraform if {
	lib.is_terraform with input as fx.resource("aws_s3_bucket", "b", {})
	lib.is_terraform with input as fx.data_source("aws_caller_identity", "current", {})
	lib.is_terraform with input as {"module": {"vpc": [{"source": "terraform-aws-modules/vpc/aws"}]}}
	not lib.is_terraform with input as {"variable": {"x": [{}]}}
	every doc in fx.non_terraform {
		not lib.is_terraform with input as doc
	}
}

test_resources if {
	doc := {"resource": {"aws_s3_bucket": {"a": [{"bucket": "a"}], "b": [{"count": 0}]}, "aws_sqs_queue": {"q": [{}]}}}
	lib.resources == {
		{"type": "aws_s3_bucket", "name": "a", "body": {"bucket": "a"}, "path": ["resource", "aws_s3_bucket", "a", 0], "address": "aws_s3_bucket.a"},
		{"type": "aws_sqs_queue", "name": "q", "body": {}, "path": ["resource", "aws_sqs_queue", "q", 0], "address": "aws_sqs_queue.q"},
	} with input as doc
}

test_data_source_address if {
	[d.address | some d in lib.data_sources] == ["data.aws_region.current"] with input as fx.data_source("aws_region", "current", {})
}

test_values if {
	lib.is_expression("${var.x}")
	lib.is_expression("a-${var.x}")
	lib.is_expression("%{if var.x}a%{endif}")
	not lib.is_expression("0.0.0.0/0")
	not lib.is_expression(true)
	lib.is_known(false)
	not lib.is_known(null)
	not lib.is_known("${var.x}")
	lib.is_true("true")
	lib.is_false(false)
	not lib.is_true("yes")
}

test_not_true_reason if {
	lib.not_true_reason({}, "encrypted") == "does not set encrypted"
	lib.not_true_reason({"encrypted": null}, "encrypted") == "does not set encrypted"
	lib.not_true_reason({"encrypted": false}, "encrypted") == "sets encrypted = false"
	lib.not_true_reason({"encrypted": 0}, "encrypted") == "sets encrypted = 0"
	not lib.not_true_reason({"encrypted": "true"}, "encrypted")
	not lib.not_true_reason({"encrypted": "${var.e}"}, "encrypted")
}

test_references if {
	lib.references("${aws_s3_bucket.b.id}", "aws_s3_bucket", "b")
	lib.references("${aws_s3_bucket.b[0].id}", "aws_s3_bucket", "b")
	lib.references("${var.x ? aws_s3_bucket.b.id : null}", "aws_s3_bucket", "b")
	lib.references("${aws_s3_bucket.b}", "aws_s3_bucket", "b")
	not lib.references("${aws_s3_bucket.bb.id}", "aws_s3_bucket", "b")
	not lib.references("${aws_s3_bucket.b-2.id}", "aws_s3_bucket", "b")
	not lib.references("${data.aws_s3_bucket.b.id}", "aws_s3_bucket", "b")
	not lib.references("${xaws_s3_bucket.b.id}", "aws_s3_bucket", "b")
	not lib.references("aws_s3_bucket.b", "aws_s3_bucket", "b")
	not lib.references("${aws_s3_bucket.b.id}", "aws_s3_bucket", "b(")
	not lib.references("${aws_s3_bucket.b.id}", "aws_s3_bucket", 1)
}

test_mentions_type if {
	lib.mentions_type("${aws_s3_bucket.other.id}", "aws_s3_bucket")
	not lib.mentions_type("${aws_s3_bucket_policy.p.id}", "aws_s3_bucket")
	not lib.mentions_type("${var.bucket}", "aws_s3_bucket")
	not lib.mentions_type("${var.bucket}", "aws.s3")
}

test_configures_block if {
	lib.configures_block({"versioning": [{"enabled": true}]}, "versioning")
	lib.configures_block({"dynamic": {"versioning": [{}]}}, "versioning")
	lib.configures_block({"versioning": "${var.v}"}, "versioning")
	not lib.configures_block({"versioning": []}, "versioning")
	not lib.configures_block({"dynamic": {"other": [{}]}}, "versioning")
	not lib.configures_block("x", "versioning")
}

test_parameters_default_when_not_an_object if {
	lib.list_param("required_tags", ["x"]) == ["x"] with data.aws.parameters as "nope"
	lib.list_param("required_tags", ["x"]) == ["x"] with data.aws.parameters as {"required_tags": "Owner"}
	lib.list_param("required_tags", []) == ["Owner"] with data.aws.parameters as {"required_tags": ["Owner"]}
}
