# std/k8s.tm: shared definitions for systems on Kubernetes.
# Import with `import "std/k8s.tm"`. Declares data, threat agents and custom threat rules only:
# nothing here is drawn or reported unless your model uses it.

data k8s_sa_token "Service account token" {
  description: "A Kubernetes service account token mounted into a pod"
  classification: secret
  credentials: true
  lifetime: long
}

threat_agent compromised_pod "Compromised workload" {
  description: "Code running in a pod after a supply-chain or RCE compromise; moves laterally inside the cluster"
  skill: high
  motive: financial
}

rule K8S001 "Sensitive cluster-internal traffic in clear text" {
  description: "A flow inside the cluster carries sensitive data without encryption: any compromised pod on the node network can read it."
  severity: high
  likelihood: medium
  targets: [flow]
  when: not encrypted and not crosses boundary and data.classification >= sensitive
  mitigations: "Encrypt in-cluster traffic with a service mesh (mTLS) or TLS between services."
  references: "https://kubernetes.io/docs/concepts/security/"
}

rule K8S002 "Administrative endpoint exposed publicly" {
  description: "An element offers administrative access and is reachable from the internet (a dashboard, the API server, a debug port)."
  severity: very_high
  likelihood: high
  targets: [process, server, lambda, agent]
  when: admin and public
  mitigations: "Keep the API server and dashboards private; use an authenticated bastion or kubectl through a VPN."
  references: "https://kubernetes.io/docs/concepts/security/api-server-bypass-risks/"
}

rule K8S003 "Long-lived or hard-coded credential on the wire" {
  description: "A flow carries credentials that do not expire: a stolen token works until someone notices."
  severity: high
  likelihood: medium
  targets: [flow]
  when: data.credentials and data.lifetime in [long, hardcoded, manual]
  mitigations: "Use projected, short-lived service account tokens and workload identity."
  references: "https://kubernetes.io/docs/concepts/security/service-accounts/"
}
