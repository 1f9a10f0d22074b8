package aws.terraform.tags_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.tags

required := {"required_tags": ["Owner", "CostCenter"]}

test_required_tags_inactive_by_default if {
	count(tags.deny_missing_required_tags) == 0 with input as fx.resource("aws_s3_bucket", "b", {})
}

test_required_tags_present_pass if {
	every doc in [
		fx.resource("aws_s3_bucket", "b", {"tags": {"Owner": "a", "CostCenter": "${var.cc}"}}),
		fx.resource("aws_s3_bucket", "b", {"tags": "${merge(var.tags, {Name = \"b\"})}"}),
		fx.resource("aws_s3_bucket", "b", {"tags": {"${var.key}": "a"}}),
		fx.resource("aws_route", "r", {"route_table_id": "x"}),
		fx.resource("kubernetes_namespace", "n", {"tags": {}}),
		{
			"provider": {"aws": [{"default_tags": [{"tags": {"Owner": "a", "CostCenter": "1"}}]}]},
			"resource": {"aws_s3_bucket": {"b": [{}]}},
		},
	] {
		count(tags.deny_missing_required_tags) == 0 with input as doc with data.aws.parameters as required
	}
}

test_required_tags_missing_some if {
	doc := fx.resource("aws_sqs_queue_policy", "p", {"tags": {"Owner": "a", "Name": "x"}})
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as required
	result == {{
		"msg": "aws_sqs_queue_policy.p is missing required tags: CostCenter",
		"field": ["resource", "aws_sqs_queue_policy", "p", 0, "tags"],
	}}
}

test_required_tags_taggable_without_tags if {
	doc := fx.resource("aws_instance", "vm", {"ami": "ami-1"})
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as required
	result == {{
		"msg": "aws_instance.vm is missing required tags: CostCenter, Owner",
		"field": ["resource", "aws_instance", "vm", 0, "tags"],
	}}
}

test_required_tags_with_partial_default_tags if {
	doc := {
		"provider": {"aws": [{"region": "x"}, {"alias": "b", "default_tags": [{"tags": {"CostCenter": "1"}}]}]},
		"resource": {"aws_s3_bucket": {"b": [{"tags": {"Name": "b"}}]}},
	}
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as required
	result == {{
		"msg": "aws_s3_bucket.b is missing required tags: Owner",
		"field": ["resource", "aws_s3_bucket", "b", 0, "tags"],
	}}
}
