# METADATA
# title: S3 buckets
# description: |-
#   Checks AWS::S3::Bucket resources of CloudFormation/SAM templates and of
#   serverless.yml resources: public access block, default encryption and
#   versioning. No parameters.
package aws.cloudformation.s3

import data.aws.cloudformation.lib

block_flags := ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

# METADATA
# title: S3 bucket must block public access
# description: |-
#   The bucket must set PublicAccessBlockConfiguration with BlockPublicAcls,
#   BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets all true.
#   A flag left out of the configuration defaults to false. S3 enables all
#   four on buckets created since April 2023, but buckets created earlier
#   (an existing stack updated by this template) and templates deployed with
#   a different account setup do not get them, so the template must state
#   them. A bucket with no configuration at all is a finding, and so is a
#   literal false (or AWS::NoValue) in either branch of an Fn::If; a flag set
#   from a parameter is not judged. One finding per bucket.
# custom:
#   id: aws-s3-public-access-block
#   severity: high
#   remediation: Add PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets set to true; serve public content through CloudFront with origin access control instead of a public bucket.
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
deny_s3_public_access_block contains result if {
	some r in lib.resources_of_type("AWS::S3::Bucket")
	result := public_access_finding(r)
}

public_access_finding(r) := result if {
	not lib.has_value(r.properties, "PublicAccessBlockConfiguration")
	result := {
		"msg": sprintf("%s has no PublicAccessBlockConfiguration; set %s to true", [lib.subject(r), concat(", ", block_flags)]),
		"field": lib.field(r, ["PublicAccessBlockConfiguration"]),
	}
} else := result if {
	issues := block_issues(r)
	count(issues) > 0
	flags := {issue.flag | some issue in issues}
	result := {
		"msg": sprintf("%s does not block public access: %s not true in PublicAccessBlockConfiguration", [lib.subject(r), concat(", ", sort(flags))]),
		"field": lib.first_path({issue.path | some issue in issues}),
	}
}

# block_issues lists each flag that is provably not true, in any Fn::If
# branch of the configuration, with its path. An AWS::NoValue branch of the
# whole configuration leaves every flag out.
block_issues(r) := {{"flag": flag, "path": path} |
	some alt in lib.property_alternatives(r.properties, "PublicAccessBlockConfiguration", lib.field(r, []))
	some flag, path in alternative_issues(alt)
}

alternative_issues(alt) := {flag: alt.path | some flag in block_flags} if {
	lib.is_no_value(alt.value)
} else := {flag: min(paths) |
	is_object(alt.value)
	not lib.is_intrinsic(alt.value)
	some flag in block_flags
	paths := lib.not_true_paths(alt.value, flag, alt.path)
	count(paths) > 0
}

# METADATA
# title: S3 bucket must configure default encryption
# description: |-
#   The bucket must set BucketEncryption (server-side encryption by default),
#   which states the encryption in the template and lets it require SSE-KMS.
#   S3 applies SSE-S3 to new objects of every bucket since January 2023, so
#   a missing setting is a documentation and key-control gap rather than
#   plaintext storage: hence the low severity. An Fn::If or a parameter as
#   the value counts as configured.
# custom:
#   id: aws-s3-encryption
#   severity: low
#   remediation: Add BucketEncryption.ServerSideEncryptionConfiguration with SSEAlgorithm aws:kms (and a KMSMasterKeyID) or AES256.
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
deny_s3_unencrypted_bucket contains result if {
	some r in lib.resources_of_type("AWS::S3::Bucket")
	not lib.has_value(r.properties, "BucketEncryption")
	result := {
		"msg": sprintf("%s does not set BucketEncryption (default server-side encryption)", [lib.subject(r)]),
		"field": lib.field(r, ["BucketEncryption"]),
	}
}

# METADATA
# title: S3 bucket should enable versioning
# description: |-
#   Versioning keeps every version of an object, so an overwrite or a delete
#   (by mistake, a bug or ransomware) can be undone. The bucket should set
#   VersioningConfiguration.Status to Enabled; a missing configuration, a
#   literal Suspended (also in an Fn::If branch) or AWS::NoValue is reported.
#   A status from a parameter is not judged.
# custom:
#   id: aws-s3-versioning
#   severity: low
#   remediation: 'Add VersioningConfiguration: {Status: Enabled}, with a lifecycle rule expiring noncurrent versions to bound the cost.'
#   docs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
warn_s3_versioning_disabled contains result if {
	some r in lib.resources_of_type("AWS::S3::Bucket")
	paths := versioning_issues(r)
	count(paths) > 0
	result := {
		"msg": sprintf("%s does not enable versioning (VersioningConfiguration.Status is not Enabled)", [lib.subject(r)]),
		"field": lib.first_path(paths),
	}
}

versioning_issues(r) := {lib.field(r, ["VersioningConfiguration"])} if {
	not lib.has_value(r.properties, "VersioningConfiguration")
} else := {path |
	some alt in lib.property_alternatives(r.properties, "VersioningConfiguration", lib.field(r, []))
	some path in status_issues(alt)
}

status_issues(alt) := {alt.path} if {
	lib.is_no_value(alt.value)
} else := {array.concat(alt.path, ["Status"])} if {
	is_object(alt.value)
	not lib.is_intrinsic(alt.value)
	not lib.has_value(alt.value, "Status")
} else := {status.path |
	is_object(alt.value)
	not lib.is_intrinsic(alt.value)
	some status in lib.alternatives(alt.value.Status, array.concat(alt.path, ["Status"]))
	not_enabled(status.value)
}

not_enabled(v) if lib.is_no_value(v)

not_enabled(v) if {
	lib.is_known(v)
	v != "Enabled"
}
