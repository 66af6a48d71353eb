"""Read a live AWS account, read-only, into the same Terraform-shaped resources (`tmdiag drift --aws`).

Each API object becomes the resource Terraform would record for it (`aws_security_group` with its
`ingress` blocks, `aws_s3_bucket_public_access_block`, `aws_lb_listener`, …), so the mapping table
and the drift rules read live facts exactly as they read Terraform. With a state (`terraform show
-json`), each object takes the address the state gives its id; types tmdiag does not read from
AWS (routes, roles, security group rule resources, …) are taken from the state as recorded. Without
a state, an object is named `<type>.<Name tag or name>`.

Only `Describe*`, `List*` and `Get*` calls are made (the AWS managed policy `SecurityAudit` covers them).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from tmdiag.diagnostics import Span
from tmdiag.iac.mapping import REFERENCE_ATTRIBUTES
from tmdiag.iac.resources import Infrastructure, Resource


class AwsError(Exception):
    """Credentials, permissions or the endpoint failed: the message says which call and why."""


Found = Iterator[tuple[str, str, dict[str, Any], tuple[str, ...]]]  # (type, name, values, ids)


def _tags(items: Any) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in items or [] if "Key" in t}


def _ports(permission: dict[str, Any]) -> tuple[int, int, str]:
    protocol = str(permission.get("IpProtocol", "-1"))
    if protocol == "-1":
        return 0, 0, "-1"
    return int(permission.get("FromPort", 0)), int(permission.get("ToPort", 65535)), protocol


class Reader:
    def __init__(self, session: Any, endpoint_url: str | None):
        from botocore.config import Config

        self.session = session
        self.endpoint_url = endpoint_url
        self.config = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30)
        self.clients: dict[str, Any] = {}

    def client(self, name: str) -> Any:
        if name not in self.clients:
            self.clients[name] = self.session.client(name, endpoint_url=self.endpoint_url, config=self.config)
        return self.clients[name]

    def pages(self, service: str, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
        client = self.client(service)
        if client.can_paginate(operation):
            for page in client.get_paginator(operation).paginate(**kwargs):
                yield from page.get(key, [])
        else:
            yield from getattr(client, operation)(**kwargs).get(key, [])

    def optional(self, call: Callable[..., Any], missing: tuple[str, ...], **kwargs: Any) -> Any:
        """The answer, or None when AWS says the thing is not configured (NoSuchBucketPolicy, …)."""
        from botocore.exceptions import ClientError

        try:
            return call(**kwargs)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in missing:
                return None
            raise

    # ---- network ----------------------------------------------------------------------
    def network(self) -> Found:
        for vpc in self.pages("ec2", "describe_vpcs", "Vpcs"):
            tags = _tags(vpc.get("Tags"))
            yield (
                "aws_vpc",
                tags.get("Name", vpc["VpcId"]),
                {"cidr_block": vpc.get("CidrBlock"), "tags": tags},
                (vpc["VpcId"],),
            )
        for subnet in self.pages("ec2", "describe_subnets", "Subnets"):
            tags = _tags(subnet.get("Tags"))
            values = {"vpc_id": subnet.get("VpcId"), "cidr_block": subnet.get("CidrBlock"),
                      "map_public_ip_on_launch": bool(subnet.get("MapPublicIpOnLaunch")), "tags": tags}  # fmt: skip
            yield (
                "aws_subnet",
                tags.get("Name", subnet["SubnetId"]),
                values,
                (subnet["SubnetId"], subnet.get("SubnetArn", "")),
            )
        for group in self.pages("ec2", "describe_security_groups", "SecurityGroups"):
            ingress = []
            for permission in group.get("IpPermissions", []):
                first, last, protocol = _ports(permission)
                ingress.append({
                    "from_port": first, "to_port": last, "protocol": protocol,
                    "cidr_blocks": [r["CidrIp"] for r in permission.get("IpRanges", [])],
                    "ipv6_cidr_blocks": [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])],
                    "security_groups": [p["GroupId"] for p in permission.get("UserIdGroupPairs", [])],
                })  # fmt: skip
            values = {"name": group.get("GroupName"), "vpc_id": group.get("VpcId"), "ingress": ingress,
                      "tags": _tags(group.get("Tags"))}  # fmt: skip
            yield "aws_security_group", group.get("GroupName", group["GroupId"]), values, (group["GroupId"],)

    def instances(self) -> Found:
        for reservation in self.pages("ec2", "describe_instances", "Reservations"):
            for instance in reservation.get("Instances", []):
                if instance.get("State", {}).get("Name") in ("terminated", "shutting-down"):
                    continue
                tags = _tags(instance.get("Tags"))
                root = next((m for m in instance.get("BlockDeviceMappings", [])
                             if m.get("DeviceName") == instance.get("RootDeviceName")), None)  # fmt: skip
                encrypted: Any = None
                if root and root.get("Ebs", {}).get("VolumeId"):
                    volumes = self.client("ec2").describe_volumes(VolumeIds=[root["Ebs"]["VolumeId"]])["Volumes"]
                    encrypted = bool(volumes and volumes[0].get("Encrypted"))
                values = {
                    "subnet_id": instance.get("SubnetId"), "tags": tags,
                    "vpc_security_group_ids": list(dict.fromkeys(
                        g["GroupId"]
                        for g in instance.get("SecurityGroups", [])
                        + [g for eni in instance.get("NetworkInterfaces", []) for g in eni.get("Groups", [])]
                    )),
                    "associate_public_ip_address": bool(instance.get("PublicIpAddress")),
                    "root_block_device": [{"encrypted": encrypted}] if encrypted is not None else [],
                }  # fmt: skip
                yield "aws_instance", tags.get("Name", instance["InstanceId"]), values, (instance["InstanceId"],)

    def load_balancers(self) -> Found:
        for balancer in self.pages("elbv2", "describe_load_balancers", "LoadBalancers"):
            arn = balancer["LoadBalancerArn"]
            values = {"name": balancer.get("LoadBalancerName"), "internal": balancer.get("Scheme") == "internal",
                      "security_groups": balancer.get("SecurityGroups", []),
                      "subnets": [z["SubnetId"] for z in balancer.get("AvailabilityZones", []) if "SubnetId" in z],
                      }  # fmt: skip
            yield "aws_lb", balancer.get("LoadBalancerName", arn), values, (arn,)
            for listener in self.pages("elbv2", "describe_listeners", "Listeners", LoadBalancerArn=arn):
                actions = [{"type": a.get("Type"), "target_group_arn": a.get("TargetGroupArn")}
                           for a in listener.get("DefaultActions", [])]  # fmt: skip
                values = {"load_balancer_arn": arn, "port": listener.get("Port"), "protocol": listener.get("Protocol"),
                          "ssl_policy": listener.get("SslPolicy"), "default_action": actions}  # fmt: skip
                name = f"{balancer.get('LoadBalancerName')}-{listener.get('Port')}"
                yield "aws_lb_listener", name, values, (listener["ListenerArn"],)
        for group in self.pages("elbv2", "describe_target_groups", "TargetGroups"):
            values = {"name": group.get("TargetGroupName"), "port": group.get("Port"),
                      "protocol": group.get("Protocol"), "vpc_id": group.get("VpcId")}  # fmt: skip
            yield "aws_lb_target_group", group.get("TargetGroupName", ""), values, (group["TargetGroupArn"],)

    def ecs(self) -> Found:
        for cluster in self.pages("ecs", "list_clusters", "clusterArns"):
            arns = list(self.pages("ecs", "list_services", "serviceArns", cluster=cluster))
            for start in range(0, len(arns), 10):
                answer = self.client("ecs").describe_services(cluster=cluster, services=arns[start : start + 10])
                for service in answer.get("services", []):
                    vpc = service.get("networkConfiguration", {}).get("awsvpcConfiguration", {})
                    values = {
                        "name": service.get("serviceName"),
                        "network_configuration": [{
                            "subnets": vpc.get("subnets", []), "security_groups": vpc.get("securityGroups", []),
                            "assign_public_ip": vpc.get("assignPublicIp") == "ENABLED",
                        }] if vpc else [],
                        "load_balancer": [{"target_group_arn": b.get("targetGroupArn"),
                                           "container_port": b.get("containerPort")}
                                          for b in service.get("loadBalancers", [])],
                    }  # fmt: skip
                    yield "aws_ecs_service", service.get("serviceName", ""), values, (service["serviceArn"],)

    def databases(self) -> Found:
        for db in self.pages("rds", "describe_db_instances", "DBInstances"):
            group = db.get("DBSubnetGroup") or {}
            values = {
                "identifier": db.get("DBInstanceIdentifier"), "publicly_accessible": bool(db.get("PubliclyAccessible")),
                "storage_encrypted": bool(db.get("StorageEncrypted")),
                "backup_retention_period": db.get("BackupRetentionPeriod", 0),
                "vpc_security_group_ids": [g["VpcSecurityGroupId"] for g in db.get("VpcSecurityGroups", [])],
                "db_subnet_group_name": group.get("DBSubnetGroupName"),
            }  # fmt: skip
            ids = (db.get("DBInstanceArn", ""), db.get("DbiResourceId", ""), db.get("DBInstanceIdentifier", ""))
            yield "aws_db_instance", db.get("DBInstanceIdentifier", ""), values, ids
        for group in self.pages("rds", "describe_db_subnet_groups", "DBSubnetGroups"):
            values = {
                "name": group.get("DBSubnetGroupName"),
                "subnet_ids": [s["SubnetIdentifier"] for s in group.get("Subnets", [])],
            }
            yield (
                "aws_db_subnet_group",
                group.get("DBSubnetGroupName", ""),
                values,
                (group.get("DBSubnetGroupName", ""), group.get("DBSubnetGroupArn", "")),
            )

    def buckets(self) -> Found:
        s3 = self.client("s3")
        for bucket in s3.list_buckets().get("Buckets", []):
            name = bucket["Name"]
            yield "aws_s3_bucket", name, {"bucket": name}, (name, f"arn:aws:s3:::{name}")
            block = self.optional(s3.get_public_access_block, ("NoSuchPublicAccessBlockConfiguration",), Bucket=name)
            if block is not None:
                config = block.get("PublicAccessBlockConfiguration", {})
                values = {"bucket": name, "block_public_acls": config.get("BlockPublicAcls", False),
                          "block_public_policy": config.get("BlockPublicPolicy", False),
                          "ignore_public_acls": config.get("IgnorePublicAcls", False),
                          "restrict_public_buckets": config.get("RestrictPublicBuckets", False)}  # fmt: skip
                yield "aws_s3_bucket_public_access_block", name, values, (name,)
            policy = self.optional(s3.get_bucket_policy, ("NoSuchBucketPolicy",), Bucket=name)
            if policy is not None:
                yield "aws_s3_bucket_policy", name, {"bucket": name, "policy": policy.get("Policy")}, (name,)
            acl = self.optional(s3.get_bucket_acl, ("AccessDenied",), Bucket=name)
            everyone = "http://acs.amazonaws.com/groups/global/AllUsers"
            grants = {
                g.get("Permission")
                for g in (acl or {}).get("Grants", [])
                if g.get("Grantee", {}).get("URI") == everyone
            }
            if grants:
                canned = "public-read-write" if "WRITE" in grants or "FULL_CONTROL" in grants else "public-read"
                yield "aws_s3_bucket_acl", name, {"bucket": name, "acl": canned}, (f"{name},{canned}",)
            versioning = s3.get_bucket_versioning(Bucket=name).get("Status")
            if versioning:
                yield (
                    "aws_s3_bucket_versioning",
                    name,
                    {"bucket": name, "versioning_configuration": [{"status": versioning}]},
                    (name,),
                )

    def queues(self) -> Found:
        sqs = self.client("sqs")
        for url in self.pages("sqs", "list_queues", "QueueUrls"):
            attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]).get("Attributes", {})
            managed = attributes.get("SqsManagedSseEnabled")
            values = {"name": url.rsplit("/", 1)[-1], "kms_master_key_id": attributes.get("KmsMasterKeyId"),
                      "sqs_managed_sse_enabled": None if managed is None else managed == "true"}  # fmt: skip
            yield "aws_sqs_queue", url.rsplit("/", 1)[-1], values, (url, attributes.get("QueueArn", ""))

    def functions(self) -> Found:
        client = self.client("lambda")
        for function in self.pages("lambda", "list_functions", "Functions"):
            name, arn = function["FunctionName"], function["FunctionArn"]
            vpc = function.get("VpcConfig") or {}
            subnets = {"subnet_ids": vpc.get("SubnetIds", []), "security_group_ids": vpc.get("SecurityGroupIds", [])}
            values = {"function_name": name, "runtime": function.get("Runtime"),
                      "vpc_config": [subnets] if vpc.get("SubnetIds") else []}  # fmt: skip
            yield "aws_lambda_function", name, values, (name, arn)
            url = self.optional(client.get_function_url_config, ("ResourceNotFoundException",), FunctionName=name)
            if url is not None:
                yield (
                    "aws_lambda_function_url",
                    name,
                    {"function_name": name, "authorization_type": url.get("AuthType")},
                    (name,),
                )
        for mapping in self.pages("lambda", "list_event_source_mappings", "EventSourceMappings"):
            values = {"event_source_arn": mapping.get("EventSourceArn"), "function_name": mapping.get("FunctionArn")}
            yield "aws_lambda_event_source_mapping", mapping["UUID"], values, (mapping["UUID"],)

    def control_plane(self) -> Found:
        trails = self.client("cloudtrail")
        for trail in trails.describe_trails(includeShadowTrails=False).get("trailList", []):
            status = trails.get_trail_status(Name=trail["TrailARN"])
            values = {"name": trail["Name"], "enable_logging": bool(status.get("IsLogging")),
                      "is_multi_region_trail": bool(trail.get("IsMultiRegionTrail")),
                      "s3_bucket_name": trail.get("S3BucketName")}  # fmt: skip
            yield "aws_cloudtrail", trail["Name"], values, (trail["Name"], trail["TrailARN"])
        iam = self.client("iam")
        for policy in self.pages("iam", "list_policies", "Policies", Scope="Local"):
            version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
            document = version["PolicyVersion"]["Document"]
            values = {"name": policy["PolicyName"], "policy": document if isinstance(document, (dict, str)) else None}
            yield "aws_iam_policy", policy["PolicyName"], values, (policy["Arn"],)
        password = self.optional(iam.get_account_password_policy, ("NoSuchEntity",))
        if password is not None:
            rules = password.get("PasswordPolicy", {})
            values = {"minimum_password_length": rules.get("MinimumPasswordLength")}
            yield "aws_iam_account_password_policy", "account", values, ("iam-account-password-policy",)
        kms = self.client("kms")
        for key in self.pages("kms", "list_keys", "Keys"):
            meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            if meta.get("KeyManager") != "CUSTOMER" or meta.get("KeyState") == "PendingDeletion":
                continue
            rotation = kms.get_key_rotation_status(KeyId=key["KeyId"]).get("KeyRotationEnabled", False)
            values = {"description": meta.get("Description"), "enable_key_rotation": bool(rotation)}
            yield "aws_kms_key", key["KeyId"], values, (key["KeyId"], meta.get("Arn", ""))

    def all(self) -> Found:
        for part in (self.network, self.instances, self.load_balancers, self.ecs, self.databases, self.buckets,
                     self.queues, self.functions, self.control_plane):  # fmt: skip
            yield from part()


# The resource types read from AWS; other types in a state are taken from the state.
LIVE_TYPES = frozenset({
    "aws_vpc", "aws_subnet", "aws_security_group", "aws_instance", "aws_lb", "aws_lb_listener", "aws_lb_target_group",
    "aws_ecs_service", "aws_db_instance", "aws_db_subnet_group", "aws_s3_bucket", "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_policy", "aws_s3_bucket_acl", "aws_s3_bucket_versioning", "aws_sqs_queue", "aws_lambda_function",
    "aws_lambda_function_url", "aws_lambda_event_source_mapping", "aws_cloudtrail", "aws_iam_policy",
    "aws_iam_account_password_policy", "aws_kms_key",
})  # fmt: skip


def _name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "unnamed"


def read_aws(
    profile: str | None = None,
    region: str | None = None,
    state: Infrastructure | None = None,
    endpoint_url: str | None = None,
) -> Infrastructure:
    """The account's resources (in one region; IAM, S3 and CloudTrail as the region sees them)."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        session = boto3.Session(profile_name=profile, region_name=region)
    except BotoCoreError as error:
        raise AwsError(f"cannot start an AWS session: {error}") from None
    where = f"aws:{session.region_name or 'default region'}"
    infra = Infrastructure(source=where)
    known: dict[tuple[str, str], str] = {}  # (type, id) -> state address
    if state is not None:
        for resource in state.resources:
            for i in resource.ids:
                known.setdefault((resource.type, i), resource.address)
    reader = Reader(session, endpoint_url)
    taken: set[str] = set()
    try:
        for kind, name, values, ids in reader.all():
            ids = tuple(i for i in ids if i)
            address = next((known[(kind, i)] for i in ids if (kind, i) in known), None)
            if address is None:
                address = f"{kind}.{_name(name)}"
                if address in taken:
                    address = f"{kind}.{_name(name)}_{_name(ids[0] if ids else str(len(taken)))}"
            taken.add(address)
            arn = next((i for i in ids if i.startswith("arn:")), ids[0] if ids else address)
            infra.add(Resource(address, kind, values, Span.resource(f"{where} {arn}"), ids=ids))
    except (ClientError, BotoCoreError) as error:
        raise AwsError(f"AWS read failed: {error}") from None
    if state is not None:
        for resource in state.resources:
            if resource.type not in LIVE_TYPES and infra.resource(resource.address) is None:
                infra.add(copy.deepcopy(resource))
    infra.resolve_ids(REFERENCE_ATTRIBUTES)
    return infra
