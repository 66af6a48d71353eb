# Three-tier shop on AWS: the model kept next to its Terraform (infra/). It began as
# `tmdiag import terraform infra -o model.tm`; the team, the data, what each flow carries and the
# authentication the infrastructure cannot show were added in review. Every element links the
# resources it stands for (`iac`), so `tmdiag check --against infra/ model.tm` reports drift.

model "Shop (three-tier)" {
  description: "The web shop: a load balancer, an ECS service, an RDS database, S3 and an order mailer"
  scope: "AWS resources in infra/ (one account, one VPC); the payment provider is out of scope"
  owner: alice
  reviewed: 2026-11-15
  review_every: 90d
  cloud: aws
}

team {
  alice "Alice Ng"   security_lead
  bob   "Bob Li"     developer
  carol "Carol Diaz" sre
  dan   "Dan Ross"   product_owner
}

data order   "Order"          { classification: restricted, pii: true }
data session "Session token"  { classification: sensitive, credentials: true, lifetime: short }
data image   "Product image"  { classification: public }
data trail   "Audit trail"    { classification: restricted }
data db_cred "DB credentials" { classification: secret, credentials: true, lifetime: manual }

boundary internet "Internet" {
  trust: untrusted
  kind: internet
  actor admins "Admins (office range 203.0.113.0/24)"
  actor users  "Customers"
}

boundary aws "AWS account prod" {
  trust: high
  kind: account
  cloud: aws
  audit_log: true
  mfa: required
  iac: ["aws_cloudtrail.main", "aws_iam_account_password_policy.strict", "aws_iam_policy.require_mfa", "aws_kms_key.data"]
  lambda mailer "Order mailer" {
    icon: aws.lambda
    environment: "python3.12"
    iac: ["aws_lambda_function.mailer"]
  }
  datastore assets "Product images (S3)" {
    icon: aws.s3
    kind: s3
    encrypted_at_rest: true
    versioning: true
    stores: [image]
    iac: ["aws_s3_bucket.assets", "aws_s3_bucket_public_access_block.assets", "aws_s3_bucket_server_side_encryption_configuration.assets", "aws_s3_bucket_versioning.assets"]
  }
  # tmdiag: ignore[TM208] reason: written by CloudTrail itself, read only by auditors through the console
  datastore trail_bucket "CloudTrail logs (S3)" {
    icon: aws.s3
    kind: s3
    encrypted_at_rest: true
    stores: [trail]
    iac: ["aws_s3_bucket.trail", "aws_s3_bucket_public_access_block.trail", "aws_s3_bucket_policy.trail"]
  }
  datastore orders_queue "Order queue (SQS)" {
    icon: aws.sqs
    kind: queue
    encrypted_at_rest: true
    iac: ["aws_sqs_queue.orders"]
  }
  boundary main "VPC" {
    kind: vpc
    trust: medium
    iac: ["module.network.aws_vpc.main"]
    boundary private "Private subnets" {
      kind: subnet
      trust: medium
      iac: ["module.network.aws_subnet.private"]
      datastore orders "Orders database (RDS)" {
        icon: aws.rds
        kind: sql
        on_rds: true
        encrypted_at_rest: true
        backup: true
        stores: [order, db_cred]
        iac: ["aws_db_instance.orders", "aws_security_group.db", "aws_security_group_rule.db_from_app", "aws_security_group_rule.db_from_bastion"]
      }
      process app "Shop service (ECS)" {
        icon: aws.ecs
        multiple: true
        sanitizes_input: true
        iac: ["aws_ecs_service.app", "aws_security_group.app"]
      }
    }
    # the public subnets give instances a public IP (`map_public_ip_on_launch`)
    boundary public "Public subnets" {
      kind: subnet
      trust: low
      iac: ["module.network.aws_subnet.public"]
      server bastion "Bastion" {
        icon: aws.ec2
        ingress: ["203.0.113.0/24:22"]
        public: true
        admin: true
        uses_mfa: true
        encrypted_at_rest: true
        iac: ["aws_instance.bastion", "aws_security_group.bastion", "aws_security_group_rule.bastion_ssh"]
      }
      process web "Load balancer" {
        icon: aws.elb
        ingress: ["0.0.0.0/0:443", "::/0:443", "0.0.0.0/0:80"]
        public: true
        min_tls: 1.2
        iac: ["aws_lb.web", "aws_lb_listener.https", "aws_lb_listener.http", "aws_security_group.alb"]
      }
    }
  }
}

admins -> bastion "SSH 22" { protocol: ssh, port: 22, encrypted: true, authenticated: true, admin: true, uses_mfa: true }
users -> web "HTTPS 443" {
  protocol: https, port: 443, tls: 1.2, encrypted: true, authenticated: true, data: [order, session]
}
# tmdiag: ignore[TM202, TM203] reason: TLS ends at the load balancer; the hop to the tasks stays in the VPC (OPS-77 adds TLS)
web -> app "HTTP 8080" { protocol: http, port: 8080, authenticated: true, data: [order, session] }
app -> orders "PostgreSQL 5432" {
  protocol: postgres, port: 5432, tls: 1.2, encrypted: true, authenticated: true, data: [order]
}
bastion -> orders "PostgreSQL 5432" {
  protocol: postgres, port: 5432, tls: 1.2, encrypted: true, authenticated: true, admin: true, data: [order]
}
app -> assets "S3 API" { protocol: https, port: 443, tls: 1.2, encrypted: true, authenticated: true, data: [image] }
app -> orders_queue "SQS API" {
  protocol: https, port: 443, tls: 1.2, encrypted: true, authenticated: true, data: [order]
}
orders_queue -> mailer "AWS API" { protocol: aws, tls: 1.2, encrypted: true, authenticated: true, data: [order] }

# Read, not drawn (they shape the elements above, or are plumbing):
#   aws_db_subnet_group.orders, aws_ecs_cluster.main, aws_ecs_task_definition.app, aws_iam_group.engineers,
#   aws_iam_group_policy_attachment.engineers_mfa, aws_iam_role.mailer, aws_kms_alias.data,
#   aws_lambda_event_source_mapping.orders (the flow orders_queue -> mailer), aws_lb_target_group.app,
#   module.network: aws_eip.nat, aws_internet_gateway.main, aws_nat_gateway.main, route tables
