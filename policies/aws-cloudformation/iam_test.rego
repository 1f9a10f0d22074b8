package aws.cloudformation.iam_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.iam

statement(action, resource) := {"Effect": "Allow", "Action": action, "Resource": resource}

admin := statement("*", "*")

document(statements) := {"Version": "2012-10-17", "Statement": statements}

assume := {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}

role(policies) := fx.template({"Role": fx.resource("AWS::IAM::Role", {"AssumeRolePolicyDocument": assume, "Policies": policies})})

inline(statements) := [{"PolicyName": "inline", "PolicyDocument": document(statements)}]

role_path(rest) := array.concat(["Resources", "Role", "Properties", "Policies"], rest)

role_msg := `AWS::IAM::Role "Role" has a policy statement that allows Action "*" on Resource "*"`

test_scoped_policies_pass if {
	doc := role(inline([
		statement("s3:GetObject", "*"),
		statement("*", "arn:aws:s3:::bucket/*"),
		statement(["s3:*", "sqs:SendMessage"], ["*"]),
		{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
		{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
		statement({"Ref": "Actions"}, "*"),
		statement("*", {"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}),
		{"Effect": {"Ref": "Effect"}, "Action": "*", "Resource": "*"},
	]))
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}

test_assume_role_policy_is_not_a_permission_policy if {
	doc := fx.template({"Role": fx.resource("AWS::IAM::Role", {"AssumeRolePolicyDocument": document([admin])})})
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}

test_role_inline_admin if {
	result := iam.deny_iam_wildcard_policy with input as role(inline([statement("s3:GetObject", "*"), admin]))
	result == {{"msg": role_msg, "field": role_path([0, "PolicyDocument", "Statement", 1, "Action"])}}
}

test_action_list_with_star if {
	result := iam.deny_iam_wildcard_policy with input as role(inline([statement(["s3:GetObject", "*"], ["arn:aws:s3:::b", "*"])]))
	result == {{"msg": role_msg, "field": role_path([0, "PolicyDocument", "Statement", 0, "Action", 1])}}
}

# The !If of ../shared/corpus/bad/cfn-tag-mixing.yaml: the admin policy
# exists only when the condition is false.
test_if_hides_admin_policy if {
	policies := {"Fn::If": ["IsProd", fx.no_value, [{"PolicyName": "x", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}]]}
	result := iam.deny_iam_wildcard_policy with input as role(policies)
	result == {{"msg": role_msg, "field": role_path(["Fn::If", 2, 0, "PolicyDocument", "Statement", 0, "Action"])}}
}

test_if_hides_star_action if {
	result := iam.deny_iam_wildcard_policy with input as role(inline([statement(fx.if_("s3:GetObject", "*"), "*")]))
	result == {{"msg": role_msg, "field": role_path([0, "PolicyDocument", "Statement", 0, "Action", "Fn::If", 2])}}
}

test_if_hides_star_in_action_list_and_statement if {
	statements := [fx.if_(statement(["sqs:*", fx.if_("*", fx.no_value)], [fx.if_(fx.no_value, "*")]), fx.no_value)]
	result := iam.deny_iam_wildcard_policy with input as role(inline(statements))
	result == {{"msg": role_msg, "field": role_path([0, "PolicyDocument", "Statement", 0, "Fn::If", 1, "Action", 1, "Fn::If", 1])}}
}

test_if_effect_may_allow if {
	result := iam.deny_iam_wildcard_policy with input as role(inline([{"Effect": fx.if_("Allow", "Deny"), "Action": "*", "Resource": "*"}]))
	result == {{"msg": role_msg, "field": role_path([0, "PolicyDocument", "Statement", 0, "Action"])}}
}

test_managed_policy_single_statement_object if {
	doc := fx.template({"Admin": fx.resource("AWS::IAM::ManagedPolicy", {"PolicyDocument": document(admin)})})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {{
		"msg": `AWS::IAM::ManagedPolicy "Admin" has a policy statement that allows Action "*" on Resource "*"`,
		"field": ["Resources", "Admin", "Properties", "PolicyDocument", "Statement", "Action"],
	}}
}

test_policy_document_as_json_string if {
	doc := fx.template({"P": fx.resource("AWS::IAM::Policy", {"PolicyName": "p", "PolicyDocument": json.marshal(document([admin]))})})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {{
		"msg": `AWS::IAM::Policy "P" has a policy statement that allows Action "*" on Resource "*"`,
		"field": ["Resources", "P", "Properties", "PolicyDocument", "Statement", 0, "Action"],
	}}
}

test_policy_types if {
	every type in ["AWS::IAM::Policy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"] {
		result := iam.deny_iam_wildcard_policy with input as fx.template({"P": fx.resource(type, {"PolicyDocument": document([admin])})})
		result == {{
			"msg": sprintf(`%s "P" has a policy statement that allows Action "*" on Resource "*"`, [type]),
			"field": ["Resources", "P", "Properties", "PolicyDocument", "Statement", 0, "Action"],
		}}
	}
}

test_user_and_group_inline_policies if {
	every type in ["AWS::IAM::User", "AWS::IAM::Group"] {
		result := iam.deny_iam_wildcard_policy with input as fx.template({"U": fx.resource(type, {"Policies": inline([admin])})})
		result == {{
			"msg": sprintf(`%s "U" has a policy statement that allows Action "*" on Resource "*"`, [type]),
			"field": ["Resources", "U", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action"],
		}}
	}
}

test_sam_function_policies if {
	policies := ["AWSLambdaBasicExecutionRole", {"S3ReadPolicy": {"BucketName": "b"}}, document([statement("s3:*", "*")]), document([admin])]
	doc := fx.sam({}, {"Fn": fx.resource("AWS::Serverless::Function", {"Runtime": "python3.13", "Policies": policies})})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {{
		"msg": `AWS::Serverless::Function "Fn" has a policy statement that allows Action "*" on Resource "*"`,
		"field": ["Resources", "Fn", "Properties", "Policies", 3, "Statement", 0, "Action"],
	}}
}

test_sam_inline_document if {
	doc := fx.sam({}, {"Flow": fx.resource("AWS::Serverless::StateMachine", {"Policies": document([admin])})})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {{
		"msg": `AWS::Serverless::StateMachine "Flow" has a policy statement that allows Action "*" on Resource "*"`,
		"field": ["Resources", "Flow", "Properties", "Policies", "Statement", 0, "Action"],
	}}
}

test_sam_policy_templates_pass if {
	doc := fx.sam({}, {"Fn": fx.resource("AWS::Serverless::Function", {"Policies": ["AdministratorAccess", {"DynamoDBCrudPolicy": {"TableName": "t"}}]})})
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}

test_serverless_provider_statements if {
	doc := object.union(fx.serverless({}), {"provider": {
		"iamRoleStatements": [statement("s3:*", "*"), admin],
		"iam": {"role": {"statements": [statement(["*"], ["*"])]}},
	}})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {
		{"msg": `serverless.yml provider IAM role has a policy statement that allows Action "*" on Resource "*"`, "field": ["provider", "iamRoleStatements", 1, "Action"]},
		{"msg": `serverless.yml provider IAM role has a policy statement that allows Action "*" on Resource "*"`, "field": ["provider", "iam", "role", "statements", 0, "Action", 0]},
	}
}

test_serverless_resources_role if {
	result := iam.deny_iam_wildcard_policy with input as fx.serverless({"Role": fx.resource("AWS::IAM::Role", {"Policies": inline([admin])})})
	result == {{"msg": role_msg, "field": ["resources", "Resources", "Role", "Properties", "Policies", 0, "PolicyDocument", "Statement", 0, "Action"]}}
}

test_serverless_other_provider_ignored if {
	doc := {"service": "x", "provider": {"name": "google", "iamRoleStatements": [admin]}}
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}
