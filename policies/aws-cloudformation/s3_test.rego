package aws.cloudformation.s3_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.s3

all_blocked := {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true}

encryption := {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}

good := {
	"PublicAccessBlockConfiguration": all_blocked,
	"BucketEncryption": encryption,
	"VersioningConfiguration": {"Status": "Enabled"},
}

# bucket returns a template with one bucket "Data" whose properties are good
# with the top-level keys of patch replaced.
bucket(patch) := fx.template({"Data": fx.resource("AWS::S3::Bucket", fx.replace(good, patch))})

without(key) := fx.template({"Data": fx.resource("AWS::S3::Bucket", object.remove(good, [key]))})

path(rest) := array.concat(["Resources", "Data", "Properties"], rest)

test_good_bucket_passes if {
	count(s3.deny_s3_public_access_block) == 0 with input as bucket({})
	count(s3.deny_s3_unencrypted_bucket) == 0 with input as bucket({})
	count(s3.warn_s3_versioning_disabled) == 0 with input as bucket({})
}

# --- deny_s3_public_access_block --------------------------------------------

test_public_access_block_missing if {
	result := s3.deny_s3_public_access_block with input as fx.template({"Logs": {"Type": "AWS::S3::Bucket"}})
	result == {{
		"msg": `AWS::S3::Bucket "Logs" has no PublicAccessBlockConfiguration; set BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets to true`,
		"field": ["Resources", "Logs", "Properties", "PublicAccessBlockConfiguration"],
	}}
}

test_public_access_block_no_value if {
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": fx.no_value})
	result == {{
		"msg": `AWS::S3::Bucket "Data" has no PublicAccessBlockConfiguration; set BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets to true`,
		"field": path(["PublicAccessBlockConfiguration"]),
	}}
}

test_public_access_block_partial if {
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": false}})
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not block public access: BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets not true in PublicAccessBlockConfiguration`,
		"field": path(["PublicAccessBlockConfiguration", "BlockPublicPolicy"]),
	}}
}

test_public_access_block_string_values if {
	strings := {"BlockPublicAcls": "true", "BlockPublicPolicy": "True", "IgnorePublicAcls": "TRUE", "RestrictPublicBuckets": "false"}
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": strings})
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not block public access: RestrictPublicBuckets not true in PublicAccessBlockConfiguration`,
		"field": path(["PublicAccessBlockConfiguration", "RestrictPublicBuckets"]),
	}}
}

test_public_access_block_if_branch_false if {
	relaxed := object.union(all_blocked, {"RestrictPublicBuckets": false})
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": fx.if_(all_blocked, relaxed)})
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not block public access: RestrictPublicBuckets not true in PublicAccessBlockConfiguration`,
		"field": path(["PublicAccessBlockConfiguration", "Fn::If", 2, "RestrictPublicBuckets"]),
	}}
}

test_public_access_block_if_flag_false if {
	config := object.union(all_blocked, {"BlockPublicPolicy": fx.if_(false, true)})
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": config})
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not block public access: BlockPublicPolicy not true in PublicAccessBlockConfiguration`,
		"field": path(["PublicAccessBlockConfiguration", "BlockPublicPolicy", "Fn::If", 1]),
	}}
}

