package aws.cloudformation.kms_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.kms

key(properties) := fx.template({"Key": fx.resource("AWS::KMS::Key", object.union({"KeyPolicy": {"Statement": []}}, properties))})

test_rotating_key_passes if {
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"EnableKeyRotation": true})
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"EnableKeyRotation": {"Ref": "Rotate"}})
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"KeySpec": "SYMMETRIC_DEFAULT", "EnableKeyRotation": "true"})
}

test_non_rotatable_keys_skipped if {
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"KeySpec": "HMAC_256", "KeyUsage": "GENERATE_VERIFY_MAC"})
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"KeySpec": {"Ref": "Spec"}})
	count(kms.deny_kms_rotation_disabled) == 0 with input as key({"Origin": "EXTERNAL"})
}

test_key_without_rotation if {
	result := kms.deny_kms_rotation_disabled with input as key({})
	result == {{
		"msg": `AWS::KMS::Key "Key" does not rotate its key material: it does not set EnableKeyRotation`,
		"field": ["Resources", "Key", "Properties", "EnableKeyRotation"],
	}}
}

test_key_rotation_false if {
	result := kms.deny_kms_rotation_disabled with input as key({"KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS", "EnableKeyRotation": false})
	result == {{
		"msg": `AWS::KMS::Key "Key" does not rotate its key material: it sets EnableKeyRotation to false`,
		"field": ["Resources", "Key", "Properties", "EnableKeyRotation"],
	}}
}

test_key_rotation_if_branch if {
	result := kms.deny_kms_rotation_disabled with input as key({"EnableKeyRotation": fx.if_(true, false)})
	result == {{
		"msg": `AWS::KMS::Key "Key" does not rotate its key material: it sets EnableKeyRotation to a value other than true in an Fn::If branch`,
		"field": ["Resources", "Key", "Properties", "EnableKeyRotation", "Fn::If", 2],
	}}
}

test_key_serverless if {
	result := kms.deny_kms_rotation_disabled with input as fx.serverless({"Key": fx.resource("AWS::KMS::Key", {"EnableKeyRotation": false})})
	result == {{
		"msg": `AWS::KMS::Key "Key" does not rotate its key material: it sets EnableKeyRotation to false`,
		"field": ["resources", "Resources", "Key", "Properties", "EnableKeyRotation"],
	}}
}
