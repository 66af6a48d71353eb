datastore orders "Orders" { kind: sql, iac: ["aws_db_instance.orders"] }
datastore cache "Cache" { kind: cache, encrypted_at_rest: true, iac: ["aws_elasticache_replication_group.cache"] }
