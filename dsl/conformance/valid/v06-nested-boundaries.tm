# Nested trust boundaries with trust levels, kinds and control-plane facts.
team { ops "Ops" [sre, security_lead] }

boundary internet "Internet" { trust: untrusted, kind: internet, public: true }

boundary org "Organisation" {
  trust: medium
  kind: account
  description: "The AWS organisation"
  audit_log: true
  mfa: required
  owner: ops
  boundary prod "Production account" {
    trust: high
    kind: account
    cloud: aws
    icon: aws.account
    boundary vpc "VPC" {
      kind: vpc
      boundary public_subnet "Public subnet" { kind: subnet, trust: low }
      boundary private_subnet "Private subnet" {
        kind: subnet
        trust: full
        datastore vault "Card vault"
      }
    }
  }
  boundary sandbox "Sandbox account" { trust: low, mfa: optional, audit_log: false }
}

boundary partner "Partner" { trust: low, kind: partner, mfa: none }
boundary region "eu-west-1" { kind: region, trust: medium }
boundary dc "Data centre" { kind: datacenter, cloud: onprem
  boundary rack "Rack 12" { kind: host }
}
boundary laptops "Employee laptops" { kind: device, trust: low }
boundary gcp_proj "GCP project" { kind: project, cloud: gcp }
boundary azure_sub "Azure subscription" { kind: subscription, cloud: azure }
boundary cluster "EKS" { kind: cluster, cloud: k8s
  boundary ns "payments namespace" { kind: namespace }
}
boundary lan "Office LAN" { kind: network, cloud: generic }
boundary zone "DMZ" { kind: zone }
