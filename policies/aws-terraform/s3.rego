# METADATA
# title: S3 buckets
# description: |-
#   Checks aws_s3_bucket resources for a public access block, default
#   encryption and versioning. Since AWS provider 4 these are configured by
#   separate resources (aws_s3_bucket_public_access_block,
#   aws_s3_bucket_server_side_encryption_configuration,
#   aws_s3_bucket_versioning) whose `bucket` argument names the bucket; the
#   legacy inline blocks (server_side_encryption_configuration, versioning)
#   count too.
#
#   Only the file being checked is visible: a companion resource counts for a
#   bucket when its `bucket` refers to it (aws_s3_bucket.<name>.id,
#   aws_s3_bucket.<name>[0].bucket...), when it is an expression that names
#   no aws_s3_bucket at all (var.bucket, local.bucket_id, each.value.id:
#   unknown, so it may be this bucket), or when it is a literal equal to the
#   bucket's literal `bucket` name (any literal, when the bucket's name is
#   computed or generated). A bucket whose companions live in another file
#   of the module is reported: keep a bucket and its configuration together.
#   No parameters.
package aws.terraform.s3

import data.aws.terraform.lib

buckets := lib.resources_of_type("aws_s3_bucket")

block_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

public_access_block_types := {"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"}

# METADATA
# title: S3 bucket must block public access
# description: |-
#   Every aws_s3_bucket needs an aws_s3_bucket_public_access_block in the
#   same file (or an aws_s3_account_public_access_block there that blocks
#   public access account-wide), and every public access block must set
#   block_public_acls, block_public_policy, ignore_public_acls and
#   restrict_public_buckets to true: each argument defaults to false, so a
#   missing one is reported like a literal false. S3 blocks public access on
#   buckets created since April 2023, but buckets created earlier and
#   accounts with other settings do not, so the configuration must state it.
#   A flag set from a variable is not judged. One finding per bucket without
#   a block (at the bucket), and one per public access block with flags not
#   true (at the first such flag).
# custom:
#   id: aws-s3-public-access-block
#   severity: high
#   remediation: Add an aws_s3_bucket_public_access_block with bucket = aws_s3_bucket.<name>.id and block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets set to true; serve public content through CloudFront with origin access control instead of a public bucket.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block
deny_s3_public_access_block contains result if {
	some bucket in buckets
	not configured_by(bucket, "aws_s3_bucket_public_access_block")
	not account_blocks_public_access
	result := {
		"msg": sprintf("%s has no aws_s3_bucket_public_access_block in this file; add one that sets %s to true", [bucket.address, concat(", ", block_flags)]),
		"field": bucket.path,
	}
}

deny_s3_public_access_block contains result if {
	some block in lib.resources
	block.type in public_access_block_types
	flags := [flag | some flag in block_flags; lib.not_true_reason(block.body, flag)]
	count(flags) > 0
	result := {
		"msg": sprintf("%s does not block all public access: %s not set to true (each defaults to false)", [block.address, concat(", ", flags)]),
		"field": lib.field(block, [flags[0]]),
	}
}

# configured_by holds when a resource of `type` in the file may configure the
# bucket (see the package description).
configured_by(bucket, type) if {
	some config in lib.resources_of_type(type)
	lib.may_reference(config.body.bucket, bucket, "bucket")
}

# An account-level public access block with no flag provably off.
account_blocks_public_access if {
	some block in lib.resources_of_type("aws_s3_account_public_access_block")
	every flag in block_flags {
		not lib.not_true_reason(block.body, flag)
	}
}

# METADATA
# title: S3 bucket must configure default encryption
# description: |-
#   The bucket must configure server-side encryption by default: an
#   aws_s3_bucket_server_side_encryption_configuration for it in the same
#   file, or the legacy server_side_encryption_configuration block (static,
#   dynamic or an expression) on the bucket. This states the encryption in
#   code and lets it require SSE-KMS. S3 applies SSE-S3 to new objects of
#   every bucket since January 2023, so a missing configuration is a
#   documentation and key-control gap rather than plaintext storage: hence
#   the low severity. One finding per bucket, at the bucket.
# custom:
#   id: aws-s3-encryption
#   severity: low
#   remediation: Add an aws_s3_bucket_server_side_encryption_configuration with bucket = aws_s3_bucket.<name>.id and a rule whose apply_server_side_encryption_by_default sets sse_algorithm to aws:kms (with kms_master_key_id) or AES256.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration
deny_s3_unencrypted_bucket contains result if {
	some bucket in buckets
	not lib.configures_block(bucket.body, "server_side_encryption_configuration")
	not configured_by(bucket, "aws_s3_bucket_server_side_encryption_configuration")
	result := {
		"msg": sprintf("%s has no default server-side encryption: no aws_s3_bucket_server_side_encryption_configuration for it in this file and no server_side_encryption_configuration block", [bucket.address]),
		"field": bucket.path,
	}
}

# METADATA
# title: S3 bucket should enable versioning
# description: |-
#   Versioning keeps every version of an object, so an overwrite or a delete
#   (by mistake, a bug or ransomware) can be undone. Reported: a bucket with
#   neither an aws_s3_bucket_versioning for it in the same file nor a legacy
#   versioning block (static, dynamic or an expression); a legacy versioning
#   block whose enabled is missing or a literal other than true; an
#   aws_s3_bucket_versioning whose versioning_configuration status is a
#   literal other than "Enabled" ("Suspended", "Disabled"). Values from
#   variables are not judged.
# custom:
#   id: aws-s3-versioning
#   severity: low
#   remediation: Add an aws_s3_bucket_versioning with bucket = aws_s3_bucket.<name>.id and versioning_configuration { status = "Enabled" }, with a lifecycle rule expiring noncurrent versions to bound the cost.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning
warn_s3_versioning_disabled contains result if {
	some bucket in buckets
	not lib.configures_block(bucket.body, "versioning")
	not configured_by(bucket, "aws_s3_bucket_versioning")
	result := {
		"msg": sprintf("%s does not enable versioning: no aws_s3_bucket_versioning for it in this file and no versioning block", [bucket.address]),
		"field": bucket.path,
	}
}

warn_s3_versioning_disabled contains result if {
	some bucket in buckets
	some block in lib.blocks(bucket.body, "versioning", bucket.path)
	reason := lib.not_true_reason(block.value, "enabled")
	result := {
		"msg": sprintf("%s does not enable versioning: its versioning block %s", [bucket.address, reason]),
		"field": array.concat(block.path, ["enabled"]),
	}
}

warn_s3_versioning_disabled contains result if {
	some versioning in lib.resources_of_type("aws_s3_bucket_versioning")
	some config in lib.blocks(versioning.body, "versioning_configuration", versioning.path)
	status := config.value.status
	lib.literal_string(status)
	status != "Enabled"
	result := {
		"msg": sprintf(`%s does not enable versioning: versioning_configuration status is "%s", not "Enabled"`, [versioning.address, status]),
		"field": array.concat(config.path, ["status"]),
	}
}
