# METADATA
# title: AWS CloudFormation policy helpers
# description: |-
#   Shared helpers for the built-in AWS CloudFormation policy pack. This
#   package holds no deny_/warn_ rules.
#
#   Input is one parsed document. The built-in bundle evaluates every package
#   against every document of every format, so every helper first recognises
#   an AWS document and yields nothing for anything else:
#   - a CloudFormation or SAM template: an object whose Resources is an object
#     with at least one entry whose Type is a string starting with "AWS::";
#     its resources live at ["Resources", <LogicalId>];
#   - a Serverless Framework serverless.yml: an object with a service whose
#     resources.Resources is an object (["resources", "Resources", <id>]) or
#     whose resources is a list of such fragments
#     (["resources", <i>, "Resources", <id>]). Provider-level settings
#     (provider.runtime, provider IAM role statements) are read only when
#     provider.name is "aws".
#   Any JSON value (null, a string, an array, a Kubernetes object, a
#   Dockerfile instruction list, Terraform JSON...) evaluates without runtime
#   errors.
#
#   Intrinsic functions arrive in long form ({"Ref": ...}, {"Fn::If": [...]},
#   ...). A value is only judged when it is a literal: a Ref, Fn::Sub,
#   Fn::FindInMap... or a Serverless "${...}" variable is unknown and never
#   produces a finding on its own. Fn::If is expanded (up to four nested
#   levels) into both branches, each judged on its own, so a literal branch
#   that breaks a rule is a finding; {"Ref": "AWS::NoValue"} counts as the
#   property being absent.
#
#   Parameters are read from data.aws.parameters:
#   - required_tags (array of strings, default []): tag keys every taggable
#     resource must carry; empty disables aws-required-tags.
#   - deprecated_lambda_runtimes (array of strings, default: the built-in list
#     in aws.cloudformation.lambda): Lambda runtime identifiers reported by
#     aws-lambda-runtime.
package aws.cloudformation.lib

# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

parameters := p if {
	p := data.aws.parameters
	is_object(p)
} else := {}

# list_param returns the array parameter `name`, or `default_value` when it is
# not set or is not an array.
list_param(name, default_value) := v if {
	v := parameters[name]
	is_array(v)
} else := default_value

# ---------------------------------------------------------------------------
# Document recognition
# ---------------------------------------------------------------------------

is_aws_type(t) if {
	is_string(t)
	startswith(t, "AWS::")
}

# is_template holds for a CloudFormation or SAM template.
is_template if {
	is_object(input)
	resources := input.Resources
	is_object(resources)
	some res in resources
	is_aws_type(res.Type)
}

# is_serverless holds for a Serverless Framework document (serverless.yml).
is_serverless if {
	is_object(input)
	service := input.service
	service != null
}

# is_serverless_aws holds for a serverless.yml whose provider is AWS.
is_serverless_aws if {
	is_serverless
	input.provider.name == "aws"
}

# roots are the Resources maps of the document, with their path.
roots contains {"path": ["Resources"], "resources": input.Resources} if is_template

roots contains {"path": ["resources", "Resources"], "resources": resources} if {
	is_serverless
	resources := input.resources.Resources
	is_object(resources)
}

roots contains {"path": ["resources", i, "Resources"], "resources": resources} if {
	is_serverless
	parts := input.resources
	is_array(parts)
	some i, part in parts
	resources := part.Resources
	is_object(resources)
}

# resources is the set of every resource of the document:
# {"id": <logical id>, "type": <Type>, "resource": <the resource object>,
#  "properties": <Properties, {} when absent>, "path": <path to the resource>}.
# Resources whose Properties is itself an intrinsic function are unknown and
# left out.
resources contains {
	"id": id,
	"type": res.Type,
	"resource": res,
	"properties": props,
	"path": array.concat(root.path, [id]),
} if {
	some root in roots
	some id, res in root.resources
	is_string(res.Type)
	props := properties(res)
}

properties(res) := p if {
	p := res.Properties
	is_object(p)
	not is_intrinsic(p)
} else := {} if {
	not object_properties(res)
}

# Helpers take the parent object, never a possibly undefined reference: a
# call with an undefined argument is undefined, and so is its negation.
object_properties(res) if is_object(res.Properties)

# resources_of_type is the set of resources of one Type.
resources_of_type(t) := {r | some r in resources; r.type == t}

# subject names a resource in messages, e.g. `AWS::S3::Bucket "Logs"`.
subject(r) := sprintf(`%s "%s"`, [r.type, r.id])

