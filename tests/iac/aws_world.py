"""The three-tier fixture built through the AWS APIs (against a moto server), and the Terraform state
that `terraform show -json` would give after applying it: addresses with the ids AWS gave."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from tests.iac.mutations import THREE_TIER
from tmdiag.iac import read
from tmdiag.iac.resources import Ref, is_unknown

REGION = "eu-west-1"
MFA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllWithoutMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:ChangePassword",
                "iam:CreateVirtualMFADevice",
                "iam:EnableMFADevice",
                "sts:GetSessionToken",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ],
}


def _ingress(
    group: str, port: int, cidrs: tuple[str, ...] = (), v6: tuple[str, ...] = (), groups: tuple[str, ...] = ()
) -> dict[str, Any]:
    return {
        "GroupId": group,
        "IpPermissions": [
            {
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "IpRanges": [{"CidrIp": c} for c in cidrs],
                "Ipv6Ranges": [{"CidrIpv6": c} for c in v6],
                "UserIdGroupPairs": [{"GroupId": g} for g in groups],
            }
        ],
    }


def build(client: Any, mutations: frozenset[str] = frozenset()) -> dict[str, dict[str, str]]:
    """Create the fixture's resources; return address -> the ids Terraform would record."""
    ids: dict[str, dict[str, str]] = {}
    ec2 = client("ec2")
    tag = lambda kind, name: [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]  # noqa: E731
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=tag("vpc", "prod-vpc"))["Vpc"]["VpcId"]
    ids["module.network.aws_vpc.main"] = {"id": vpc}
    subnets: dict[str, list[str]] = {"public": [], "private": []}
    for n, zone in enumerate(("eu-west-1a", "eu-west-1b")):
        for kind, offset in (("public", 0), ("private", 10)):
            subnet = ec2.create_subnet(
                VpcId=vpc,
                CidrBlock=f"10.20.{n + offset}.0/24",
                AvailabilityZone=zone,
                TagSpecifications=tag("subnet", f"prod-{kind}-{n}"),
            )["Subnet"]["SubnetId"]
            if kind == "public":
                ec2.modify_subnet_attribute(SubnetId=subnet, MapPublicIpOnLaunch={"Value": True})
            subnets[kind].append(subnet)
            ids[f"module.network.aws_subnet.{kind}[{n}]"] = {"id": subnet}
    groups = {}
    for name in ("alb", "app", "db", "bastion"):
        groups[name] = ec2.create_security_group(GroupName=f"prod-{name}", Description=name, VpcId=vpc)["GroupId"]
        ids[f"aws_security_group.{name}"] = {"id": groups[name]}
    ec2.authorize_security_group_ingress(**_ingress(groups["alb"], 443, ("0.0.0.0/0",), ("::/0",)))
    ec2.authorize_security_group_ingress(**_ingress(groups["alb"], 80, ("0.0.0.0/0",)))
    ec2.authorize_security_group_ingress(**_ingress(groups["app"], 8080, groups=(groups["alb"],)))
    ec2.authorize_security_group_ingress(**_ingress(groups["db"], 5432, groups=(groups["app"], groups["bastion"])))
    ssh = "0.0.0.0/0" if "open-ssh-to-the-world" in mutations else "203.0.113.0/24"
    ec2.authorize_security_group_ingress(**_ingress(groups["bastion"], 22, (ssh,)))
    instance = ec2.run_instances(
        ImageId="ami-0c1bc246476a5572b",
        InstanceType="t3.micro",
        MinCount=1,
        MaxCount=1,
        NetworkInterfaces=[
            {
                "DeviceIndex": 0,
                "SubnetId": subnets["public"][0],
                "Groups": [groups["bastion"]],
                "AssociatePublicIpAddress": True,
            }
        ],
        BlockDeviceMappings=[{"DeviceName": "/dev/sda1", "Ebs": {"VolumeSize": 8, "Encrypted": True}}],
        TagSpecifications=tag("instance", "prod-bastion"),
    )["Instances"][0]["InstanceId"]
    ids["aws_instance.bastion"] = {"id": instance}

    certificate = client("acm").request_certificate(DomainName="shop.example.com")["CertificateArn"]
    elb = client("elbv2")
    balancer = elb.create_load_balancer(
        Name="prod-web",
        Subnets=subnets["public"],
        SecurityGroups=[groups["alb"]],
        Scheme="internet-facing",
        Type="application",
    )["LoadBalancers"][0]["LoadBalancerArn"]
    target = elb.create_target_group(Name="prod-app", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")[
        "TargetGroups"
    ][0]["TargetGroupArn"]
    https = elb.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": target}],
    )["Listeners"][0]["ListenerArn"]
    http = elb.create_listener(
        LoadBalancerArn=balancer,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[
            {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}
        ],
    )["Listeners"][0]["ListenerArn"]
    ids.update(
        {
            "aws_lb.web": {"id": balancer, "arn": balancer},
            "aws_lb_target_group.app": {"id": target, "arn": target},
            "aws_lb_listener.https": {"id": https, "arn": https},
            "aws_lb_listener.http": {"id": http, "arn": http},
        }
    )

    ecs = client("ecs")
    cluster = ecs.create_cluster(clusterName="prod-shop")["cluster"]["clusterArn"]
    task = ecs.register_task_definition(
        family="prod-shop",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="512",
        memory="1024",
        containerDefinitions=[
            {"name": "app", "image": "registry.example.com/shop:1.42.0", "portMappings": [{"containerPort": 8080}]}
        ],
    )["taskDefinition"]["taskDefinitionArn"]
    service = ecs.create_service(
        cluster=cluster,
        serviceName="prod-shop",
        taskDefinition=task,
        desiredCount=2,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": subnets["private"],
                "securityGroups": [groups["app"]],
                "assignPublicIp": "DISABLED",
            }
        },
        loadBalancers=[{"targetGroupArn": target, "containerName": "app", "containerPort": 8080}],
    )["service"]["serviceArn"]
    ids.update(
        {
            "aws_ecs_cluster.main": {"id": cluster, "arn": cluster},
            "aws_ecs_service.app": {"id": service},
            "aws_ecs_task_definition.app": {"id": "prod-shop", "arn": task},
        }
    )

    rds = client("rds")
    rds.create_db_subnet_group(
        DBSubnetGroupName="prod-orders", DBSubnetGroupDescription="orders", SubnetIds=subnets["private"]
    )
    db = rds.create_db_instance(
        DBInstanceIdentifier="prod-orders",
        Engine="postgres",
        DBInstanceClass="db.t4g.medium",
        AllocatedStorage=50,
        MasterUsername="shop",
        MasterUserPassword="not-a-real-password-1",
        DBSubnetGroupName="prod-orders",
        VpcSecurityGroupIds=[groups["db"]],
        PubliclyAccessible=False,
        BackupRetentionPeriod=7,
        StorageEncrypted="drop-encryption" not in mutations,
    )["DBInstance"]
    ids["aws_db_instance.orders"] = {
        "id": db.get("DbiResourceId", "db-orders"),
        "arn": db["DBInstanceArn"],
        "identifier": "prod-orders",
    }
    ids["aws_db_subnet_group.orders"] = {"id": "prod-orders", "name": "prod-orders"}

    s3 = client("s3")
    where = {"LocationConstraint": REGION}
    for name, bucket in (("assets", "prod-shop-assets"), ("trail", "prod-shop-cloudtrail")):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration=where)
        public = name == "assets" and "make-the-bucket-public" in mutations
        s3.put_public_access_block(
            Bucket=bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": not public,
                "RestrictPublicBuckets": not public,
            },
        )
        ids[f"aws_s3_bucket.{name}"] = {"id": bucket, "bucket": bucket, "arn": f"arn:aws:s3:::{bucket}"}
        ids[f"aws_s3_bucket_public_access_block.{name}"] = {"id": bucket, "bucket": bucket}
        if public:
            s3.put_bucket_policy(
                Bucket=bucket,
                Policy=json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": "*",
                                "Action": "s3:GetObject",
                                "Resource": f"arn:aws:s3:::{bucket}/*",
                            }
                        ],
                    }
                ),
            )
    s3.put_bucket_versioning(Bucket="prod-shop-assets", VersioningConfiguration={"Status": "Enabled"})
    ids["aws_s3_bucket_versioning.assets"] = {"id": "prod-shop-assets", "bucket": "prod-shop-assets"}
    s3.put_bucket_policy(
        Bucket="prod-shop-cloudtrail",
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudTrailWrite",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": "arn:aws:s3:::prod-shop-cloudtrail/AWSLogs/*",
                    }
                ],
            }
        ),
    )
    ids["aws_s3_bucket_policy.trail"] = {"id": "prod-shop-cloudtrail", "bucket": "prod-shop-cloudtrail"}

    queue = client("sqs").create_queue(QueueName="prod-orders", Attributes={"SqsManagedSseEnabled": "true"})["QueueUrl"]
    queue_arn = client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    ids["aws_sqs_queue.orders"] = {"id": queue, "arn": queue_arn}
    iam = client("iam")
    role = iam.create_role(
        RoleName="prod-mailer",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    ids["aws_iam_role.mailer"] = {"id": "prod-mailer", "arn": role}
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("mailer.py", "def handler(event, context):\n    return None\n")
    function = client("lambda").create_function(
        FunctionName="prod-order-mailer",
        Runtime="python3.12",
        Role=role,
        Handler="mailer.handler",
        Code={"ZipFile": code.getvalue()},
    )["FunctionArn"]
    ids["aws_lambda_function.mailer"] = {
        "id": "prod-order-mailer",
        "function_name": "prod-order-mailer",
        "arn": function,
    }
    mapping = client("lambda").create_event_source_mapping(
        EventSourceArn=queue_arn, FunctionName=function, BatchSize=10
    )
    ids["aws_lambda_event_source_mapping.orders"] = {"id": mapping["UUID"]}

    trail = client("cloudtrail").create_trail(
        Name="prod-trail", S3BucketName="prod-shop-cloudtrail", IsMultiRegionTrail=True, EnableLogFileValidation=True
    )["TrailARN"]
    if "disable-the-trail" not in mutations:
        client("cloudtrail").start_logging(Name=trail)
    ids["aws_cloudtrail.main"] = {"id": "prod-trail", "arn": trail, "name": "prod-trail"}
    policy = iam.create_policy(PolicyName="require-mfa", PolicyDocument=json.dumps(MFA_POLICY))["Policy"]["Arn"]
    ids["aws_iam_policy.require_mfa"] = {"id": policy, "arn": policy}
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
    )
    ids["aws_iam_account_password_policy.strict"] = {"id": "iam-account-password-policy"}
    iam.create_group(GroupName="engineers")
    iam.attach_group_policy(GroupName="engineers", PolicyArn=policy)
    ids["aws_iam_group.engineers"] = {"id": "engineers", "name": "engineers"}
    key = client("kms").create_key(Description="Orders data: RDS, S3, CloudTrail")["KeyMetadata"]
    client("kms").enable_key_rotation(KeyId=key["KeyId"])
    ids["aws_kms_key.data"] = {"id": key["KeyId"], "arn": key["Arn"]}
    return ids


