package aws.terraform.s3_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.s3

bucket_path := fx.path("aws_s3_bucket", "logs")

all_flags := {
	"block_public_acls": true,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
}

# A bucket with the three companion resources, given `bucket` references.
with_companions(ref) := {"resource": {
	"aws_s3_bucket": {"logs": [{"bucket": "acme-logs"}]},
	"aws_s3_bucket_public_access_block": {"logs": [object.union(all_flags, {"bucket": ref})]},
	"aws_s3_bucket_server_side_encryption_configuration": {"logs": [{"bucket": ref}]},
	"aws_s3_bucket_versioning": {"logs": [{"bucket": ref, "versioning_configuration": [{"status": "Enabled"}]}]},
}}

lone_bucket := fx.resource("aws_s3_bucket", "logs", {"bucket": "acme-logs"})

# --- deny_s3_public_access_block ---------------------------------------------

test_public_access_block_by_reference_passes if {
	every ref in ["${aws_s3_bucket.logs.id}", "${aws_s3_bucket.logs[0].id}", "${aws_s3_bucket.logs.bucket}", `${aws_s3_bucket.logs["a"].id}`] {
		count(s3.deny_s3_public_access_block) == 0 with input as with_companions(ref)
	}
}

test_public_access_block_unknown_or_literal_bucket_passes if {
	every ref in ["${var.bucket}", "${local.bucket_id}", "${each.value.id}", "${data.aws_s3_bucket.logs.id}", "acme-logs"] {
		count(s3.deny_s3_public_access_block) == 0 with input as with_companions(ref)
	}
}

test_public_access_block_literal_with_computed_bucket_name_passes if {
	doc := {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket_prefix": "logs-"}]},
		"aws_s3_bucket_public_access_block": {"logs": [object.union(all_flags, {"bucket": "some-bucket"})]},
	}}
	count(s3.deny_s3_public_access_block) == 0 with input as doc
}

test_public_access_block_account_level_passes if {
	doc := {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "acme-logs"}]},
		"aws_s3_account_public_access_block": {"this": [all_flags]},
	}}
	count(s3.deny_s3_public_access_block) == 0 with input as doc
}

test_public_access_block_missing_denied if {
	result := s3.deny_s3_public_access_block with input as lone_bucket
	result == {{
		"msg": "aws_s3_bucket.logs has no aws_s3_bucket_public_access_block in this file; add one that sets block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets to true",
		"field": bucket_path,
	}}
}

test_public_access_block_for_other_bucket_denied if {
	every ref in ["${aws_s3_bucket.logs2.id}", "${aws_s3_bucket.other.id}", "other-bucket"] {
		result := s3.deny_s3_public_access_block with input as with_companions(ref)
		result == {{
			"msg": "aws_s3_bucket.logs has no aws_s3_bucket_public_access_block in this file; add one that sets block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets to true",
			"field": bucket_path,
		}}
	}
}

test_public_access_block_flags_not_true_denied if {
	doc := {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "acme-logs"}]},
		"aws_s3_bucket_public_access_block": {"logs": [{
			"bucket": "${aws_s3_bucket.logs.id}",
			"block_public_acls": true,
			"block_public_policy": false,
			"restrict_public_buckets": "${var.restrict}",
		}]},
	}}
	result := s3.deny_s3_public_access_block with input as doc
	result == {{
		"msg": "aws_s3_bucket_public_access_block.logs does not block all public access: block_public_policy, ignore_public_acls not set to true (each defaults to false)",
		"field": ["resource", "aws_s3_bucket_public_access_block", "logs", 0, "block_public_policy"],
	}}
}

test_account_public_access_block_false_flag_denied if {
	doc := {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "acme-logs"}]},
		"aws_s3_account_public_access_block": {"this": [object.union(all_flags, {"ignore_public_acls": "false"})]},
	}}
	result := s3.deny_s3_public_access_block with input as doc
	result == {
		{
			"msg": "aws_s3_account_public_access_block.this does not block all public access: ignore_public_acls not set to true (each defaults to false)",
			"field": ["resource", "aws_s3_account_public_access_block", "this", 0, "ignore_public_acls"],
		},
		{
			"msg": "aws_s3_bucket.logs has no aws_s3_bucket_public_access_block in this file; add one that sets block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets to true",
			"field": bucket_path,
		},
	}
}

test_public_access_block_variables_pass if {
	doc := fx.resource("aws_s3_bucket_public_access_block", "p", {
		"bucket": "${var.bucket}",
		"block_public_acls": "${var.block_public_acls}",
		"block_public_policy": "${var.block_public_policy}",
		"ignore_public_acls": "${var.ignore_public_acls}",
		"restrict_public_buckets": "${var.restrict_public_buckets}",
	})
	count(s3.deny_s3_public_access_block) == 0 with input as doc
}