# field is the path of a property of a resource: field(r, ["Tags"]) is
# [..., <LogicalId>, "Properties", "Tags"].
field(r, rest) := array.concat(array.concat(r.path, ["Properties"]), rest)

# ---------------------------------------------------------------------------
# Intrinsic functions and literal values
# ---------------------------------------------------------------------------

intrinsic_key("Ref")

intrinsic_key("Condition")

intrinsic_key(k) if {
	is_string(k)
	startswith(k, "Fn::")
}

# is_intrinsic holds for {"Ref": ...}, {"Fn::*": ...} and {"Condition": ...}.
is_intrinsic(v) if {
	is_object(v)
	count(v) == 1
	some k, _ in v
	intrinsic_key(k)
}

is_no_value(v) if v == {"Ref": "AWS::NoValue"}

# Serverless Framework variables (${self:...}, ${opt:...}, ${file(...)}).
is_variable(v) if {
	is_string(v)
	contains(v, "${")
}

# is_known holds for values fixed in the template: no intrinsic function and
# no Serverless variable.
is_known(v) if {
	not is_intrinsic(v)
	not is_variable(v)
}

# has_value holds when obj[key] is set to something other than null and
# {"Ref": "AWS::NoValue"} (an Fn::If counts as set).
has_value(obj, key) if {
	v := obj[key]
	v != null
	not is_no_value(v)
}

is_true(true)

is_true(v) if {
	is_string(v)
	lower(v) == "true"
}

is_false(false)

is_false(v) if {
	is_string(v)
	lower(v) == "false"
}

# is_falsy holds for a value that is provably not true: a literal other than
# true, or AWS::NoValue.
is_falsy(v) if is_no_value(v)

is_falsy(v) if {
	is_known(v)
	not is_true(v)
}

# ---------------------------------------------------------------------------
# Fn::If alternatives
# ---------------------------------------------------------------------------

if_args(v) := args if {
	is_object(v)
	count(v) == 1
	args := v["Fn::If"]
	is_array(args)
	count(args) == 3
}

# expand replaces an Fn::If alternative by its two branches.
expand(alt) := {{"value": args[i], "path": array.concat(alt.path, ["Fn::If", i])} | some i in [1, 2]} if {
	args := if_args(alt.value)
} else := {alt}

# alternatives is the set of values `value` (found at `path`) may take:
# {"value": <value>, "path": <path of that value>}, with Fn::If branches
# expanded up to four levels deep. A value without Fn::If is its own single
# alternative.
alternatives(value, path) := {a4 |
	some a1 in expand({"value": value, "path": path})
	some a2 in expand(a1)
	some a3 in expand(a2)
	some a4 in expand(a3)
}

# property_alternatives is alternatives() of obj[key], empty when absent.
property_alternatives(obj, key, path) := alternatives(obj[key], array.concat(path, [key])) if {
	has_value(obj, key)
} else := set()

# array_items is the set of {"value", "path"} items of a list that may itself
# be behind Fn::If, each item with its own Fn::If branches expanded.
array_items(value, path) := {item |
	some alt in alternatives(value, path)
	is_array(alt.value)
	some i, element in alt.value
	some item in alternatives(element, array.concat(alt.path, [i]))
}

# not_true_paths is the set of paths where obj[key] (obj at `path`) is
# provably not true: the path of the missing key, or of each literal Fn::If
# branch that is not true. Empty when the value is true or unknown.
not_true_paths(obj, key, path) := {array.concat(path, [key])} if {
	not has_value(obj, key)
} else := {alt.path | some alt in alternatives(obj[key], array.concat(path, [key])); is_falsy(alt.value)}

# true_paths is the set of paths where obj[key] is, or may be (a literal
# Fn::If branch), true.
true_paths(obj, key, path) := {alt.path | some alt in property_alternatives(obj, key, path); is_true(alt.value)}

# false_paths is the set of paths where obj[key] is, or may be, false.
false_paths(obj, key, path) := {alt.path | some alt in property_alternatives(obj, key, path); is_false(alt.value)}

# not_true_reason describes why not_true_paths is not empty, for messages.
not_true_reason(obj, key) := sprintf("does not set %s", [key]) if {
	not has_value(obj, key)
} else := sprintf("sets %s to a value other than true in an Fn::If branch", [key]) if {
	if_args(obj[key])
} else := sprintf("sets %s to %s", [key, render(obj[key])])

# render formats a value for messages.
render(v) := v if {
	is_string(v)
} else := json.marshal(v)

# first_path picks one path of a non-empty set deterministically.
first_path(paths) := min(paths)
