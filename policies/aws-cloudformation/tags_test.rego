package aws.cloudformation.tags_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.tags

params := {"required_tags": ["Owner", "CostCenter"]}

bucket(properties) := fx.template({"Data": fx.resource("AWS::S3::Bucket", properties)})

test_inactive_by_default if {
	count(tags.deny_missing_required_tags) == 0 with input as bucket({})
	count(tags.deny_missing_required_tags) == 0 with input as bucket({}) with data.aws.parameters as {"required_tags": []}
}

test_tags_present_pass if {
	doc := bucket({"Tags": [{"Key": "Owner", "Value": "team"}, {"Key": "CostCenter", "Value": "42"}, {"Key": "Extra", "Value": "x"}]})
	count(tags.deny_missing_required_tags) == 0 with input as doc with data.aws.parameters as params
}

test_missing_tags_list_form if {
	result := tags.deny_missing_required_tags with input as bucket({"Tags": [{"Key": "Owner", "Value": "team"}]}) with data.aws.parameters as params
	result == {{
		"msg": `AWS::S3::Bucket "Data" is missing required tags: CostCenter`,
		"field": ["Resources", "Data", "Properties", "Tags"],
	}}
}

test_taggable_type_without_tags if {
	result := tags.deny_missing_required_tags with input as fx.template({"Data": {"Type": "AWS::S3::Bucket"}}) with data.aws.parameters as params
	result == {{
		"msg": `AWS::S3::Bucket "Data" is missing required tags: CostCenter, Owner`,
		"field": ["Resources", "Data", "Properties", "Tags"],
	}}
}

test_other_types_only_when_they_set_tags if {
	doc := fx.template({
		"Route": fx.resource("AWS::EC2::Route", {"DestinationCidrBlock": "0.0.0.0/0"}),
		"Param": fx.resource("AWS::SSM::Parameter", {"Type": "String", "Value": "v", "Tags": {"Owner": "team"}}),
		"Files": fx.resource("AWS::EFS::FileSystem", {"FileSystemTags": [{"Key": "Owner", "Value": "team"}]}),
	})
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as params
	result == {
		{"msg": `AWS::SSM::Parameter "Param" is missing required tags: CostCenter`, "field": ["Resources", "Param", "Properties", "Tags"]},
		{"msg": `AWS::EFS::FileSystem "Files" is missing required tags: CostCenter`, "field": ["Resources", "Files", "Properties", "FileSystemTags"]},
	}
}

test_unknown_tags_not_judged if {
	every value in [
		{"Ref": "Tags"},
		fx.if_([{"Key": "Owner", "Value": "a"}], fx.no_value),
		[{"Key": "Owner", "Value": "a"}, {"Fn::If": ["IsProd", {"Key": "CostCenter", "Value": "1"}, fx.no_value]}],
	] {
		count(tags.deny_missing_required_tags) == 0 with input as bucket({"Tags": value}) with data.aws.parameters as params
	}
}

test_sam_map_tags_and_globals if {
	doc := fx.sam({"Function": {"Tags": {"CostCenter": "42"}}}, {
		"Fn": fx.resource("AWS::Serverless::Function", {"Tags": {"Owner": "team"}}),
		"Bare": fx.resource("AWS::Serverless::Function", {}),
		"Api": fx.resource("AWS::Serverless::Api", {"StageName": "prod", "Tags": {"Owner": "team"}}),
	})
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as params
	result == {
		{"msg": `AWS::Serverless::Function "Bare" is missing required tags: Owner`, "field": ["Resources", "Bare", "Properties", "Tags"]},
		{"msg": `AWS::Serverless::Api "Api" is missing required tags: CostCenter`, "field": ["Resources", "Api", "Properties", "Tags"]},
	}
}

test_serverless_stack_tags if {
	doc := object.union(
		fx.serverless({
			"Queue": fx.resource("AWS::SQS::Queue", {"Tags": [{"Key": "Owner", "Value": "team"}]}),
			"Topic": fx.resource("AWS::SNS::Topic", {}),
		}),
		{"provider": {"stackTags": {"CostCenter": "42"}}},
	)
	result := tags.deny_missing_required_tags with input as doc with data.aws.parameters as params
	result == {{
		"msg": `AWS::SNS::Topic "Topic" is missing required tags: Owner`,
		"field": ["resources", "Resources", "Topic", "Properties", "Tags"],
	}}
}
