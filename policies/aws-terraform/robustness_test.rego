package aws.terraform.robustness_test

import data.aws.terraform.fixtures_test as fx

# Every deny_/warn_ rule of the pack, by package.
rules := {
	"s3": ["deny_s3_public_access_block", "deny_s3_unencrypted_bucket", "warn_s3_versioning_disabled"],
	"network": ["deny_sg_open_ingress"],
	"iam": ["deny_iam_wildcard_policy"],
	"rds": ["deny_rds_public", "deny_rds_unencrypted"],
	"ec2": ["deny_ebs_unencrypted"],
	"cloudtrail": ["deny_cloudtrail_disabled", "deny_cloudtrail_log_validation"],
	"kms": ["deny_kms_rotation_disabled"],
	"lambda": ["warn_lambda_missing_dlq", "warn_lambda_deprecated_runtime"],
	"tags": ["deny_missing_required_tags"],
}

# The evaluated policy packages (a complete rule, re-evaluated under `with`).
packages := {
	"s3": data.aws.terraform.s3,
	"network": data.aws.terraform.network,
	"iam": data.aws.terraform.iam,
	"rds": data.aws.terraform.rds,
	"ec2": data.aws.terraform.ec2,
	"cloudtrail": data.aws.terraform.cloudtrail,
	"kms": data.aws.terraform.kms,
	"lambda": data.aws.terraform.lambda,
	"tags": data.aws.terraform.tags,
}

# Documents of other formats (null, scalars, arrays, Kubernetes,
# CloudFormation, a Dockerfile, a workflow, Terraform JSON...) produce
# nothing, whatever the parameters.
test_non_terraform_produces_no_findings if {
	every doc in fx.non_terraform {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as doc with data.aws.parameters as fx.params
			}
		}
	}
}

# Terraform-shaped documents with odd values evaluate without runtime
# errors, each rule to a set.
test_odd_terraform_does_not_error if {
	every doc in fx.odd_terraform {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc with data.aws.parameters as fx.params
			}
		}
	}
}

# Odd parameter values fall back to the defaults.
test_odd_parameters_do_not_error if {
	every parameters in [null, "x", [], {"required_tags": "Owner", "deprecated_lambda_runtimes": {}}, {"required_tags": [1, null]}] {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as fx.compliant with data.aws.parameters as parameters
			}
		}
	}
}

# A compliant file exercising every rule produces no findings.
test_compliant_file_produces_no_findings if {
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as fx.compliant with data.aws.parameters as fx.params
		}
	}
}

# A file of modules and variables only produces no findings.
test_module_only_file_produces_no_findings if {
	doc := {
		"module": {"bucket": [{"source": "terraform-aws-modules/s3-bucket/aws", "acl": "public-read"}]},
		"variable": {"public": [{"default": true}]},
		"output": {"id": [{"value": "${module.bucket.s3_bucket_id}"}]},
	}
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as doc with data.aws.parameters as fx.params
		}
	}
}
