package aws.terraform.iam_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.iam

admin_json := `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}
  ]
}
`

policy(text) := fx.resource("aws_iam_policy", "admin", {"name": "admin", "policy": text})

document(statements) := fx.data_source("aws_iam_policy_document", "admin", {"statement": statements})

test_scoped_json_policy_passes if {
	every text in [
		`{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}`,
		`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}]}`,
		`{"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}`,
		`{"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}`,
		`{"Statement": {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}}`,
		`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "${aws_s3_bucket.b.arn}/*"}]}`,
	] {
		count(iam.deny_iam_wildcard_policy) == 0 with input as policy(text)
	}
}

test_expression_policies_pass if {
	every text in [
		"${data.aws_iam_policy_document.admin.json}",
		`${jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})}`,
		"${file(\"policy.json\")}",
	] {
		count(iam.deny_iam_wildcard_policy) == 0 with input as policy(text)
	}
}

test_json_policy_denied if {
	result := iam.deny_iam_wildcard_policy with input as policy(admin_json)
	result == {{
		"msg": `aws_iam_policy.admin has a policy statement (Statement "Admin") that allows Action "*" on Resource "*"`,
		"field": ["resource", "aws_iam_policy", "admin", 0, "policy"],
	}}
}

test_json_policy_single_statement_lists_denied if {
	text := `{"Statement": {"Effect": "Allow", "Action": ["s3:GetObject", "*"], "Resource": ["*"]}}`
	result := iam.deny_iam_wildcard_policy with input as fx.resource("aws_iam_role_policy", "p", {"role": "${aws_iam_role.r.id}", "policy": text})
	result == {{
		"msg": `aws_iam_role_policy.p has a policy statement (Statement 0) that allows Action "*" on Resource "*"`,
		"field": ["resource", "aws_iam_role_policy", "p", 0, "policy"],
	}}
}

test_json_policy_with_interpolations_denied if {
	text := `{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "${aws_s3_bucket.b.arn}"}, {"Effect": "Allow", "Action": "*", "Resource": "*"}]}`
	result := iam.deny_iam_wildcard_policy with input as policy(text)
	result == {{
		"msg": `aws_iam_policy.admin has a policy statement (Statement 1) that allows Action "*" on Resource "*"`,
		"field": ["resource", "aws_iam_policy", "admin", 0, "policy"],
	}}
}

test_role_inline_policy_denied if {
	doc := fx.resource("aws_iam_role", "app", {
		"assume_role_policy": `{"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`,
		"inline_policy": [{"name": "admin", "policy": admin_json}],
	})
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {{
		"msg": `aws_iam_role.app (inline_policy 0) has a policy statement (Statement "Admin") that allows Action "*" on Resource "*"`,
		"field": ["resource", "aws_iam_role", "app", 0, "inline_policy", 0, "policy"],
	}}
}

test_non_aws_policy_passes if {
	count(iam.deny_iam_wildcard_policy) == 0 with input as fx.resource("vault_policy", "admin", {"policy": admin_json})
}

test_policy_document_scoped_passes if {
	doc := document([
		{"actions": ["s3:GetObject"], "resources": ["*"]},
		{"actions": ["*"], "resources": ["arn:aws:s3:::b"]},
		{"effect": "Deny", "actions": ["*"], "resources": ["*"]},
		{"effect": "${var.effect}", "actions": ["*"], "resources": ["*"]},
		{"actions": "${var.actions}", "resources": ["*"]},
		{"not_actions": ["iam:*"], "resources": ["*"]},
	])
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}

test_policy_document_denied if {
	doc := document([
		{"sid": "Read", "actions": ["s3:GetObject"], "resources": ["*"]},
		{"sid": "Admin", "effect": "Allow", "actions": ["*"], "resources": ["*"]},
		{"actions": ["ec2:*", "*"], "resources": ["*"]},
	])
	result := iam.deny_iam_wildcard_policy with input as doc
	result == {
		{
			"msg": `data.aws_iam_policy_document.admin has a statement (statement block "Admin") that allows actions ["*"] on resources ["*"]`,
			"field": ["data", "aws_iam_policy_document", "admin", 0, "statement", 1, "actions"],
		},
		{
			"msg": `data.aws_iam_policy_document.admin has a statement (statement block 2) that allows actions ["*"] on resources ["*"]`,
			"field": ["data", "aws_iam_policy_document", "admin", 0, "statement", 2, "actions"],
		},
	}
}

test_dynamic_statement_passes if {
	doc := fx.data_source("aws_iam_policy_document", "admin", {"dynamic": {"statement": [{"for_each": "${var.s}", "content": [{"actions": ["*"], "resources": ["*"]}]}]}})
	count(iam.deny_iam_wildcard_policy) == 0 with input as doc
}
