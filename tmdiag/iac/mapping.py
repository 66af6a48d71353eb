"""THE mapping from Terraform resource types to the model: one row per type (docs/iac.md shows it).

Roles:
  element   drawn as an element of `kind` (`server`, `process`, `lambda`, `datastore`)
  boundary  drawn as a trust boundary of `kind` (`vpc`, `subnet`), nested by `inside`
  part      belongs to the resource its `part_of` attribute references (listeners, bucket settings,
            security group rules, function URLs): its facts count for that resource
  group     a security group: its ingress rules count for the resources that list it in `groups`
  account   a control-plane resource of the account (CloudTrail, IAM MFA policy, KMS): linked from the
            account boundary
  flow      a connection: `flow` names the attributes of its source and its destination
  support   read, not drawn (routes, gateways, clusters, roles); the draft lists them

Attribute paths are dotted (`network_configuration.*.subnets`: every block); `a>b` follows the
reference in `a` and reads `b` there. A fact is read by `FACT_READERS` in tmdiag/iac/facts.py:
`attr` (a boolean attribute; `attr|true` gives its default), `!attr` (negated), `attr=VALUE`,
`attr>0`, `=true` (always), `@name` (a named reader).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ROLES = ("element", "boundary", "part", "group", "account", "flow", "support")


@dataclass(frozen=True)
class Row:
    type: str
    role: str
    noun: str  # what it is, in words (labels, docs)
    kind: str = ""  # element kind or boundary kind
    icon: str | None = None
    inside: tuple[str, ...] = ()  # references to the subnet or VPC it sits in
    groups: tuple[str, ...] = ()  # references to its security groups
    part_of: tuple[str, ...] = ()  # role part: the resource it belongs to
    facts: tuple[tuple[str, str], ...] = ()  # (fact, reader)
    draft: tuple[tuple[str, str], ...] = ()  # fixed attributes of the drafted element, as .tm text
    targets: tuple[str, ...] = ()  # target groups it serves behind a load balancer
    flow: tuple[str, str] = ("", "")  # role flow: (source attribute, destination attribute)
    label: tuple[str, ...] = ("tags.Name", "name")  # the first known value names it
    absent: str = ""  # role part: what applies to its resource without it (said when a link to it is broken)


_LB = Row(
    "aws_lb", "element", "load balancer", "process", "aws.elb",
    inside=("subnets", "subnet_mapping.*.subnet_id"), groups=("security_groups",),
    facts=(("public", "!internal|false"),),
)  # fmt: skip
_RDS_IN, _RDS_GROUPS, _RDS_DRAFT = (
    ("db_subnet_group_name>subnet_ids",),
    ("vpc_security_group_ids",),
    (("kind", "sql"), ("on_rds", "true")),
)

# fmt: off
ROWS: tuple[Row, ...] = (
    # compute
    Row("aws_instance", "element", "EC2 instance", "server", "aws.ec2", inside=("subnet_id",),
        groups=("vpc_security_group_ids", "security_groups"),
        facts=(("public", "@public_ip"), ("encrypted_at_rest", "root_block_device.0.encrypted|false"))),
    Row("aws_ecs_service", "element", "ECS service", "process", "aws.ecs",
        inside=("network_configuration.*.subnets",), groups=("network_configuration.*.security_groups",),
        facts=(("public", "network_configuration.0.assign_public_ip|false"),), draft=(("multiple", "true"),),
        targets=("load_balancer.*.target_group_arn",)),
    Row("aws_lambda_function", "element", "Lambda function", "lambda", "aws.lambda",
        inside=("vpc_config.*.subnet_ids",), groups=("vpc_config.*.security_group_ids",),
        facts=(("environment", "@runtime"),), label=("function_name",)),
    _LB,
    replace(_LB, type="aws_alb"),
    # data
    Row("aws_db_instance", "element", "RDS database", "datastore", "aws.rds", _RDS_IN, _RDS_GROUPS, draft=_RDS_DRAFT,
        facts=(("public", "publicly_accessible|false"), ("encrypted_at_rest", "storage_encrypted|false"),
               ("backup", "backup_retention_period>0")), label=("identifier", "db_name")),
    Row("aws_rds_cluster", "element", "Aurora cluster", "datastore", "aws.rds", _RDS_IN, _RDS_GROUPS, draft=_RDS_DRAFT,
        facts=(("encrypted_at_rest", "storage_encrypted|false"), ("backup", "backup_retention_period>0")),
        label=("cluster_identifier",)),
    Row("aws_dynamodb_table", "element", "DynamoDB table", "datastore", "aws.dynamodb",
        facts=(("encrypted_at_rest", "=true"), ("backup", "point_in_time_recovery.0.enabled|false")),
        draft=(("kind", "nosql"),)),
    Row("aws_elasticache_replication_group", "element", "ElastiCache cluster", "datastore", "aws.elasticache",
        inside=("subnet_group_name>subnet_ids",), groups=("security_group_ids",),
        facts=(("encrypted_at_rest", "at_rest_encryption_enabled|false"),), draft=(("kind", "cache"),),
        label=("replication_group_id",)),
    Row("aws_s3_bucket", "element", "S3 bucket", "datastore", "aws.s3",
        facts=(("public", "@bucket_public"), ("encrypted_at_rest", "=true")), draft=(("kind", "s3"),),
        label=("bucket",)),
    Row("aws_sqs_queue", "element", "SQS queue", "datastore", "aws.sqs",
        facts=(("encrypted_at_rest", "@sqs_encrypted"),), draft=(("kind", "queue"),)),
    Row("aws_sns_topic", "element", "SNS topic", "datastore", "aws.sns",
        facts=(("encrypted_at_rest", "@has:kms_master_key_id"),), draft=(("kind", "queue"),)),
    # parts of the above
    Row("aws_lb_listener", "part", "load balancer listener", part_of=("load_balancer_arn",),
        facts=(("min_tls", "@listener_tls"),)),
    Row("aws_alb_listener", "part", "load balancer listener", part_of=("load_balancer_arn",),
        facts=(("min_tls", "@listener_tls"),)),
    Row("aws_lambda_function_url", "part", "Lambda function URL", part_of=("function_name",),
        facts=(("public", "authorization_type=NONE"),)),
    Row("aws_s3_bucket_public_access_block", "part", "S3 public access block", part_of=("bucket",),
        absent="the bucket's policy and ACL alone decide whether it is public (TM703 compares that)"),
    Row("aws_s3_bucket_policy", "part", "S3 bucket policy", part_of=("bucket",)),
    Row("aws_s3_bucket_acl", "part", "S3 bucket ACL", part_of=("bucket",)),
    Row("aws_s3_bucket_server_side_encryption_configuration", "part", "S3 bucket encryption", part_of=("bucket",),
        absent="S3 still encrypts new objects with S3-managed keys (SSE-S3, the default since 2023), so "
        "`encrypted_at_rest` holds; objects are no longer encrypted with the KMS key it named"),
    Row("aws_s3_bucket_versioning", "part", "S3 bucket versioning", part_of=("bucket",),
        facts=(("versioning", "versioning_configuration.0.status=Enabled"),)),
    Row("aws_security_group", "group", "security group"),
    Row("aws_security_group_rule", "part", "security group rule", part_of=("security_group_id",)),
    Row("aws_vpc_security_group_ingress_rule", "part", "security group ingress rule", part_of=("security_group_id",)),
    # network boundaries
    Row("aws_vpc", "boundary", "VPC", "vpc"),
    Row("aws_subnet", "boundary", "subnet", "subnet", inside=("vpc_id",),
        facts=(("public", "map_public_ip_on_launch|false"),)),
    # account control plane
    Row("aws_cloudtrail", "account", "CloudTrail trail", facts=(("audit_log", "@trail_logging"),)),
    Row("aws_iam_policy", "account", "IAM policy", facts=(("mfa", "@mfa_policy"),)),
    Row("aws_iam_group_policy", "account", "IAM group policy", facts=(("mfa", "@mfa_policy"),)),
    Row("aws_iam_user_policy", "account", "IAM user policy", facts=(("mfa", "@mfa_policy"),)),
    Row("aws_iam_account_password_policy", "account", "IAM password policy",
        facts=(("password_policy", "=true"),), label=()),
    Row("aws_kms_key", "account", "KMS key", facts=(("key_rotation", "enable_key_rotation|false"),),
        label=("description",)),
    # connections
    Row("aws_lambda_event_source_mapping", "flow", "Lambda event source", flow=("event_source_arn", "function_name")),
    Row("aws_lb_target_group_attachment", "flow", "target group attachment",
        flow=("target_group_arn", "target_id")),
    # read, not drawn
    *(Row(t, "support", noun) for t, noun in (
        ("aws_internet_gateway", "internet gateway"), ("aws_nat_gateway", "NAT gateway"), ("aws_eip", "Elastic IP"),
        ("aws_route_table", "route table"), ("aws_route_table_association", "route table association"),
        ("aws_route", "route"), ("aws_db_subnet_group", "DB subnet group"),
        ("aws_elasticache_subnet_group", "ElastiCache subnet group"), ("aws_ecs_cluster", "ECS cluster"),
        ("aws_ecs_task_definition", "ECS task definition"), ("aws_lb_target_group", "target group"),
        ("aws_alb_target_group", "target group"), ("aws_iam_role", "IAM role"),
        ("aws_iam_role_policy_attachment", "IAM role policy attachment"), ("aws_iam_role_policy", "IAM role policy"),
        ("aws_iam_group", "IAM group"), ("aws_iam_group_policy_attachment", "IAM group policy attachment"),
        ("aws_iam_user", "IAM user"), ("aws_kms_alias", "KMS alias"), ("aws_cloudwatch_log_group", "log group"),
        ("aws_lambda_permission", "Lambda permission"), ("aws_acm_certificate", "ACM certificate"),
    )),
)
# fmt: on

BY_TYPE: dict[str, Row] = {row.type: row for row in ROWS}
# Attributes that hold references to other resources: literal ids there (plans, state, AWS) become `Ref`s.
REFERENCE_ATTRIBUTES = frozenset(
    hop.split(".")[-1]
    for row in ROWS
    for path in (*row.inside, *row.groups, *row.part_of, *row.targets, *row.flow)
    for hop in path.split(">")
    if hop
) | frozenset({"security_groups", "source_security_group_id", "referenced_security_group_id", "target_group_arn",
               "vpc_id", "kms_key_id", "kms_master_key_id", "s3_bucket_name", "subnet_id"})  # fmt: skip


def row(resource_type: str) -> Row | None:
    return BY_TYPE.get(resource_type)
