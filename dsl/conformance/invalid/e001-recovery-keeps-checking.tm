# A syntax error loses one statement, or one item of a block (here the line `proces api "API"`:
# the rest of boundary `aws` is kept and checked); every other statement is still checked, and
# references to names written in the broken part (here `api`) are not reported.
model "Shop" { scope: "web", reviewd: 2026-01-01 }
team { ann "Ann" securty_lead }
data pw "Passwords" { classification: secrett, credentials: true }
boundary inet { trust: untrusted  actor user }
boundary aws { trust: high
  proces api "API"
  datastore db { stores: [pw, missing] }
}
user -> api "login" { data: [pw], protocl: https }
api -> dbb "q"
risk XYZ01 on api { status: accepted }
