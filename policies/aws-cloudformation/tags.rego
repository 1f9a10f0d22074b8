# METADATA
# title: Required tags
# description: |-
#   Checks that taggable resources carry the tag keys listed in the
#   required_tags parameter.
#
#   Which resources: every resource that sets its tag property (Tags, or
#   FileSystemTags for AWS::EFS::FileSystem, UserPoolTags for
#   AWS::Cognito::UserPool), whatever its type, plus the commonly tagged
#   types in taggable_types even when they set no tags at all. Other types
#   without a tag property are not reported: many CloudFormation types
#   (routes, attachments, permissions, policies...) cannot be tagged.
#
#   Where tags come from: the resource's own tags, in either the list form
#   ([{Key, Value}]) or the map form (SAM resources, AWS::SSM::Parameter...);
#   for SAM resources also Globals.<Function|Api|HttpApi|...>.Tags; in
#   serverless.yml also provider.stackTags, which the stack applies to every
#   resource. Tags given by an intrinsic function (a parameter, an Fn::If),
#   and lists with computed entries that might hold a missing key, are
#   unknown and not reported. Stack-level tags passed at deploy time (aws
#   cloudformation deploy --tags, sam deploy --tags) are not visible in the
#   template: set the parameter only for templates that carry their tags.
#
#   Parameters (data.aws.parameters):
#   - required_tags: array of tag keys, e.g. ["Owner", "CostCenter"].
#     Default [] disables the rule.
package aws.cloudformation.tags

import data.aws.cloudformation.lib

# METADATA
# title: Resource must carry the required tags
# description: |-
#   Every taggable resource must carry the tag keys listed in the
#   required_tags parameter, which cost allocation, ownership and
#   tag-based access control rely on. Inactive while the parameter is empty
#   (the default). One finding per resource, listing every missing key.
# custom:
#   id: aws-required-tags
#   severity: low
#   remediation: Add the missing keys to the resource's Tags (or to SAM Globals, or serverless.yml provider.stackTags).
#   docs: https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html
deny_missing_required_tags contains result if {
	count(required) > 0
	some r in lib.resources
	property := tag_property(r.type)
	applies(r, property)
	own := own_tags(r.properties, property)
	missing := (required - own.keys) - inherited_keys(r)
	count(missing) > 0
	own.complete
	result := {
		"msg": sprintf("%s is missing required tags: %s", [lib.subject(r), concat(", ", sort(missing))]),
		"field": lib.field(r, [property]),
	}
}

required := {key | some key in lib.list_param("required_tags", []); is_string(key)}

tag_properties := {
	"AWS::EFS::FileSystem": "FileSystemTags",
	"AWS::Cognito::UserPool": "UserPoolTags",
}

tag_property(type) := property if {
	property := tag_properties[type]
} else := "Tags"

literal_key(tag) if is_string(tag.Key)

applies(r, property) if lib.has_value(r.properties, property)

applies(r, _) if r.type in taggable_types

# own_tags is {"keys": <tag keys>, "complete": <false when a list entry is
# computed>}; undefined when the tags are an intrinsic function.
own_tags(properties, property) := {"keys": set(), "complete": true} if {
	not lib.has_value(properties, property)
} else := {"keys": keys, "complete": complete} if {
	tags := properties[property]
	is_array(tags)
	keys := {tag.Key | some tag in tags; is_string(tag.Key)}
	complete := count([tag | some tag in tags; not literal_key(tag)]) == 0
} else := {"keys": {key | some key, _ in tags}, "complete": true} if {
	tags := properties[property]
	is_object(tags)
	not lib.is_intrinsic(tags)
}

inherited_keys(r) := {key | some key, _ in input.Globals[sam_section(r.type)].Tags} if {
	lib.is_template
} else := {key | some key, _ in input.provider.stackTags}

# sam_section maps AWS::Serverless::Function to its Globals section "Function".
sam_section(type) := trim_prefix(type, "AWS::Serverless::") if startswith(type, "AWS::Serverless::")

# Commonly tagged types reported even when they set no tags.
taggable_types := {
	"AWS::ApiGateway::RestApi",
	"AWS::AutoScaling::AutoScalingGroup",
	"AWS::CloudFront::Distribution",
	"AWS::CloudTrail::Trail",
	"AWS::CodeBuild::Project",
	"AWS::DynamoDB::Table",
	"AWS::EC2::EIP",
	"AWS::EC2::Instance",
	"AWS::EC2::InternetGateway",
	"AWS::EC2::NatGateway",
	"AWS::EC2::RouteTable",
	"AWS::EC2::SecurityGroup",
	"AWS::EC2::Subnet",
	"AWS::EC2::VPC",
	"AWS::EC2::Volume",
	"AWS::ECR::Repository",
	"AWS::ECS::Cluster",
	"AWS::ECS::Service",
	"AWS::ECS::TaskDefinition",
	"AWS::EFS::FileSystem",
	"AWS::EKS::Cluster",
	"AWS::ElastiCache::ReplicationGroup",
	"AWS::ElasticLoadBalancingV2::LoadBalancer",
	"AWS::ElasticLoadBalancingV2::TargetGroup",
	"AWS::IAM::Role",
	"AWS::IAM::User",
	"AWS::Kinesis::Stream",
	"AWS::KMS::Key",
	"AWS::Lambda::Function",
	"AWS::Logs::LogGroup",
	"AWS::OpenSearchService::Domain",
	"AWS::RDS::DBCluster",
	"AWS::RDS::DBInstance",
	"AWS::S3::Bucket",
	"AWS::SecretsManager::Secret",
	"AWS::Serverless::Api",
	"AWS::Serverless::Function",
	"AWS::Serverless::HttpApi",
	"AWS::Serverless::StateMachine",
	"AWS::SNS::Topic",
	"AWS::SQS::Queue",
	"AWS::StepFunctions::StateMachine",
}
