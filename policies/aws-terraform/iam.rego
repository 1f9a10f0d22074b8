# METADATA
# title: IAM policies
# description: |-
#   Checks IAM policy documents for statements that allow every action on
#   every resource. Policy documents are read from:
#   - the `policy` argument of any aws_* resource (aws_iam_policy,
#     aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, and
#     resource policies such as aws_s3_bucket_policy, aws_sqs_queue_policy,
#     aws_sns_topic_policy...) and of the inline_policy blocks of
#     aws_iam_role, when it is a literal JSON string (a quoted string or a
#     heredoc; interpolations inside JSON strings, such as a bucket ARN, are
#     fine). jsonencode(...) and data.aws_iam_policy_document.<x>.json are
#     expressions and are not read here;
#   - the statement blocks of data "aws_iam_policy_document" (effect
#     defaults to Allow).
#   `dynamic "statement"` blocks, source_policy_documents and
#   override_policy_documents are not read. No parameters.
package aws.terraform.iam

import data.aws.terraform.lib

# METADATA
# title: IAM policy must not allow Action "*" on Resource "*"
# description: |-
#   A statement with Effect Allow, Action "*" (alone or in a list) and
#   Resource "*" grants full administrator access, far beyond what any
#   workload needs, and turns a leaked credential into an account takeover.
#   Statements with a Condition are reported too. One finding per
#   statement: at the actions argument of an aws_iam_policy_document
#   statement, at the policy argument for a JSON string.
# custom:
#   id: aws-iam-wildcard
#   severity: critical
#   waivable: false
#   remediation: List the specific actions (service:Action) and resource ARNs the principal needs; start from IAM Access Analyzer policy generation or AWS managed job-function policies.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
deny_iam_wildcard_policy contains result if {
	some statement in json_statements
	statement.value.Effect == "Allow"
	star(statement.value.Action)
	star(statement.value.Resource)
	result := {
		"msg": sprintf(`%s has a policy statement (Statement %s) that allows Action "*" on Resource "*"`, [statement.owner, statement.label]),
		"field": statement.field,
	}
}

deny_iam_wildcard_policy contains result if {
	some doc in lib.data_sources_of_type("aws_iam_policy_document")
	some statement in lib.blocks(doc.body, "statement", doc.path)
	allows(statement.value)
	star(statement.value.actions)
	star(statement.value.resources)
	result := {
		"msg": sprintf(`%s has a statement (statement block %s) that allows actions ["*"] on resources ["*"]`, [doc.address, statement_label(statement)]),
		"field": array.concat(statement.path, ["actions"]),
	}
}

# policies is the set of {"owner", "value": <policy argument>, "field"}.
policies contains {"owner": r.address, "value": r.body.policy, "field": lib.field(r, ["policy"])} if {
	some r in lib.resources
	startswith(r.type, "aws_")
	is_string(r.body.policy)
}

policies contains {"owner": sprintf("%s (inline_policy %s)", [r.address, format_int(i, 10)]), "value": block.value.policy, "field": array.concat(block.path, ["policy"])} if {
	some r in lib.resources_of_type("aws_iam_role")
	some block in lib.blocks(r.body, "inline_policy", r.path)
	i := block.path[count(block.path) - 1]
	is_string(block.value.policy)
}

# json_statements is the set of {"owner", "value": <statement object>,
# "label", "field"} of the policies that are valid JSON documents.
json_statements contains {"owner": policy.owner, "value": item.value, "label": item.label, "field": policy.field} if {
	some policy in policies
	json.is_valid(policy.value)
	document := json.unmarshal(policy.value)
	is_object(document)
	some item in statement_items(document.Statement)
	is_object(item.value)
}

# Statement is a list of statements or a single statement object; each is
# labelled by its Sid, or by its index.
statement_items(statements) := {{"label": item_label(i, s), "value": s} | some i, s in statements} if {
	is_array(statements)
} else := {{"label": item_label(0, statements), "value": statements}}

item_label(i, statement) := sprintf(`"%s"`, [statement.Sid]) if {
	is_string(statement.Sid)
} else := format_int(i, 10)

statement_label(statement) := sprintf(`"%s"`, [statement.value.sid]) if {
	lib.literal_string(statement.value.sid)
} else := format_int(statement.path[count(statement.path) - 1], 10)

# effect defaults to "Allow" in aws_iam_policy_document.
allows(statement) if not lib.has_value(statement, "effect")

allows(statement) if statement.effect == "Allow"

# star holds when the value is "*" or a list holding "*".
star("*")

star(value) if {
	is_array(value)
	"*" in value
}
