# Data assets with every classification and credential lifetime.
data catalog  "Product catalog" { classification: public, format: "JSON" }
data order    "Order"           { classification: restricted, pii: true, impact: medium }
data session  "Session token"   { classification: sensitive, credentials: true, lifetime: short }
data card     "Card number"     { classification: secret, pii: true, encrypted_at_rest: true, impact: critical }
data hsm_key  "HSM master key"  { classification: top_secret, credentials: true, lifetime: manual }
data note     "Support note"    # no block: classification defaults to unknown
data api_key  "Partner API key" {
  description: "Issued by the partner; rotated by hand"
  classification: secret
  credentials: true
  lifetime: long
}
data build_token "CI token" { classification: sensitive, credentials: true, lifetime: auto }
data legacy_pw "Legacy password" { classification: secret, credentials: true, lifetime: hardcoded }
data nothing "Unknown" { classification: unknown, lifetime: unknown }
data free "Free text" { lifetime: none }
