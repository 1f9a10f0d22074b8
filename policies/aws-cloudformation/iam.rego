# METADATA
# title: IAM policies
# description: |-
#   Checks IAM policy documents for statements that allow every action on
#   every resource. Policy documents are read from:
#   - AWS::IAM::Policy, AWS::IAM::ManagedPolicy, AWS::IAM::RolePolicy,
#     AWS::IAM::UserPolicy and AWS::IAM::GroupPolicy (PolicyDocument);
#   - inline policies of AWS::IAM::Role, AWS::IAM::User and AWS::IAM::Group
#     (Policies[].PolicyDocument);
#   - resource policies AWS::S3::BucketPolicy, AWS::SNS::TopicPolicy and
#     AWS::SQS::QueuePolicy (PolicyDocument);
#   - SAM AWS::Serverless::Function and AWS::Serverless::StateMachine
#     Policies (an inline policy document, or the documents in its list; SAM
#     policy templates and managed policy names are not documents);
#   - serverless.yml provider.iamRoleStatements and provider.iam.role.statements.
#   A PolicyDocument given as a JSON string is parsed. Fn::If is expanded at
#   every level (the policy list, a policy, the Statement list, a statement,
#   Action, Resource and their elements). No parameters.
package aws.cloudformation.iam

import data.aws.cloudformation.lib

# METADATA
# title: IAM policy must not allow Action "*" on Resource "*"
# description: |-
#   A statement with Effect Allow, Action "*" (alone or in the list) and
#   Resource "*" grants full administrator access, far beyond what any
#   workload needs, and turns a leaked credential into an account takeover.
#   A literal "*" in either branch of an Fn::If counts. One finding per
#   statement, at its Action.
# custom:
#   id: aws-iam-wildcard
#   severity: critical
#   waivable: false
#   remediation: List the specific actions (service:Action) and resource ARNs the principal needs; start from IAM Access Analyzer policy generation or AWS managed job-function policies.
#   docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
deny_iam_wildcard_policy contains result if {
	some statement in statements
	statement_allows(statement.value)
	count(star_paths(statement.value.Resource, array.concat(statement.path, ["Resource"]))) > 0
	actions := star_paths(statement.value.Action, array.concat(statement.path, ["Action"]))
	count(actions) > 0
	result := {
		"msg": sprintf(`%s has a policy statement that allows Action "*" on Resource "*"`, [statement.owner]),
		"field": lib.first_path(actions),
	}
}

# Types whose PolicyDocument property is one policy document.
document_types := {
	"AWS::IAM::Policy",
	"AWS::IAM::ManagedPolicy",
	"AWS::IAM::RolePolicy",
	"AWS::IAM::UserPolicy",
	"AWS::IAM::GroupPolicy",
	"AWS::S3::BucketPolicy",
	"AWS::SNS::TopicPolicy",
	"AWS::SQS::QueuePolicy",
}

inline_policy_types := {"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"}

sam_types := {"AWS::Serverless::Function", "AWS::Serverless::StateMachine"}

# documents is the set of {"owner": <subject>, "value": <document>, "path": <path>}.
documents contains {"owner": lib.subject(r), "value": doc.value, "path": doc.path} if {
	some r in lib.resources
	r.type in document_types
	some doc in lib.property_alternatives(r.properties, "PolicyDocument", lib.field(r, []))
}

documents contains {"owner": lib.subject(r), "value": doc.value, "path": doc.path} if {
	some r in lib.resources
	r.type in inline_policy_types
	some policy in lib.array_items(r.properties.Policies, lib.field(r, ["Policies"]))
	some doc in lib.property_alternatives(policy.value, "PolicyDocument", policy.path)
}

# SAM Policies: one inline document...
documents contains {"owner": lib.subject(r), "value": doc.value, "path": doc.path} if {
	some r in lib.resources
	r.type in sam_types
	some doc in lib.property_alternatives(r.properties, "Policies", lib.field(r, []))
	is_object(doc.value)
	doc.value.Statement
}

# ...or a list of managed policy names, SAM policy templates and documents.
documents contains {"owner": lib.subject(r), "value": doc.value, "path": doc.path} if {
	some r in lib.resources
	r.type in sam_types
	some doc in lib.array_items(r.properties.Policies, lib.field(r, ["Policies"]))
	is_object(doc.value)
	doc.value.Statement
}

# statements is the set of {"owner", "value": <statement>, "path"}.
statements contains {"owner": doc.owner, "value": statement.value, "path": statement.path} if {
	some doc in documents
	value := parsed(doc.value)
	is_object(value)
	not lib.is_intrinsic(value)
	some statement in statement_items(value.Statement, array.concat(doc.path, ["Statement"]))
}

# serverless.yml provider IAM role statements.
statements contains {"owner": "serverless.yml provider IAM role", "value": statement.value, "path": statement.path} if {
	some list in provider_statement_lists
	some statement in lib.array_items(list.value, list.path)
}

provider_statement_lists contains {"value": value, "path": ["provider", "iamRoleStatements"]} if {
	lib.is_serverless_aws
	value := input.provider.iamRoleStatements
}

provider_statement_lists contains {"value": value, "path": ["provider", "iam", "role", "statements"]} if {
	lib.is_serverless_aws
	value := input.provider.iam.role.statements
}

# parsed turns a PolicyDocument written as a JSON string into an object.
parsed(v) := json.unmarshal(v) if {
	is_string(v)
	json.is_valid(v)
} else := v

# Statement is a list of statements or a single statement object.
statement_items(value, path) := {item |
	some alt in lib.alternatives(value, path)
	some item in alternative_statements(alt)
}

alternative_statements(alt) := lib.array_items(alt.value, alt.path) if {
	is_array(alt.value)
} else := {alt}

statement_allows(statement) if {
	is_object(statement)
	some effect in lib.alternatives(statement.Effect, [])
	effect.value == "Allow"
}

# star_paths is the set of paths where value (Action or Resource) is, or
# contains, a literal "*".
star_paths(value, path) := {alt.path |
	some alt in lib.alternatives(value, path)
	alt.value == "*"
} | {item.path |
	some item in lib.array_items(value, path)
	item.value == "*"
}
