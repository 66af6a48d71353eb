# Kubernetes shop: threat model for the storefront's microservices on a managed Kubernetes cluster.
# Namespaces are nested trust boundaries inside the cluster, which sits inside the cloud account.
import "std/k8s.tm"  # service-account tokens, a compromised-workload agent, Kubernetes threat rules

model "K8s shop" {
  description: "Storefront, cart, orders and payments as microservices on EKS, fronted by an NGINX ingress"
  scope: "From the shopper's browser and the payment provider's webhooks to the datastores; CI/CD and the mesh's own control plane are out of scope"
  version: "1.4"
  owner: priya
  reviewed: 2026-11-02
  review_every: 90d
  cloud: k8s
}

team {
  priya "Priya Raman"  security_lead
  tomas "Tomás Ortega" [architect, developer]
  mei   "Mei Chen"     developer
  kwame "Kwame Asante" sre
  lena  "Lena Vogt"    business_owner
  jonas "Jonas Berg"   privacy
}

# ---- data -------------------------------------------------------------------------------
data profile  "Customer profile"     { classification: sensitive, pii: true, impact: high }
data cart     "Shopping cart"        { classification: restricted }
data order    "Order"                { classification: restricted, pii: true, impact: medium }
data card_tok "Card token"           { classification: secret, description: "PSP token, never a PAN" }
data session  "Session JWT"          { classification: sensitive, credentials: true, lifetime: short }
data db_creds "Database credentials" { classification: secret, credentials: true, lifetime: auto }
data psp_key  "PSP API key"          { classification: secret, credentials: true, lifetime: manual }
data event    "Order event"          { classification: restricted, format: "JSON (CloudEvents)" }
data catalog  "Catalog"              { classification: public }

# ---- who attacks ------------------------------------------------------------------------
threat_agent bot "Credential-stuffing bot" {
  skill: medium, motive: financial, enters: [internet], targets: [storefront]
}
threat_agent tenant "Compromised pod" {
  skill: high, motive: financial, enters: [shop_ns]
  description: "An attacker with code execution in one pod, e.g. through a vulnerable dependency"
}
threat_agent operator "Careless operator" { skill: medium, motive: accident, enters: [cluster] }

# ---- where things run -------------------------------------------------------------------
boundary internet "Internet" {
  trust: untrusted
  kind: internet
  actor shopper "Shopper" { human: true }
  external psp "Payment provider" { description: "Hosted card fields and webhooks", protocol: https }
}

boundary account "AWS account shop-prod" {
  trust: high
  kind: account
  cloud: aws
  audit_log: true
  mfa: required
  owner: kwame

  boundary cluster "EKS cluster shop" {
    trust: medium
    kind: cluster
    cloud: k8s
    icon: k8s.cluster

    boundary ingress_ns "Namespace ingress-nginx" {
      kind: namespace
      trust: low
      process ingress "NGINX ingress controller" {
        icon: k8s.ing
        public: true
        ingress: ["0.0.0.0/0:443"]
        min_tls: 1.2
        validates_headers: true
        handles_resource_consumption: true
        owner: kwame
      }
    }

    boundary shop_ns "Namespace shop" {
      kind: namespace
      trust: medium
      process storefront "Storefront (Next.js)" {
        icon: k8s.deploy
        multiple: true
        client_side_scripting: true
        encodes_output: true
        csrf_token: true
        ingress: ["10.0.0.0/16:3000"]
        owner: mei
      }
      process cart_svc "Cart service" {
        icon: k8s.deploy
        implements_api: true
        validates_input: true
        ingress: ["10.0.0.0/16:8080"]
        owner: mei
      }
      process order_svc "Order service" {
        icon: k8s.deploy
        implements_api: true
        validates_input: true
        parameterized_input: true
        authorizes_source: true
        ingress: ["10.0.0.0/16:8080"]
        owner: tomas
      }
      datastore cart_cache "Cart cache (Redis)" {
        icon: k8s.sts
        kind: cache
        stores: [cart, session]
        ingress: ["10.0.0.0/16:6379"]
        encrypted_at_rest: true
      }
    }

    boundary pay_ns "Namespace payments" {
      kind: namespace
      trust: high
      description: "PCI scope: only payment-svc runs here; NetworkPolicy denies other ingress"
      process payment_svc "Payment service" {
        icon: k8s.deploy
        implements_api: true
        least_privilege: true
        hardened: true
        authenticates_source: true
        ingress: ["10.0.0.0/16:8443"]
        owner: tomas
      }
    }

    boundary data_ns "Namespace data" {
      kind: namespace
      trust: high
      datastore queue "Order events (RabbitMQ)" {
        icon: k8s.sts
        kind: queue
        stores: [event]
        ingress: ["10.0.0.0/16:5671"]
        encrypted_at_rest: true
      }
      process worker "Fulfilment worker" { icon: k8s.job, validates_input: true, owner: mei }
      datastore secrets "Kubernetes secrets (KMS-encrypted etcd)" {
        icon: k8s.secret
        kind: secrets
        stores: [db_creds, psp_key]
        encrypted_at_rest: true
        encryption_algorithm: "AES-256-GCM (KMS envelope)"
        access_control: true
      }
    }
  }

  boundary rds_subnet "Private DB subnets" {
    kind: subnet
    trust: high
    datastore orders_db "Orders DB (RDS PostgreSQL)" {
      icon: aws.rds
      kind: sql
      on_rds: true
      stores: [order, profile]
      encrypted_at_rest: true
      backup: true
      versioning: true
      ingress: ["10.0.32.0/20:5432"]
      owner: kwame
    }
  }
}

