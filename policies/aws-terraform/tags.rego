# METADATA
# title: Required tags
# description: |-
#   Checks that AWS resources carry the tag keys listed in the required_tags
#   parameter.
#
#   Which resources: every aws_* resource that sets a `tags` argument,
#   whatever its type, plus the commonly tagged types in taggable_types even
#   when they set no tags at all. Other types without `tags` are not
#   reported: many AWS resources (routes, attachments, policies, rules...)
#   cannot be tagged. aws_autoscaling_group (tag blocks) is not checked.
#
#   Where tags come from: the keys of a literal `tags` map (values may be
#   expressions), plus the keys of default_tags { tags = {...} } of the aws
#   provider blocks of the same file. A `tags` expression
#   (merge(var.tags, {...}), var.tags, local.tags) and a map with a computed
#   key are unknown and not reported. The pack sees one file at a time:
#   default_tags declared in another file (providers.tf, versions.tf) are not
#   visible, so list in required_tags only keys each resource must set
#   itself, or declare the provider in the same file.
#
#   Parameters (data.aws.parameters, shared with the CloudFormation pack):
#   - required_tags: array of tag keys, e.g. ["Owner", "CostCenter"].
#     Default [] disables the rule.
package aws.terraform.tags

import data.aws.terraform.lib

# METADATA
# title: Resource must carry the required tags
# description: |-
#   Every taggable AWS resource must carry the tag keys listed in the
#   required_tags parameter, which cost allocation, ownership and tag-based
#   access control rely on. Inactive while the parameter is empty (the
#   default). One finding per resource, listing every missing key, at its
#   tags argument.
# custom:
#   id: aws-required-tags
#   severity: low
#   remediation: Add the missing keys to the resource's tags, or to default_tags of the aws provider.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/resource-tagging
deny_missing_required_tags contains result if {
	count(required) > 0
	some r in lib.resources
	startswith(r.type, "aws_")
	own := own_tag_keys(r)
	missing := (required - own) - default_tag_keys
	count(missing) > 0
	result := {
		"msg": sprintf("%s is missing required tags: %s", [r.address, concat(", ", sort(missing))]),
		"field": lib.field(r, ["tags"]),
	}
}

required := {key | some key in lib.list_param("required_tags", []); is_string(key)}

# own_tag_keys is the set of keys of the resource's literal tags map (empty
# when a listed taggable type sets none); undefined when unknown.
own_tag_keys(r) := set() if {
	not lib.has_value(r.body, "tags")
	r.type in taggable_types
} else := {key |
	some key, _ in r.body.tags
} if {
	tags := r.body.tags
	is_object(tags)
	every key, _ in tags {
		not lib.is_expression(key)
	}
}

# default_tag_keys is the set of keys set by default_tags of the aws provider
# blocks of the file.
default_tag_keys := {key |
	is_object(input)
	providers := input.provider
	is_object(providers)
	some body in array_or_empty(providers.aws)
	some defaults in array_or_empty(body.default_tags)
	tags := defaults.tags
	is_object(tags)
	some key, _ in tags
}

array_or_empty(v) := v if {
	is_array(v)
} else := []

# Commonly tagged resource types, reported even when they set no tags.
taggable_types := {
	"aws_instance",
	"aws_launch_template",
	"aws_ebs_volume",
	"aws_eip",
	"aws_vpc",
	"aws_subnet",
	"aws_security_group",
	"aws_internet_gateway",
	"aws_nat_gateway",
	"aws_route_table",
	"aws_network_acl",
	"aws_vpc_endpoint",
	"aws_lb",
	"aws_lb_target_group",
	"aws_s3_bucket",
	"aws_efs_file_system",
	"aws_db_instance",
	"aws_rds_cluster",
	"aws_dynamodb_table",
	"aws_elasticache_replication_group",
	"aws_lambda_function",
	"aws_sqs_queue",
	"aws_sns_topic",
	"aws_kinesis_stream",
	"aws_kms_key",
	"aws_secretsmanager_secret",
	"aws_iam_role",
	"aws_iam_policy",
	"aws_iam_user",
	"aws_cloudwatch_log_group",
	"aws_cloudtrail",
	"aws_ecr_repository",
	"aws_ecs_cluster",
	"aws_ecs_service",
	"aws_ecs_task_definition",
	"aws_eks_cluster",
	"aws_eks_node_group",
	"aws_sfn_state_machine",
	"aws_apigatewayv2_api",
	"aws_api_gateway_rest_api",
}