test_bucket_never_created_passes if {
	every body in [{"count": 0}, {"count": "0"}, {"for_each": {}}, {"for_each": []}] {
		count(s3.deny_s3_public_access_block) == 0 with input as fx.resource("aws_s3_bucket", "logs", body)
	}
}

# --- deny_s3_unencrypted_bucket ----------------------------------------------

test_encryption_companion_passes if {
	count(s3.deny_s3_unencrypted_bucket) == 0 with input as with_companions("${aws_s3_bucket.logs.id}")
}

test_encryption_legacy_block_passes if {
	every body in [
		{"server_side_encryption_configuration": [{"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "AES256"}]}]}]},
		{"dynamic": {"server_side_encryption_configuration": [{"for_each": "${var.sse}", "content": [{}]}]}},
		{"server_side_encryption_configuration": "${var.sse}"},
	] {
		count(s3.deny_s3_unencrypted_bucket) == 0 with input as fx.resource("aws_s3_bucket", "logs", body)
	}
}

test_encryption_missing_denied if {
	result := s3.deny_s3_unencrypted_bucket with input as lone_bucket
	result == {{
		"msg": "aws_s3_bucket.logs has no default server-side encryption: no aws_s3_bucket_server_side_encryption_configuration for it in this file and no server_side_encryption_configuration block",
		"field": bucket_path,
	}}
}

test_encryption_for_other_bucket_denied if {
	result := s3.deny_s3_unencrypted_bucket with input as with_companions("${aws_s3_bucket.other.id}")
	result == {{
		"msg": "aws_s3_bucket.logs has no default server-side encryption: no aws_s3_bucket_server_side_encryption_configuration for it in this file and no server_side_encryption_configuration block",
		"field": bucket_path,
	}}
}

# --- warn_s3_versioning_disabled ---------------------------------------------

test_versioning_companion_passes if {
	count(s3.warn_s3_versioning_disabled) == 0 with input as with_companions("${aws_s3_bucket.logs.id}")
}

test_versioning_legacy_block_passes if {
	every body in [
		{"versioning": [{"enabled": true}]},
		{"versioning": [{"enabled": "${var.versioning}"}]},
		{"dynamic": {"versioning": [{"for_each": "${var.v}", "content": [{"enabled": false}]}]}},
	] {
		count(s3.warn_s3_versioning_disabled) == 0 with input as fx.resource("aws_s3_bucket", "logs", body)
	}
}

test_versioning_status_variable_passes if {
	doc := fx.resource("aws_s3_bucket_versioning", "v", {"bucket": "x", "versioning_configuration": [{"status": "${var.status}"}]})
	count(s3.warn_s3_versioning_disabled) == 0 with input as doc
}

test_versioning_missing_warned if {
	result := s3.warn_s3_versioning_disabled with input as lone_bucket
	result == {{
		"msg": "aws_s3_bucket.logs does not enable versioning: no aws_s3_bucket_versioning for it in this file and no versioning block",
		"field": bucket_path,
	}}
}

test_versioning_legacy_block_disabled_warned if {
	result := s3.warn_s3_versioning_disabled with input as fx.resource("aws_s3_bucket", "logs", {"versioning": [{"enabled": false}]})
	result == {{
		"msg": "aws_s3_bucket.logs does not enable versioning: its versioning block sets enabled = false",
		"field": array.concat(bucket_path, ["versioning", 0, "enabled"]),
	}}
}

test_versioning_legacy_block_without_enabled_warned if {
	result := s3.warn_s3_versioning_disabled with input as fx.resource("aws_s3_bucket", "logs", {"versioning": [{"mfa_delete": true}]})
	result == {{
		"msg": "aws_s3_bucket.logs does not enable versioning: its versioning block does not set enabled",
		"field": array.concat(bucket_path, ["versioning", 0, "enabled"]),
	}}
}

test_versioning_suspended_warned if {
	doc := {"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "acme-logs"}]},
		"aws_s3_bucket_versioning": {"logs": [{"bucket": "${aws_s3_bucket.logs.id}", "versioning_configuration": [{"status": "Suspended"}]}]},
	}}
	result := s3.warn_s3_versioning_disabled with input as doc
	result == {{
		"msg": `aws_s3_bucket_versioning.logs does not enable versioning: versioning_configuration status is "Suspended", not "Enabled"`,
		"field": ["resource", "aws_s3_bucket_versioning", "logs", 0, "versioning_configuration", 0, "status"],
	}}
}
