package aws.cloudformation.rds_test

import data.aws.cloudformation.fixtures_test as fx
import data.aws.cloudformation.rds

instance(properties) := fx.template({"Db": fx.resource("AWS::RDS::DBInstance", properties)})

cluster(properties) := fx.template({"Cluster": fx.resource("AWS::RDS::DBCluster", properties)})

path(rest) := array.concat(["Resources", "Db", "Properties"], rest)

# --- deny_rds_public --------------------------------------------------------

test_private_instance_passes if {
	count(rds.deny_rds_public) == 0 with input as instance({"Engine": "mysql", "PubliclyAccessible": false})
	count(rds.deny_rds_public) == 0 with input as instance({"Engine": "mysql"})
	count(rds.deny_rds_public) == 0 with input as instance({"Engine": "mysql", "PubliclyAccessible": {"Ref": "Public"}})
	count(rds.deny_rds_public) == 0 with input as instance({"Engine": "mysql", "PubliclyAccessible": fx.if_(false, {"Ref": "Public"})})
}

test_public_instance if {
	result := rds.deny_rds_public with input as instance({"Engine": "mysql", "PubliclyAccessible": true})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" is publicly accessible (PubliclyAccessible: true)`,
		"field": path(["PubliclyAccessible"]),
	}}
}

test_public_instance_string if {
	result := rds.deny_rds_public with input as instance({"Engine": "mysql", "PubliclyAccessible": "true"})
	count(result) == 1
}

test_public_in_if_branch if {
	result := rds.deny_rds_public with input as instance({"Engine": "mysql", "PubliclyAccessible": fx.if_(false, true)})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" is publicly accessible (PubliclyAccessible: true)`,
		"field": path(["PubliclyAccessible", "Fn::If", 2]),
	}}
}

test_public_cluster if {
	result := rds.deny_rds_public with input as cluster({"Engine": "mysql", "PubliclyAccessible": true, "StorageEncrypted": true})
	result == {{
		"msg": `AWS::RDS::DBCluster "Cluster" is publicly accessible (PubliclyAccessible: true)`,
		"field": ["Resources", "Cluster", "Properties", "PubliclyAccessible"],
	}}
}

test_public_serverless if {
	result := rds.deny_rds_public with input as fx.serverless({"Db": fx.resource("AWS::RDS::DBInstance", {"PubliclyAccessible": true, "StorageEncrypted": true})})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" is publicly accessible (PubliclyAccessible: true)`,
		"field": ["resources", "Resources", "Db", "Properties", "PubliclyAccessible"],
	}}
}

# --- deny_rds_unencrypted ---------------------------------------------------

test_encrypted_instance_passes if {
	count(rds.deny_rds_unencrypted) == 0 with input as instance({"Engine": "postgres", "StorageEncrypted": true})
	count(rds.deny_rds_unencrypted) == 0 with input as instance({"Engine": "postgres", "StorageEncrypted": "true"})
	count(rds.deny_rds_unencrypted) == 0 with input as instance({"Engine": "postgres", "StorageEncrypted": {"Ref": "Encrypt"}})
}

test_unencrypted_instance if {
	result := rds.deny_rds_unencrypted with input as instance({"Engine": "postgres"})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" does not encrypt its storage: it does not set StorageEncrypted`,
		"field": path(["StorageEncrypted"]),
	}}
}

test_unencrypted_instance_false if {
	result := rds.deny_rds_unencrypted with input as instance({"Engine": "postgres", "StorageEncrypted": false})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" does not encrypt its storage: it sets StorageEncrypted to false`,
		"field": path(["StorageEncrypted"]),
	}}
}

test_unencrypted_in_if_branch if {
	result := rds.deny_rds_unencrypted with input as instance({"Engine": "postgres", "StorageEncrypted": fx.if_(true, fx.no_value)})
	result == {{
		"msg": `AWS::RDS::DBInstance "Db" does not encrypt its storage: it sets StorageEncrypted to a value other than true in an Fn::If branch`,
		"field": path(["StorageEncrypted", "Fn::If", 2]),
	}}
}

test_inherited_encryption_skipped if {
	every key in ["SourceDBInstanceIdentifier", "DBSnapshotIdentifier", "SourceDBClusterIdentifier", "DBClusterSnapshotIdentifier"] {
		count(rds.deny_rds_unencrypted) == 0 with input as instance({"Engine": "postgres", key: {"Ref": "Source"}})
	}
}

# Aurora: the instance's encryption is the cluster's.
test_aurora_instance_checks_cluster if {
	doc := fx.template({
		"Cluster": fx.resource("AWS::RDS::DBCluster", {"Engine": "aurora-postgresql"}),
		"Writer": fx.resource("AWS::RDS::DBInstance", {"Engine": "aurora-postgresql", "DBClusterIdentifier": {"Ref": "Cluster"}}),
		"Reader": fx.resource("AWS::RDS::DBInstance", {"Engine": "aurora-postgresql", "DBClusterIdentifier": {"Ref": "Cluster"}}),
	})
	result := rds.deny_rds_unencrypted with input as doc
	result == {{
		"msg": `AWS::RDS::DBCluster "Cluster" does not encrypt its storage: it does not set StorageEncrypted`,
		"field": ["Resources", "Cluster", "Properties", "StorageEncrypted"],
	}}
}

test_aurora_encrypted_cluster_passes if {
	doc := fx.template({
		"Cluster": fx.resource("AWS::RDS::DBCluster", {"Engine": "aurora-mysql", "StorageEncrypted": true}),
		"Writer": fx.resource("AWS::RDS::DBInstance", {"Engine": "aurora-mysql", "DBClusterIdentifier": {"Ref": "Cluster"}}),
		"Orphan": fx.resource("AWS::RDS::DBInstance", {"Engine": "Aurora-MySQL"}),
	})
	count(rds.deny_rds_unencrypted) == 0 with input as doc
}

test_cluster_skips if {
	count(rds.deny_rds_unencrypted) == 0 with input as cluster({"Engine": "aurora", "EngineMode": "serverless"})
	count(rds.deny_rds_unencrypted) == 0 with input as cluster({"Engine": "aurora-mysql", "SnapshotIdentifier": "snap"})
	count(rds.deny_rds_unencrypted) == 0 with input as cluster({"Engine": "aurora-mysql", "SourceDBClusterIdentifier": "src"})
}

test_cluster_unencrypted_false if {
	result := rds.deny_rds_unencrypted with input as cluster({"Engine": "aurora-mysql", "EngineMode": "provisioned", "StorageEncrypted": false})
	result == {{
		"msg": `AWS::RDS::DBCluster "Cluster" does not encrypt its storage: it sets StorageEncrypted to false`,
		"field": ["Resources", "Cluster", "Properties", "StorageEncrypted"],
	}}
}
