package aws.terraform.rds_test

import data.aws.terraform.fixtures_test as fx
import data.aws.terraform.rds

instance(body) := fx.resource("aws_db_instance", "db", body)

cluster(body) := fx.resource("aws_rds_cluster", "aurora", body)

# --- deny_rds_public --------------------------------------------------------

test_rds_private_passes if {
	every body in [{}, {"publicly_accessible": false}, {"publicly_accessible": "${var.public}"}, {"publicly_accessible": null}] {
		count(rds.deny_rds_public) == 0 with input as instance(body)
	}
}

test_rds_public_instance_denied if {
	result := rds.deny_rds_public with input as instance({"publicly_accessible": true, "storage_encrypted": true})
	result == {{
		"msg": "aws_db_instance.db is publicly accessible (publicly_accessible = true)",
		"field": ["resource", "aws_db_instance", "db", 0, "publicly_accessible"],
	}}
}

test_rds_public_cluster_instance_denied if {
	result := rds.deny_rds_public with input as fx.resource("aws_rds_cluster_instance", "one", {"publicly_accessible": "true"})
	result == {{
		"msg": "aws_rds_cluster_instance.one is publicly accessible (publicly_accessible = true)",
		"field": ["resource", "aws_rds_cluster_instance", "one", 0, "publicly_accessible"],
	}}
}

# --- deny_rds_unencrypted ---------------------------------------------------

test_rds_encrypted_passes if {
	every doc in [
		instance({"storage_encrypted": true}),
		instance({"storage_encrypted": "true"}),
		instance({"storage_encrypted": "${var.storage_encrypted}"}),
		instance({"replicate_source_db": "${aws_db_instance.primary.identifier}"}),
		instance({"snapshot_identifier": "snap-1"}),
		instance({"restore_to_point_in_time": [{"source_db_instance_identifier": "x"}]}),
		cluster({"storage_encrypted": true}),
		cluster({"engine_mode": "serverless"}),
		cluster({"replication_source_identifier": "arn:aws:rds:..."}),
		fx.resource("aws_rds_cluster_instance", "one", {"cluster_identifier": "${aws_rds_cluster.aurora.id}"}),
	] {
		count(rds.deny_rds_unencrypted) == 0 with input as doc
	}
}

test_rds_instance_unencrypted_denied if {
	result := rds.deny_rds_unencrypted with input as instance({"engine": "postgres"})
	result == {{
		"msg": "aws_db_instance.db does not encrypt its storage: it does not set storage_encrypted",
		"field": ["resource", "aws_db_instance", "db", 0, "storage_encrypted"],
	}}
}

test_rds_cluster_unencrypted_denied if {
	result := rds.deny_rds_unencrypted with input as cluster({"engine": "aurora-mysql", "engine_mode": "provisioned", "storage_encrypted": false})
	result == {{
		"msg": "aws_rds_cluster.aurora does not encrypt its storage: it sets storage_encrypted = false",
		"field": ["resource", "aws_rds_cluster", "aurora", 0, "storage_encrypted"],
	}}
}
