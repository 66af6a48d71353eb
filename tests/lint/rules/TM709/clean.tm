datastore orders "Orders" { kind: sql, iac: ["aws_db_instance.orders"] }