test_public_access_block_if_no_value_branch if {
	result := s3.deny_s3_public_access_block with input as bucket({"PublicAccessBlockConfiguration": fx.if_(all_blocked, fx.no_value)})
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not block public access: BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets not true in PublicAccessBlockConfiguration`,
		"field": path(["PublicAccessBlockConfiguration", "Fn::If", 2]),
	}}
}

test_public_access_block_parameters_not_judged if {
	from_parameter := {"BlockPublicAcls": {"Ref": "Block"}, "BlockPublicPolicy": {"Ref": "Block"}, "IgnorePublicAcls": true, "RestrictPublicBuckets": fx.if_(true, {"Ref": "Block"})}
	count(s3.deny_s3_public_access_block) == 0 with input as bucket({"PublicAccessBlockConfiguration": from_parameter})
	count(s3.deny_s3_public_access_block) == 0 with input as bucket({"PublicAccessBlockConfiguration": {"Fn::FindInMap": ["Env", "dev", "Block"]}})
}

test_public_access_block_serverless if {
	doc := fx.serverless({"Site": fx.resource("AWS::S3::Bucket", {"PublicAccessBlockConfiguration": {"BlockPublicAcls": false}})})
	result := s3.deny_s3_public_access_block with input as doc
	result == {{
		"msg": `AWS::S3::Bucket "Site" does not block public access: BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets not true in PublicAccessBlockConfiguration`,
		"field": ["resources", "Resources", "Site", "Properties", "PublicAccessBlockConfiguration", "BlockPublicAcls"],
	}}
}

test_public_access_block_serverless_resource_list if {
	doc := {"service": "demo", "resources": ["${file(extra.yml)}", {"Resources": {"Site": {"Type": "AWS::S3::Bucket"}}}]}
	result := s3.deny_s3_public_access_block with input as doc
	result == {{
		"msg": `AWS::S3::Bucket "Site" has no PublicAccessBlockConfiguration; set BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets to true`,
		"field": ["resources", 1, "Resources", "Site", "Properties", "PublicAccessBlockConfiguration"],
	}}
}

# --- deny_s3_unencrypted_bucket ---------------------------------------------

test_encryption_missing if {
	result := s3.deny_s3_unencrypted_bucket with input as without("BucketEncryption")
	result == {{
		"msg": `AWS::S3::Bucket "Data" does not set BucketEncryption (default server-side encryption)`,
		"field": path(["BucketEncryption"]),
	}}
}

test_encryption_no_value if {
	result := s3.deny_s3_unencrypted_bucket with input as bucket({"BucketEncryption": fx.no_value})
	count(result) == 1
}

test_encryption_intrinsic_counts_as_present if {
	count(s3.deny_s3_unencrypted_bucket) == 0 with input as bucket({"BucketEncryption": fx.if_(encryption, fx.no_value)})
	count(s3.deny_s3_unencrypted_bucket) == 0 with input as bucket({"BucketEncryption": {"Ref": "Encryption"}})
}

test_encryption_serverless if {
	result := s3.deny_s3_unencrypted_bucket with input as fx.serverless({"Uploads": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "${self:custom.bucket}"}}})
	result == {{
		"msg": `AWS::S3::Bucket "Uploads" does not set BucketEncryption (default server-side encryption)`,
		"field": ["resources", "Resources", "Uploads", "Properties", "BucketEncryption"],
	}}
}

# --- warn_s3_versioning_disabled --------------------------------------------

versioning_msg := `AWS::S3::Bucket "Data" does not enable versioning (VersioningConfiguration.Status is not Enabled)`

test_versioning_missing if {
	result := s3.warn_s3_versioning_disabled with input as without("VersioningConfiguration")
	result == {{"msg": versioning_msg, "field": path(["VersioningConfiguration"])}}
}

test_versioning_suspended if {
	result := s3.warn_s3_versioning_disabled with input as bucket({"VersioningConfiguration": {"Status": "Suspended"}})
	result == {{"msg": versioning_msg, "field": path(["VersioningConfiguration", "Status"])}}
}

test_versioning_status_missing if {
	result := s3.warn_s3_versioning_disabled with input as bucket({"VersioningConfiguration": {}})
	result == {{"msg": versioning_msg, "field": path(["VersioningConfiguration", "Status"])}}
}

test_versioning_if_branches if {
	result := s3.warn_s3_versioning_disabled with input as bucket({"VersioningConfiguration": {"Status": fx.if_("Enabled", "Suspended")}})
	result == {{"msg": versioning_msg, "field": path(["VersioningConfiguration", "Status", "Fn::If", 2])}}

	no_config := s3.warn_s3_versioning_disabled with input as bucket({"VersioningConfiguration": fx.if_({"Status": "Enabled"}, fx.no_value)})
	no_config == {{"msg": versioning_msg, "field": path(["VersioningConfiguration", "Fn::If", 2])}}

	no_status := s3.warn_s3_versioning_disabled with input as bucket({"VersioningConfiguration": {"Status": fx.if_(fx.no_value, "Enabled")}})
	no_status == {{"msg": versioning_msg, "field": path(["VersioningConfiguration", "Status", "Fn::If", 1])}}
}

test_versioning_parameter_not_judged if {
	count(s3.warn_s3_versioning_disabled) == 0 with input as bucket({"VersioningConfiguration": {"Status": {"Ref": "Versioning"}}})
	count(s3.warn_s3_versioning_disabled) == 0 with input as bucket({"VersioningConfiguration": {"Ref": "Versioning"}})
	count(s3.warn_s3_versioning_disabled) == 0 with input as bucket({"VersioningConfiguration": {"Status": "${self:custom.versioning}"}})
}

test_versioning_sam_template if {
	doc := fx.sam({}, {"Data": fx.resource("AWS::S3::Bucket", object.remove(good, ["VersioningConfiguration"]))})
	result := s3.warn_s3_versioning_disabled with input as doc
	result == {{"msg": versioning_msg, "field": path(["VersioningConfiguration"])}}
}
