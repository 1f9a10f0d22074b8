# Shared fixtures for the AWS Terraform policy tests (no tests in this package).
package aws.terraform.fixtures_test

# resource returns a parsed .tf file holding one resource block.
resource(type, name, body) := {"resource": {type: {name: [body]}}}

# data_source returns a parsed .tf file holding one data block.
data_source(type, name, body) := {"data": {type: {name: [body]}}}

# path of the first body of a resource.
path(type, name) := ["resource", type, name, 0]

kubernetes_deployment := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "web", "labels": {"app": "web"}},
	"spec": {"template": {"spec": {"containers": [{"name": "app", "image": "nginx:latest", "securityContext": {"privileged": true}}]}}},
}

# A Dockerfile as the engine parses it: an instruction list.
dockerfile := [
	{"Cmd": "from", "Value": ["alpine:latest"], "Flags": [], "Stage": 0},
	{"Cmd": "user", "Value": ["root"]},
]

cloudformation_template := {
	"AWSTemplateFormatVersion": "2010-09-09",
	"Resources": {
		"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "x"}},
		"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]}},
		"Db": {"Type": "AWS::RDS::DBInstance", "Properties": {"PubliclyAccessible": true}},
	},
}

github_workflow := {
	"name": "ci",
	"on": {"push": {"branches": ["main"]}},
	"permissions": "write-all",
	"jobs": {"build": {"runs-on": "ubuntu-latest", "steps": [{"uses": "actions/checkout@v4"}]}},
}

serverless := {
	"service": "svc",
	"provider": {"name": "aws", "runtime": "nodejs14.x"},
	"resources": {"Resources": {"B": {"Type": "AWS::S3::Bucket"}}},
}

kubernetes_configmap := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"resource": "x", "module": "y"}}

