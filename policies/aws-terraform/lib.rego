# METADATA
# title: AWS Terraform policy helpers
# description: |-
#   Shared helpers for the built-in AWS Terraform policy pack. This package
#   holds no deny_/warn_ rules.
#
#   Input is one .tf file as conftest's HCL2 parser (tmccombs/hcl2json)
#   produces it: {"resource": {<type>: {<name>: [<body>, ...]}}, "data": {...},
#   "module": {<name>: [<body>]}, ...}. Nested blocks are arrays of objects
#   (ingress = [{...}]); `dynamic "x"` blocks live under the body's "dynamic"
#   key; every non-literal expression is a string holding "${...}" (or a
#   "%{...}" template directive). The built-in bundle evaluates every package
#   against every document of every format, so every helper first recognises
#   that shape (label -> label -> array of object bodies) and yields nothing
#   for anything else (Kubernetes objects, CloudFormation templates,
#   Dockerfile instruction lists, GitHub workflows, Terraform JSON .tf.json
#   whose bodies are objects, null, scalars...). Any JSON value evaluates
#   without runtime errors.
#
#   Expressions are unknown values: a rule only reports what the literal
#   configuration provably gets wrong, so `publicly_accessible = var.public`
#   or `tags = merge(var.tags, {...})` never produce a finding on their own.
#   Resources with a literal `count = 0` or an empty literal `for_each` are
#   never created and are skipped.
#
#   The pack sees one file at a time: a resource that configures a bucket,
#   function or provider from another file of the module is invisible, and
#   rules that look for such companions treat an unresolvable reference as
#   "may be the one" rather than report.
#
#   Parameters are read from data.aws.parameters (shared with the
#   CloudFormation pack):
#   - required_tags (array of strings, default []): tag keys every taggable
#     resource must carry; empty disables aws-required-tags.
#   - deprecated_lambda_runtimes (array of strings, default: the built-in
#     list in aws.terraform.lambda): Lambda runtime identifiers reported by
#     aws-lambda-runtime.
package aws.terraform.lib

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

# is_terraform holds when the input has the shape of a parsed .tf file: a
# resource or data section (type -> name -> array of bodies) or a module
# section (name -> array of bodies) with at least one object body.
is_terraform if count(resources) > 0

is_terraform if count(data_sources) > 0

is_terraform if {
	is_object(input)
	modules := input.module
	is_object(modules)
	some bodies in modules
	is_array(bodies)
	some body in bodies
	is_object(body)
}

# labelled_blocks is the set of blocks with two labels of the section `kind`
# ("resource" or "data"):
# {"type", "name", "body", "path": [kind, type, name, i], "address"}.
labelled_blocks(kind) := {block |
	is_object(input)
	section := input[kind]
	is_object(section)
	some type, named in section
	is_object(named)
	some name, bodies in named
	is_array(bodies)
	some i, body in bodies
	is_object(body)
	not never_created(body)
	block := {
		"type": type,
		"name": name,
		"body": body,
		"path": [kind, type, name, i],
		"address": address(kind, type, name),
	}
}

address("data", type, name) := sprintf("data.%s.%s", [type, name])

address("resource", type, name) := sprintf("%s.%s", [type, name])

# A literal count = 0 or an empty literal for_each creates no instance.
never_created(body) if body.count in {0, "0"}

never_created(body) if body.for_each in {[], {}}

# resources is the set of resource blocks of the file.
resources := labelled_blocks("resource")

# data_sources is the set of data blocks of the file.
data_sources := labelled_blocks("data")

resources_of_type(type) := {r | some r in resources; r.type == type}

data_sources_of_type(type) := {d | some d in data_sources; d.type == type}

# field is the path of an attribute or block of the resource (or data source).
field(r, rest) := array.concat(r.path, rest)

# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------

# is_expression holds for a value computed by Terraform (a reference, a
# function call, a template with interpolations or directives): unknown here.
is_expression(v) if {
	is_string(v)
	contains(v, "${")
}

is_expression(v) if {
	is_string(v)
	contains(v, "%{")
}

# is_known holds for a literal, non-null value.
is_known(v) if {
	v != null
	not is_expression(v)
}

# Terraform converts the strings "true" and "false" to booleans.
is_true(v) if v in {true, "true"}

is_false(v) if v in {false, "false"}

# has_value holds when obj sets key to something other than null (Terraform
# treats null as "not set").
has_value(obj, key) if {
	is_object(obj)
	obj[key] != null
}

# literal_string holds for a string that is not an expression.
literal_string(v) if {
	is_string(v)
	not is_expression(v)
}

# Attribute forms of the value tests, for negation: `not f(obj.key)` fails
# when obj.key is undefined, `not f_attribute(obj, "key")` succeeds.
literal_attribute(obj, key) if literal_string(obj[key])

false_attribute(obj, key) if is_false(obj[key])

# not_true_reason describes why obj[key] is provably not true (missing, or a
# literal other than true), for messages; undefined when the value is true or
# unknown.
not_true_reason(obj, key) := sprintf("does not set %s", [key]) if {
	not has_value(obj, key)
} else := sprintf("sets %s = %s", [key, json.marshal(obj[key])]) if {
	is_known(obj[key])
	not is_true(obj[key])
}

# blocks is the set of {"value", "path"} of the static nested blocks `name` of
# obj (whose path is `path`); dynamic blocks are not included.
blocks(obj, name, path) := {{"value": b, "path": array.concat(path, [name, i])} |
	is_object(obj)
	list := obj[name]
	is_array(list)
	some i, b in list
	is_object(b)
}

# configures_block holds when obj sets nested block `name` in any form: a
# static block, a `dynamic` block or an expression (attribute syntax).
configures_block(obj, name) if count(blocks(obj, name, [])) > 0

configures_block(obj, name) if {
	dynamic := obj.dynamic
	is_object(dynamic)
	dynamic[name] != null
}

configures_block(obj, name) if is_expression(obj[name])

# ---------------------------------------------------------------------------
# References
# ---------------------------------------------------------------------------

label_pattern := `^[A-Za-z0-9_-]+$`

# references holds when the expression `value` refers to the resource
# type.name (type.name.attr, type.name[0].attr, type.name["k"].attr...), not
# to data.type.name or to a longer name.
references(value, type, name) if {
	is_expression(value)
	is_string(type)
	is_string(name)
	regex.match(label_pattern, type)
	regex.match(label_pattern, name)
	regex.match(sprintf(`(^|[^A-Za-z0-9_.-])%s\.%s([^A-Za-z0-9_-]|$)`, [type, name]), value)
}

# mentions_type holds when the expression `value` refers to some resource of
# the given type.
mentions_type(value, type) if {
	is_expression(value)
	is_string(type)
	regex.match(label_pattern, type)
	regex.match(sprintf(`(^|[^A-Za-z0-9_.-])%s\.[A-Za-z_]`, [type]), value)
}

# may_reference holds when `value` (the reference attribute of a companion
# resource, such as the bucket of an aws_s3_bucket_versioning) is or may be
# the resource r of type `type`:
# - an expression that refers to r;
# - an expression that refers to no resource of that type at all (a
#   variable, a local, each.value...): unknown, so it may be r;
# - a literal equal to r's literal `name_key` attribute, or any literal when
#   r's name is not a literal.
may_reference(value, r, _) if references(value, r.type, r.name)

may_reference(value, r, _) if {
	is_expression(value)
	not mentions_type(value, r.type)
}

may_reference(value, r, name_key) if {
	literal_string(value)
	value == r.body[name_key]
}

may_reference(value, r, name_key) if {
	literal_string(value)
	not literal_attribute(r.body, name_key)
}
