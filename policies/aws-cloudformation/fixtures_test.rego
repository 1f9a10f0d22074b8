# Shared fixtures for the AWS CloudFormation policy tests (no tests in this
# package). Templates are written as the parser delivers them: YAML
# short-form intrinsics in long form ({"Ref": ...}, {"Fn::If": [...]}).
package aws.cloudformation.fixtures_test

# template wraps resources into a CloudFormation template.
template(resources) := {
	"AWSTemplateFormatVersion": "2010-09-09",
	"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
	"Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
	"Resources": resources,
}

# sam wraps resources into a SAM template with a Globals section.
sam(globals, resources) := {
	"AWSTemplateFormatVersion": "2010-09-09",
	"Transform": "AWS::Serverless-2016-10-31",
	"Globals": globals,
	"Resources": resources,
}

# serverless wraps resources into a serverless.yml.
serverless(resources) := {
	"service": "demo",
	"provider": {"name": "aws", "runtime": "nodejs22.x", "region": "eu-west-1"},
	"functions": {"hello": {"handler": "handler.hello"}},
	"resources": {"Resources": resources},
}

resource(type, properties) := {"Type": type, "Properties": properties}

# replace returns obj with the top-level keys of patch replaced (object.union
# would merge nested objects).
replace(obj, patch) := object.union(object.remove(obj, [key | some key, _ in patch]), patch)

no_value := {"Ref": "AWS::NoValue"}

# if_(then, otherwise) is {"Fn::If": ["IsProd", then, otherwise]}.
if_(then, otherwise) := {"Fn::If": ["IsProd", then, otherwise]}

# Documents of other formats the built-in bundle also evaluates.
kubernetes_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "namespace": "apps"},
	"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}},
}

# conftest's Dockerfile shape: an array of instructions.
dockerfile := [
	{"Cmd": "from", "Flags": [], "JSON": false, "Original": "FROM python:3.8", "Stage": 0, "SubCmd": "", "Value": ["python:3.8"]},
	{"Cmd": "run", "Flags": [], "JSON": false, "Original": "RUN pip install -r requirements.txt", "Stage": 0, "SubCmd": "", "Value": ["pip install -r requirements.txt"]},
]

github_workflow := {
	"name": "ci",
	"on": {"push": {"branches": ["main"]}},
	"permissions": {"contents": "read"},
	"jobs": {"deploy": {
		"runs-on": "ubuntu-latest",
		"steps": [
			{"uses": "actions/checkout@v4"},
			{"uses": "aws-actions/aws-cloudformation-github-deploy@v1", "with": {"name": "stack", "template": "template.yaml"}},
		],
	}},
}

# Terraform HCL as JSON, with AWS resources that would be findings in a
# template.
terraform := {
	"resource": {
		"aws_s3_bucket": {"logs": {"bucket": "logs"}},
		"aws_security_group": {"ssh": {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}},
		"aws_lambda_function": {"f": {"runtime": "python3.7"}},
	},
	"provider": {"aws": {"region": "eu-west-1"}},
}

# Documents that are not AWS documents: no findings at all.
foreign_inputs := [
	null,
	"a string",
	42,
	true,
	[],
	[{"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}],
	{},
	kubernetes_deployment,
	dockerfile,
	github_workflow,
	terraform,
	{"Resources": "x"},
	{"Resources": []},
	{"Resources": {"A": "x", "B": [1], "C": {"Type": 5}}},
	{"Resources": {"Mine": {"Type": "Custom::Thing", "Properties": {"PubliclyAccessible": true}}}},
	{"resources": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}},
	{"service": null, "resources": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}},
]

# Malformed AWS documents: rules must evaluate without errors (they may or
# may not report).
malformed_inputs := [
	{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": "oops"}}},
	{"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": null}, "F": {"Type": "AWS::Lambda::Function", "Properties": {"Ref": "X"}}}},
	{"Resources": {
		"SG": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [null, 1, "x", [], {"IpProtocol": ["tcp"], "FromPort": "abc", "ToPort": {}, "CidrIp": "0.0.0.0/0"}]}},
		"In": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"IpProtocol": "tcp", "FromPort": "x22", "ToPort": 22.5, "CidrIp": "0.0.0.0/0"}},
		"R": {"Type": "AWS::IAM::Role", "Properties": {"Policies": [null, {"PolicyDocument": "{not json"}, {"PolicyDocument": {"Statement": "x"}}, {"PolicyDocument": {"Statement": [1, {"Effect": ["Allow"], "Action": 7}]}}]}},
		"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": "[1, 2]"}},
		"DB": {"Type": "AWS::RDS::DBInstance", "Properties": {"Engine": 5, "StorageEncrypted": [], "PubliclyAccessible": {"Fn::If": "broken"}}},
		"C": {"Type": "AWS::RDS::DBCluster", "Properties": {"EngineMode": ["serverless"], "StorageEncrypted": {"Fn::If": ["a", "b"]}}},
		"V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": "yes"}},
		"LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"BlockDeviceMappings": {"Ebs": 1}}}},
		"I": {"Type": "AWS::EC2::Instance", "Properties": {"BlockDeviceMappings": [{"DeviceName": 7, "Ebs": {"Encrypted": false}}, {"Ebs": "x"}]}},
		"T": {"Type": "AWS::CloudTrail::Trail", "Properties": {"IsLogging": "FALSE", "EnableLogFileValidation": 1}},
		"K": {"Type": "AWS::KMS::Key", "Properties": {"KeySpec": ["x"], "EnableKeyRotation": "no"}},
		"F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": ["python2.7"], "DeadLetterConfig": "x"}},
		"S": {"Type": "AWS::Serverless::Function", "Properties": {"Events": [1], "Policies": "AmazonS3ReadOnlyAccess", "Tags": "x"}},
		"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [1, {"Key": 2}]}},
	}},
	{"AWSTemplateFormatVersion": "2010-09-09", "Globals": "x", "Resources": {"S": {"Type": "AWS::Serverless::Function"}}},
	{"Globals": {"Function": {"Runtime": ["x"], "Tags": [1]}}, "Resources": {"S": {"Type": "AWS::Serverless::Function", "Properties": {"Events": {"A": "x"}}}}},
	{"service": "x", "provider": "aws", "functions": "${file(functions.yml)}", "resources": ["${file(resources.yml)}", {"Resources": "x"}]},
	{"service": {"name": 1}, "provider": {"name": "aws", "runtime": 3, "iam": {"role": {"statements": "${file(iam.yml)}"}}, "iamRoleStatements": [null], "stackTags": "x"}, "functions": {"f": "x", "g": {"runtime": null}}, "resources": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}},
]