# Documents that are not parsed .tf files: no findings.
non_terraform := [
	null,
	"resource \"aws_s3_bucket\" \"b\" {}",
	42,
	3.5,
	true,
	[],
	[1, 2],
	[{"resource": {"aws_s3_bucket": {"b": [{}]}}}],
	{},
	{"resource": "x"},
	{"resource": []},
	{"resource": {"aws_s3_bucket": "x"}},
	{"resource": {"aws_s3_bucket": ["b"]}},
	{"resource": {"aws_s3_bucket": {"b": "x"}}},
	{"resource": {"aws_s3_bucket": {"b": [null, 1, "x", []]}}},
	# Terraform JSON (.tf.json) bodies are objects, not arrays.
	{"resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}},
	{"data": {"aws_iam_policy_document": {"d": {"statement": [{"actions": ["*"], "resources": ["*"]}]}}}},
	{"module": "x"},
	{"module": {"m": {"source": "./m"}}},
	kubernetes_deployment,
	kubernetes_configmap,
	dockerfile,
	cloudformation_template,
	github_workflow,
	serverless,
]

# Terraform-shaped documents with odd values: they must evaluate without
# runtime errors (findings allowed).
odd_terraform := [
	{"resource": {"aws_s3_bucket": {"b": [{"bucket": 5, "versioning": "x", "server_side_encryption_configuration": [null], "dynamic": "x", "count": "${var.n}"}]}}},
	{"resource": {
		"aws_s3_bucket": {"b": [{"bucket": ["x"]}], "c.d": [{}], "e f": [{"bucket": null}]},
		"aws_s3_bucket_public_access_block": {"p": [{"bucket": 1, "block_public_acls": [true]}], "q": [{"bucket": {"a": "${aws_s3_bucket.b.id}"}}]},
		"aws_s3_bucket_versioning": {"v": [{"bucket": "${aws_s3_bucket.b.id}", "versioning_configuration": [{"status": 3}, "x"]}], "w": [{"versioning_configuration": "x"}]},
		"aws_s3_bucket_server_side_encryption_configuration": {"s": [{"bucket": "${aws_s3_bucket.(.id}"}]},
		"aws_s3_account_public_access_block": {"a": [{"block_public_acls": "${var.x}"}]},
	}},
	{"resource": {
		"aws_security_group": {"s": [{"ingress": [null, "x", 3, {"cidr_blocks": "0.0.0.0/0", "protocol": ["tcp"], "from_port": "abc", "to_port": {"a": 1}}, {"cidr_blocks": [null, 1, "0.0.0.0/0"], "protocol": 6.5, "from_port": "1e3", "to_port": "99999999999"}, {"ipv6_cidr_blocks": ["::/0"], "protocol": "TCP", "from_port": -1, "to_port": 1e40}]}]},
		"aws_default_security_group": {"d": [{"ingress": "${var.x}"}]},
		"aws_security_group_rule": {"r": [{"type": ["ingress"], "cidr_blocks": ["0.0.0.0/0"]}], "s": [{"type": "ingress", "protocol": null, "cidr_blocks": ["0.0.0.0/0"]}]},
		"aws_vpc_security_group_ingress_rule": {"v": [{"cidr_ipv4": ["0.0.0.0/0"], "ip_protocol": {}, "from_port": 22}], "w": [{"cidr_ipv6": "::/0", "ip_protocol": "udp", "from_port": "3389", "to_port": "x"}]},
	}},
	{
		"resource": {
			"aws_iam_policy": {"p": [{"policy": "{\"Statement\": \"x\"}"}], "q": [{"policy": "[1, 2]"}], "r": [{"policy": "{\"Statement\": [null, 1, {\"Effect\": [\"Allow\"], \"Action\": {}, \"Resource\": 3}, {\"Sid\": 5, \"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": [\"*\"]}]}"}], "s": [{"policy": "{not json"}], "t": [{"policy": 7}]},
			"aws_iam_role": {"r": [{"inline_policy": [{"policy": ["x"]}, "x", {"policy": "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\", \"Sid\": [1]}}"}]}]},
			"google_thing": {"g": [{"policy": "{\"Statement\": {\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}}"}]},
		},
		"data": {"aws_iam_policy_document": {"d": [{"statement": [null, {"actions": "*", "resources": "*"}, {"effect": ["Allow"], "actions": ["*"], "resources": ["*"]}, {"sid": 4, "actions": ["*"], "resources": ["*"]}]}], "e": [{"statement": "x"}]}},
	},
	{"resource": {
		"aws_db_instance": {"d": [{"publicly_accessible": "yes", "storage_encrypted": [true], "replicate_source_db": null}]},
		"aws_rds_cluster": {"c": [{"engine_mode": 5, "storage_encrypted": {}}]},
		"aws_rds_cluster_instance": {"i": [{"publicly_accessible": null}]},
		"aws_cloudtrail": {"t": [{"enable_logging": "no", "enable_log_file_validation": [1]}]},
		"aws_kms_key": {"k": [{"customer_master_key_spec": null, "enable_key_rotation": 0}], "l": [{"customer_master_key_spec": ["x"]}]},
	}},
	{"resource": {
		"aws_ebs_volume": {"v": [{"encrypted": null, "snapshot_id": null}]},
		"aws_instance": {"i": [{"root_block_device": [null, {"device_name": 5}], "ebs_block_device": "x"}]},
		"aws_launch_template": {"t": [{"block_device_mappings": [{"ebs": [1, {"encrypted": "false"}], "device_name": ["x"]}, "y"]}]},
		"aws_ebs_encryption_by_default": {"e": [{"enabled": "false"}]},
	}},
	{
		"resource": {
			"aws_lambda_function": {"f": [{"runtime": ["nodejs14.x"], "dead_letter_config": null}], "g": [{"runtime": 14}]},
			"aws_lambda_permission": {"p": [{"function_name": "${aws_lambda_function.f.name}", "principal": ["s3.amazonaws.com"]}], "q": [{"function_name": ["f"]}]},
			"aws_lambda_event_source_mapping": {"m": [{"function_name": 3}]},
			"aws_lambda_function_event_invoke_config": {"c": [{"function_name": null, "destination_config": [{"on_failure": "x"}, 1]}]},
			"aws_s3_bucket": {"b": [{"tags": {"${var.k}": "v", "Owner": 1}}], "c": [{"tags": "x"}], "d": [{"tags": [{"Key": "Owner"}]}]},
			"aws_instance": {"i": [{"tags": null}]},
		},
		"provider": {"aws": [{"default_tags": [{"tags": "x"}, null, {"tags": {"Team": "a"}}]}, "x"], "google": "y"},
	},
	{"provider": "x", "resource": {"aws_sqs_queue": {"q": [{"tags": {}}]}}},
	{"provider": {"aws": {"default_tags": {"tags": {"Owner": "a"}}}}, "resource": {"aws_sqs_queue": {"q": [{"tags": {}}]}}},
]

# Parameters for the robustness tests (required_tags switches tags on).
params := {"required_tags": ["Owner", "Team"], "deprecated_lambda_runtimes": ["nodejs14.x", 5, null]}

tags := {"Owner": "platform", "Team": "infra"}

# A file that passes every rule of the pack (with fx.params).
compliant := {
	"provider": {"aws": [{"region": "eu-west-1", "default_tags": [{"tags": {"Team": "infra"}}]}]},
	"resource": {
		"aws_s3_bucket": {"logs": [{"bucket": "acme-logs", "tags": tags}]},
		"aws_s3_bucket_public_access_block": {"logs": [{
			"bucket": "${aws_s3_bucket.logs.id}",
			"block_public_acls": true,
			"block_public_policy": true,
			"ignore_public_acls": true,
			"restrict_public_buckets": true,
		}]},
		"aws_s3_bucket_server_side_encryption_configuration": {"logs": [{
			"bucket": "${aws_s3_bucket.logs.id}",
			"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}],
		}]},
		"aws_s3_bucket_versioning": {"logs": [{"bucket": "${aws_s3_bucket.logs.id}", "versioning_configuration": [{"status": "Enabled"}]}]},
		"aws_security_group": {"web": [{
			"name": "web",
			"ingress": [
				{"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": ["::/0"]},
				{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]},
			],
			"egress": [{"from_port": 0, "to_port": 0, "protocol": "-1", "cidr_blocks": ["0.0.0.0/0"]}],
			"tags": {"Owner": "platform"},
		}]},
		"aws_security_group_rule": {"https": [{"type": "ingress", "from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]},
		"aws_vpc_security_group_ingress_rule": {"https": [{"from_port": 443, "to_port": 443, "ip_protocol": "tcp", "cidr_ipv4": "0.0.0.0/0"}]},
		"aws_iam_policy": {"read": [{"policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\"}]}", "tags": tags}]},
		"aws_db_instance": {"db": [{"publicly_accessible": false, "storage_encrypted": true, "tags": tags}]},
		"aws_rds_cluster": {"aurora": [{"engine": "aurora-postgresql", "storage_encrypted": true, "tags": tags}]},
		"aws_ebs_volume": {"data": [{"size": 10, "encrypted": true, "tags": tags}]},
		"aws_instance": {"vm": [{"root_block_device": [{"encrypted": true}], "tags": tags}]},
		"aws_cloudtrail": {"main": [{"enable_logging": true, "enable_log_file_validation": true, "tags": tags}]},
		"aws_kms_key": {"main": [{"enable_key_rotation": true, "tags": tags}]},
		"aws_lambda_function": {"fn": [{"runtime": "python3.13", "dead_letter_config": [{"target_arn": "${aws_sqs_queue.dlq.arn}"}], "tags": tags}]},
		"aws_sqs_queue": {"dlq": [{"tags": tags}]},
	},
	"data": {"aws_iam_policy_document": {"read": [{"statement": [{"actions": ["s3:GetObject"], "resources": ["*"]}]}]}},
}
