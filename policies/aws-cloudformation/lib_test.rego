package aws.cloudformation.lib_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.lib

test_recognises_templates if {
	lib.is_template with input as fx.template({"B": {"Type": "AWS::S3::Bucket"}})
	lib.is_template with input as {"Resources": {"C": {"Type": "Custom::X"}, "B": {"Type": "AWS::SNS::Topic"}}}
	not lib.is_template with input as {"Resources": {"C": {"Type": "Custom::X"}}}
	not lib.is_template with input as {"resource": {"aws_s3_bucket": {"b": {}}}}
	not lib.is_template with input as fx.kubernetes_deployment
}

test_recognises_serverless if {
	lib.is_serverless_aws with input as fx.serverless({})
	not lib.is_serverless_aws with input as {"service": "x", "provider": {"name": "azure"}}
	not lib.is_serverless with input as {"provider": {"name": "aws"}}
}

test_resources if {
	doc := fx.template({
		"B": {"Type": "AWS::S3::Bucket"},
		"N": {"Type": "AWS::SNS::Topic", "Properties": null},
		"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q"}},
		"X": {"Type": "AWS::SQS::Queue", "Properties": {"Fn::If": ["IsProd", {}, {}]}},
		"S": "not a resource",
	})
	found := {[r.id, r.type, r.properties, r.path] | some r in lib.resources} with input as doc
	found == {
		["B", "AWS::S3::Bucket", {}, ["Resources", "B"]],
		["N", "AWS::SNS::Topic", {}, ["Resources", "N"]],
		["Q", "AWS::SQS::Queue", {"QueueName": "q"}, ["Resources", "Q"]],
	}
}

test_alternatives_expand_nested_if if {
	value := {"Fn::If": ["A", "x", {"Fn::If": ["B", "y", {"Ref": "Z"}]}]}
	lib.alternatives(value, ["V"]) == {
		{"value": "x", "path": ["V", "Fn::If", 1]},
		{"value": "y", "path": ["V", "Fn::If", 2, "Fn::If", 1]},
		{"value": {"Ref": "Z"}, "path": ["V", "Fn::If", 2, "Fn::If", 2]},
	}
	lib.alternatives("plain", ["V"]) == {{"value": "plain", "path": ["V"]}}
	lib.alternatives({"Fn::If": ["only-two", "x"]}, []) == {{"value": {"Fn::If": ["only-two", "x"]}, "path": []}}
}

test_literals if {
	lib.is_true(true)
	lib.is_true("True")
	not lib.is_true("yes")
	lib.is_false("FALSE")
	lib.is_falsy(false)
	lib.is_falsy(fx.no_value)
	not lib.is_falsy({"Ref": "P"})
	not lib.is_falsy("${self:custom.flag}")
	lib.is_intrinsic({"Condition": "IsProd"})
	not lib.is_intrinsic({"Ref": "A", "Other": 1})
	not lib.has_value({"A": null}, "A")
	not lib.has_value({"A": fx.no_value}, "A")
	lib.has_value({"A": false}, "A")
}

test_not_true_reason if {
	lib.not_true_reason({}, "Encrypted") == "does not set Encrypted"
	lib.not_true_reason({"Encrypted": false}, "Encrypted") == "sets Encrypted to false"
	lib.not_true_reason({"Encrypted": "no"}, "Encrypted") == "sets Encrypted to no"
	lib.not_true_reason({"Encrypted": fx.if_(true, false)}, "Encrypted") == "sets Encrypted to a value other than true in an Fn::If branch"
}

test_parameters if {
	lib.list_param("required_tags", ["x"]) == ["x"]
	lib.list_param("required_tags", ["x"]) == ["x"] with data.aws.parameters as "nope"
	lib.list_param("required_tags", []) == ["Owner"] with data.aws.parameters as {"required_tags": ["Owner"]}
	lib.list_param("required_tags", []) == [] with data.aws.parameters as {"required_tags": "Owner"}
}