def state(ids: dict[str, dict[str, str]]) -> dict[str, Any]:
    """The state after apply, as `terraform show -json` prints it: every resource of the fixture with
    its values, references replaced by the ids of what they reference."""
    infra = read(THREE_TIER)

    def id_of(address: str) -> Any:
        if address in ids:
            return ids[address]["id"]
        found = [v["id"] for k, v in ids.items() if k.startswith(address + "[")]
        return found or f"{address}-id"

    def value(v: Any) -> Any:
        if isinstance(v, Ref):
            return id_of(v.address)
        if is_unknown(v):
            return None
        if isinstance(v, list):
            flat: list[Any] = []
            for item in (value(i) for i in v):
                flat.extend(item if isinstance(item, list) and not isinstance(v[0], (list, dict)) else [item])
            return flat
        if isinstance(v, dict):
            return {k: value(i) for k, i in v.items()}
        return v

    root: dict[str, Any] = {"resources": []}
    modules: dict[str, dict[str, Any]] = {}
    for resource in infra.resources:
        values = {**{k: value(v) for k, v in resource.values.items()}, "id": f"{resource.address}-id"}
        values.update(ids.get(resource.address, {}))
        entry: dict[str, Any] = {
            "address": resource.address,
            "mode": "managed",
            "type": resource.type,
            "name": resource.base.rsplit(".", 1)[1],
            "values": values,
        }
        if resource.address != resource.base:
            entry["index"] = json.loads(resource.address[len(resource.base) + 1 : -1])
        target = (
            modules.setdefault(resource.module, {"address": resource.module, "resources": []})
            if resource.module
            else root
        )
        target["resources"].append(entry)
    if modules:
        root["child_modules"] = list(modules.values())
    return {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": root}}
