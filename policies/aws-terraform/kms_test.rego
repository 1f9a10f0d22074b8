package aws.terraform.kms_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.kms

key(body) := fx.resource("aws_kms_key", "main", body)

test_kms_rotation_passes if {
	every body in [
		{"enable_key_rotation": true},
		{"enable_key_rotation": "${var.rotate}"},
		{"customer_master_key_spec": "SYMMETRIC_DEFAULT", "enable_key_rotation": true, "rotation_period_in_days": 90},
		{"customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"},
		{"customer_master_key_spec": "HMAC_256", "key_usage": "GENERATE_VERIFY_MAC"},
		{"customer_master_key_spec": "${var.spec}"},
		{"custom_key_store_id": "cks-1234"},
		{"xks_key_id": "x"},
	] {
		count(kms.deny_kms_rotation_disabled) == 0 with input as key(body)
	}
}

test_kms_rotation_missing_denied if {
	result := kms.deny_kms_rotation_disabled with input as key({"description": "app"})
	result == {{
		"msg": "aws_kms_key.main does not rotate its key material: it does not set enable_key_rotation",
		"field": ["resource", "aws_kms_key", "main", 0, "enable_key_rotation"],
	}}
}

test_kms_rotation_false_denied if {
	result := kms.deny_kms_rotation_disabled with input as key({"customer_master_key_spec": "SYMMETRIC_DEFAULT", "enable_key_rotation": false})
	result == {{
		"msg": "aws_kms_key.main does not rotate its key material: it sets enable_key_rotation = false",
		"field": ["resource", "aws_kms_key", "main", 0, "enable_key_rotation"],
	}}
}
