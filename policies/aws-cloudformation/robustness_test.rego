package aws.cloudformation.robustness_test

import data.aws.cloudformation.fixtures_test as fx

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
	"s3": data.aws.cloudformation.s3,
	"network": data.aws.cloudformation.network,
	"iam": data.aws.cloudformation.iam,
	"rds": data.aws.cloudformation.rds,
	"ec2": data.aws.cloudformation.ec2,
	"cloudtrail": data.aws.cloudformation.cloudtrail,
	"kms": data.aws.cloudformation.kms,
	"lambda": data.aws.cloudformation.lambda,
	"tags": data.aws.cloudformation.tags,
}

params := {"required_tags": ["Owner"]}

# Documents of other formats, non-objects and look-alikes produce no findings.
test_foreign_inputs_produce_no_findings if {
	every doc in fx.foreign_inputs {
		every pkg, names in rules {
			every name in names {
				count(packages[pkg][name]) == 0 with input as doc with data.aws.parameters as params
			}
		}
	}
}

# Malformed templates evaluate without runtime errors, each rule to a set.
test_malformed_inputs_do_not_error if {
	every doc in fx.malformed_inputs {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc with data.aws.parameters as params
			}
		}
	}
}

# Odd parameter values fall back to the defaults without errors.
test_odd_parameters_do_not_error if {
	doc := fx.template({"B": {"Type": "AWS::S3::Bucket"}})
	every parameters in [null, "x", [], {"required_tags": "Owner", "deprecated_lambda_runtimes": {"a": 1}}, {"required_tags": [1, null]}] {
		every pkg, names in rules {
			every name in names {
				is_set(packages[pkg][name]) with input as doc with data.aws.parameters as parameters
			}
		}
	}
}

# Every rule names the logical id and type and points into Resources.
test_findings_name_resource if {
	doc := fx.template({"Everything": {"Type": "AWS::S3::Bucket"}})
	every pkg, names in rules {
		every name in names {
			findings := packages[pkg][name] with input as doc with data.aws.parameters as params
			every finding in findings {
				contains(finding.msg, `AWS::S3::Bucket "Everything"`)
				array.slice(finding.field, 0, 2) == ["Resources", "Everything"]
			}
		}
	}
}

# A template where every resource type the pack checks is compliant.
compliant := fx.sam({"Function": {"Runtime": "python3.13", "DeadLetterQueue": {"Type": "SQS", "TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}, "Tags": {"Owner": "team"}}}, {
	"Dlq": fx.resource("AWS::SQS::Queue", {"Tags": owner}),
	"Bucket": fx.resource("AWS::S3::Bucket", {
		"PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
		"BucketEncryption": {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]},
		"VersioningConfiguration": {"Status": "Enabled"},
		"Tags": owner,
	}),
	"Web": fx.resource("AWS::EC2::SecurityGroup", {
		"GroupDescription": "web",
		"SecurityGroupIngress": [
			{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"},
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.0.0.0/8"},
			{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": {"Ref": "SshCidr"}},
		],
		"Tags": owner,
	}),
	"Role": fx.resource("AWS::IAM::Role", {
		"AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
		"Policies": [{"PolicyName": "read", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}],
		"Tags": owner,
	}),
	"Db": fx.resource("AWS::RDS::DBInstance", {"Engine": "postgres", "StorageEncrypted": true, "PubliclyAccessible": false, "Tags": owner}),
	"Cluster": fx.resource("AWS::RDS::DBCluster", {"Engine": "aurora-postgresql", "StorageEncrypted": true, "Tags": owner}),
	"ClusterDb": fx.resource("AWS::RDS::DBInstance", {"Engine": "aurora-postgresql", "DBClusterIdentifier": {"Ref": "Cluster"}, "Tags": owner}),
	"Volume": fx.resource("AWS::EC2::Volume", {"Size": 10, "Encrypted": true, "Tags": owner}),
	"Trail": fx.resource("AWS::CloudTrail::Trail", {"IsLogging": true, "EnableLogFileValidation": true, "Tags": owner}),
	"Key": fx.resource("AWS::KMS::Key", {"EnableKeyRotation": true, "Tags": owner}),
	"Legacy": fx.resource("AWS::Lambda::Function", {"Runtime": "nodejs22.x", "DeadLetterConfig": {"TargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}, "Tags": owner}),
	"Handler": fx.resource("AWS::Serverless::Function", {"Handler": "app.handler", "CodeUri": "src/"}),
	"Route": fx.resource("AWS::EC2::Route", {"DestinationCidrBlock": "0.0.0.0/0"}),
})

owner := [{"Key": "Owner", "Value": "team"}]

test_compliant_template_produces_no_findings if {
	every pkg, names in rules {
		every name in names {
			count(packages[pkg][name]) == 0 with input as compliant with data.aws.parameters as params
		}
	}
}
