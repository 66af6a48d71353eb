"""A generated Terraform plan (`terraform show -json` shape) of `n` resources for benchmarks and scale
tests: units of a security group, an instance and a database behind it, and a bucket with its public
access block, in modules of 50 units; ids known after apply, references in `configuration`.

    data = plan(2000)     # a dict: json.dumps it to a file
"""

from __future__ import annotations

from typing import Any

PER_UNIT = 5
UNITS_PER_MODULE = 50


def _resource(address: str, kind: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"address": address, "mode": "managed", "type": kind, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values,
            "sensitive_values": {}}  # fmt: skip


def plan(n: int, drifted: bool = False) -> dict[str, Any]:
    """`drifted`: the same resources after changes (other units open SSH to the world, other databases
    unencrypted), to compare a model drafted from the first plan with."""
    shift = 1 if drifted else 0
    units = max(1, n // PER_UNIT)
    modules: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    calls: dict[str, Any] = {}
    for first in range(0, units, UNITS_PER_MODULE):
        name = f"svc{first // UNITS_PER_MODULE}"
        prefix = f"module.{name}."
        resources, config = [], []
        for i in range(first, min(units, first + UNITS_PER_MODULE)):
            world = i % 11 == shift
            items: list[tuple[str, str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
                ("aws_security_group", f"sg{i}", {"name": f"sg-{i}", "ingress": [{
                    "from_port": 22 if world else 443, "to_port": 22 if world else 443, "protocol": "tcp",
                    "cidr_blocks": ["0.0.0.0/0" if world else "10.0.0.0/8"], "ipv6_cidr_blocks": [],
                    "security_groups": []}]}, {"id": True, "arn": True, "vpc_id": True}, {}),
                ("aws_instance", f"web{i}", {"instance_type": "t3.small", "associate_public_ip_address": i % 5 == 0},
                 {"id": True, "arn": True, "vpc_security_group_ids": True},
                 {"vpc_security_group_ids": [f"aws_security_group.sg{i}.id", f"aws_security_group.sg{i}"]}),
                ("aws_db_instance", f"db{i}", {"storage_encrypted": i % 7 != shift, "publicly_accessible": False,
                                                "backup_retention_period": 7},
                 {"id": True, "arn": True, "vpc_security_group_ids": True},
                 {"vpc_security_group_ids": [f"aws_security_group.sg{i}.id", f"aws_security_group.sg{i}"]}),
                ("aws_s3_bucket", f"b{i}", {"bucket": f"bucket-{i}"}, {"id": True, "arn": True}, {}),
                ("aws_s3_bucket_public_access_block", f"b{i}", {"block_public_acls": True, "block_public_policy": True,
                                                                 "ignore_public_acls": True,
                                                                 "restrict_public_buckets": True},
                 {"id": True, "bucket": True}, {"bucket": [f"aws_s3_bucket.b{i}.id", f"aws_s3_bucket.b{i}"]}),
            ]  # fmt: skip
            for kind, local, values, unknown, references in items:
                address = f"{prefix}{kind}.{local}"
                resources.append(_resource(address, kind, local, values))
                changes.append({"address": address, "module_address": prefix[:-1], "mode": "managed", "type": kind,
                                "name": local, "change": {"actions": ["create"], "before": None, "after": values,
                                                          "after_unknown": unknown}})  # fmt: skip
                config.append({"address": f"{kind}.{local}", "mode": "managed", "type": kind, "name": local,
                               "expressions": {k: {"references": v} for k, v in references.items()}})  # fmt: skip
        modules.append({"address": prefix[:-1], "resources": resources})
        calls[name] = {"source": "./modules/svc", "module": {"resources": config}}
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"child_modules": modules}},
        "resource_changes": changes,
        "configuration": {"root_module": {"module_calls": calls}},
    }
