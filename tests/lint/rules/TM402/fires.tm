# TM402 fires on each line marked `expect`
data invoice "Invoice" { classification: restricted }
data logo "Logo" { classification: public }
datastore bucket "Invoices bucket" {
  kind: s3
  public: true  # expect: TM402
  stores: [invoice, logo]
}
datastore db "DB" { ingress: ["0.0.0.0/0:5432"], stores: [invoice] }  # expect: TM402
boundary dmz "DMZ" {
  public: true
  datastore files "File share" { stores: [invoice] }  # expect: TM402
}
