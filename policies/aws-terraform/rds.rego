# METADATA
# title: RDS databases
# description: |-
#   Checks aws_db_instance, aws_rds_cluster and aws_rds_cluster_instance
#   resources for public accessibility and storage encryption. Values from
#   variables are not judged. No parameters.
package aws.terraform.rds

import data.aws.terraform.lib

# METADATA
# title: RDS database must not be publicly accessible
# description: |-
#   publicly_accessible = true gives the DB instance (or Aurora cluster
#   instance, or Multi-AZ DB cluster) a public DNS name resolving to a public
#   IP address; only its security group then stands between the database and
#   the internet. A literal true (or "true") on aws_db_instance,
#   aws_rds_cluster_instance or aws_rds_cluster is a finding; a variable and
#   an absent argument (default false) are not.
# custom:
#   id: aws-rds-public
#   severity: high
#   remediation: Set publicly_accessible = false (the default) and place the database in private subnets; reach it from inside the VPC, through a VPN, AWS Client VPN or Session Manager port forwarding.
#   docs: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#publicly_accessible
deny_rds_public contains result if {
	some r in lib.resources
	r.type in {"aws_db_instance", "aws_rds_cluster_instance", "aws_rds_cluster"}
	lib.is_true(r.body.publicly_accessible)
	result := {
		"msg": sprintf("%s is publicly accessible (publicly_accessible = true)", [r.address]),
		"field": lib.field(r, ["publicly_accessible"]),
	}
}

# METADATA
# title: RDS storage must be encrypted
# description: |-
#   storage_encrypted must be true so that the database storage, its
#   automated backups, read replicas and snapshots are encrypted with KMS;
#   encryption cannot be turned on for an existing database without a
#   snapshot restore. Checked: aws_db_instance and aws_rds_cluster (an
#   aws_rds_cluster_instance takes its cluster's encryption). Skipped, since
#   they inherit the source's encryption: instances with
#   replicate_source_db, snapshot_identifier or restore_to_point_in_time,
#   clusters with snapshot_identifier, replication_source_identifier or
#   restore_to_point_in_time; and Aurora Serverless v1 clusters
#   (engine_mode = "serverless", always encrypted). storage_encrypted
#   defaults to false, so a missing argument is reported like a literal
#   false; a variable is not judged.
# custom:
#   id: aws-rds-encryption
#   severity: high
#   remediation: Set storage_encrypted = true (optionally with kms_key_id for a customer managed key) on the aws_db_instance or aws_rds_cluster. An existing unencrypted database must be migrated through an encrypted snapshot copy.
#   docs: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
deny_rds_unencrypted contains result if {
	some r in lib.resources
	checks_encryption(r)
	reason := lib.not_true_reason(r.body, "storage_encrypted")
	result := {
		"msg": sprintf("%s does not encrypt its storage: it %s", [r.address, reason]),
		"field": lib.field(r, ["storage_encrypted"]),
	}
}

# Arguments that make a resource inherit the encryption of its source.
inherited_instance := {"replicate_source_db", "snapshot_identifier", "restore_to_point_in_time"}

inherited_cluster := {"snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time"}

checks_encryption(r) if {
	r.type == "aws_db_instance"
	not inherits(r.body, inherited_instance)
}

checks_encryption(r) if {
	r.type == "aws_rds_cluster"
	not inherits(r.body, inherited_cluster)
	not serverless_v1(r.body)
}

inherits(body, keys) if {
	some key in keys
	lib.has_value(body, key)
}

serverless_v1(body) if {
	mode := body.engine_mode
	is_string(mode)
	lower(mode) == "serverless"
}