# ---- flows ------------------------------------------------------------------------------
# Browsing is anonymous until login; the storefront authenticates sessions itself.
# tmdiag: ignore[TM201] reason: anonymous browsing is the product; login and checkout need a session
browse: shopper -> ingress "HTTPS requests" {
  protocol: https, port: 443, tls: 1.3
  data: [session, cart, profile]
  encrypted: true
} reply "Pages and API responses" { protocol: https, data: [catalog, cart, order], encrypted: true }

# Inside the cluster every hop goes through the mesh: mTLS (STRICT) authenticates both pods.
ingress -> storefront "Route /" {
  protocol: https, port: 3000, data: [session, catalog], encrypted: true, authenticated: true, note: "mesh mTLS"
}
ingress -> cart_svc "Route /api/cart" {
  protocol: https, port: 8080, data: [session, cart], encrypted: true, authenticated: true
}
ingress -> order_svc "Route /api/orders" {
  protocol: https, port: 8080, data: [session, order], encrypted: true, authenticated: true
}

cart_svc -> cart_cache "Read and write carts" {
  protocol: redis, port: 6379, tls: 1.2, data: [cart, session], encrypted: true, authenticated: true
}

checkout: order_svc -> payment_svc "Authorise payment" {
  protocol: grpc, port: 8443, tls: 1.3
  data: [card_tok, order]
  encrypted: true, authenticated: true
} reply "Authorisation result" { protocol: grpc, encrypted: true }

pay: payment_svc -> psp "Charge card token" {
  protocol: https, port: 443, tls: 1.2
  data: [card_tok, psp_key]
  encrypted: true, authenticated: true
} reply "Charge result" { protocol: https, encrypted: true }

webhook: psp -> ingress "Payment webhook" {
  protocol: https, port: 443, tls: 1.2
  data: [order]
  encrypted: true, authenticated: true
  note: "HMAC-signed; the ingress routes /webhooks/psp to payment-svc"
}
ingress -> payment_svc "Route /webhooks/psp" {
  protocol: https, port: 8443, data: [order], encrypted: true, authenticated: true
}

order_svc -> orders_db "Store order" {
  protocol: postgres, port: 5432, tls: 1.2
  data: [order, profile]
  encrypted: true, authenticated: true
}
order_svc -> queue "Publish order event" {
  protocol: amqps, port: 5671, data: [event], encrypted: true, authenticated: true
}
queue -> worker "Consume order event" {
  protocol: amqps, port: 5671, data: [event], encrypted: true, authenticated: true
}
order_svc -> secrets   "Read DB credentials" { protocol: https, data: [db_creds], encrypted: true, authenticated: true }
payment_svc -> secrets "Read PSP key"        { protocol: https, data: [psp_key], encrypted: true, authenticated: true }

# ---- controls, decisions, assumptions ---------------------------------------------------
control netpol "Default-deny NetworkPolicies" {
  description: "Every namespace denies ingress except from the named pods and ports"
  on: [payment_svc, orders_db, queue, secrets]
  mitigates: [AC01]
  owner: kwame
  automated: true
}
control waf "AWS WAF in front of the load balancer" {
  on: [ingress], mitigates: [INP02], owner: kwame, automated: true
}
control rate_limit "Rate limits and bot detection at the ingress" {
  on: [ingress, browse], mitigates: [AA01], owner: kwame
}
control mtls "Service mesh mTLS (STRICT)" {
  kind: encryption_in_transit, on: [checkout, payment_svc, order_svc], owner: tomas, automated: true
}

risk INP02 on ingress { status: mitigated, owner: kwame, by: waf, ticket: "SHOP-311" }
risk DO01 on storefront {
  status: accepted, owner: lena, until: 2027-02-01
  justification: "Rate limits cover bots; a volumetric DDoS is absorbed by the CDN contract until Shield Advanced is bought in Q1"
  ticket: "SHOP-402"
}
risk AA01 on storefront {
  status: transferred, owner: lena, justification: "Identity is delegated to the corporate IdP under its SLA"
}
risk INP23 on worker { status: open, owner: mei, due: 2027-01-15, ticket: "SHOP-455" }

assume "The EKS control plane and the managed node AMIs are patched by AWS"
assume "Card numbers never reach the cluster: the provider's hosted fields tokenise them in the browser" {
  on: [payment_svc]
}
assume "Pods run as non-root with read-only root filesystems (enforced by admission policy)" {
  on: [storefront, cart_svc, order_svc, payment_svc, worker]
}
