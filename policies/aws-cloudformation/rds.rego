# METADATA
# title: RDS databases
# description: |-
#   Checks AWS::RDS::DBInstance and AWS::RDS::DBCluster resources for public
#   accessibility and storage encryption. No parameters.
package aws.cloudformation.rds

import data.aws.cloudformation.lib

# METADATA
# title: RDS database must not be publicly accessible
# description: |-
#   PubliclyAccessible true gives the DB instance (or Multi-AZ DB cluster) a
#   public DNS name resolving to a public IP address; only its security group
#   then stands between the database and the internet. A literal true, also
#   in either branch of an Fn::If, is a finding; a value from a parameter and
#   an absent property (whose default depends on the subnet group) are not.
# custom:
#   id: aws-rds-public
#   severity: high
#   remediation: Set PubliclyAccessible to false (or remove it and use private subnets in the DB subnet group) and reach the database from inside the VPC, through a VPN, AWS Client VPN or Session Manager port forwarding.
#   docs: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.Hiding
deny_rds_public contains result if {
	some r in lib.resources
	r.type in {"AWS::RDS::DBInstance", "AWS::RDS::DBCluster"}
	paths := lib.true_paths(r.properties, "PubliclyAccessible", lib.field(r, []))
	count(paths) > 0
	result := {
		"msg": sprintf("%s is publicly accessible (PubliclyAccessible: true)", [lib.subject(r)]),
		"field": lib.first_path(paths),
	}
}

# METADATA
# title: RDS storage must be encrypted
# description: |-
#   StorageEncrypted must be true so that the database storage, its automated
#   backups, read replicas and snapshots are encrypted with KMS; encryption
#   cannot be turned on for an existing instance without a snapshot restore.
#   AWS::RDS::DBInstance is checked unless it belongs to a DB cluster
#   (DBClusterIdentifier set, or an aurora* engine): encryption of Aurora
#   instances is the cluster's, so AWS::RDS::DBCluster is checked instead.
#   Resources restored from a snapshot, created as read replicas or from a
#   source cluster inherit the source's encryption and are skipped, as are
#   Aurora Serverless v1 clusters (EngineMode serverless, always encrypted).
#   A literal false or a missing property is a finding, also in an Fn::If
#   branch; a parameter is not judged.
# custom:
#   id: aws-rds-encryption
#   severity: high
#   remediation: Set StorageEncrypted to true (optionally with KmsKeyId for a customer managed key) on the DB instance or, for Aurora, on the DB cluster. An existing unencrypted database must be migrated through an encrypted snapshot copy.
#   docs: https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
deny_rds_unencrypted contains result if {
	some r in lib.resources
	checks_encryption(r)
	paths := lib.not_true_paths(r.properties, "StorageEncrypted", lib.field(r, []))
	count(paths) > 0
	result := {
		"msg": sprintf("%s does not encrypt its storage: it %s", [lib.subject(r), lib.not_true_reason(r.properties, "StorageEncrypted")]),
		"field": lib.first_path(paths),
	}
}

# Properties that make a resource inherit the encryption of its source.
inherited_instance := {
	"DBClusterIdentifier",
	"SourceDBInstanceIdentifier",
	"SourceDBClusterIdentifier",
	"DBSnapshotIdentifier",
	"DBClusterSnapshotIdentifier",
	"SourceDbiResourceId",
	"SourceDBInstanceAutomatedBackupsArn",
}

inherited_cluster := {"SnapshotIdentifier", "SourceDBClusterIdentifier"}

checks_encryption(r) if {
	r.type == "AWS::RDS::DBInstance"
	not inherits(r.properties, inherited_instance)
	not aurora(r.properties)
}

checks_encryption(r) if {
	r.type == "AWS::RDS::DBCluster"
	not inherits(r.properties, inherited_cluster)
	not serverless_v1(r.properties)
}

inherits(properties, keys) if {
	some key in keys
	lib.has_value(properties, key)
}

aurora(properties) if {
	engine := properties.Engine
	is_string(engine)
	startswith(lower(engine), "aurora")
}

serverless_v1(properties) if {
	mode := properties.EngineMode
	is_string(mode)
	lower(mode) == "serverless"
}
