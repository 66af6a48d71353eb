# pytm's own sample model (OWASP/pytm, tm.py: a web-based comment system), written in .tm.
# tests/threats/pytm_models/pytm_sample.py builds the same system with pytm objects; the
# fidelity test asserts both give the same (threat, element) pairs.
model "my test tm" {
  description: "A sample threat model of a very simple system - a web-based comment system."
}

data token "Token verifying user identity" { classification: secret }
data comments "Comments in HTML or Markdown" { classification: public }
data query "Insert query with comments" { classification: public }
data retrieved "Web server retrieves comments from DB" { classification: public }
data shown "Web server shows comments to the end user"
data clear_op "Serverless function clears DB" { classification: public }
data user_id_token "User ID Token" {
  description: "Some unique token that represents the user real data in the secret database"
  classification: top_secret
}

boundary internet "Internet" {
  trust: untrusted                 # tmdiag only: pytm has no trust levels (risk ranking reads it)
  actor user "User"
}

boundary server_db "Server/DB" {
  datastore db "SQL Database" { os: "CentOS", hardened: false, max_classification: restricted }
  datastore secret_db "Real Identity Database" {
    os: "CentOS", hardened: true, stores_pii: true, max_classification: top_secret
    source_files: ["pytm/pytm.py"]
  }
}

boundary vpc "AWS VPC" {
  lambda cleaner "AWS Lambda" { access_control: true }
}

server web "Web Server" {
  os: "Ubuntu", hardened: true, sanitizes_input: false, encodes_output: true, authorizes_source: false
  source_files: ["pytm/json.py", "docs/template.md"]
}

verify: db -> secret_db "Database verify real user identity" {
  protocol: "RDA-TCP", port: 40234, data: [token], max_classification: secret
  note: "Verifying that the user is who they say they are."
}
enter: user -> web "User enters comments (*)" {
  protocol: HTTP, port: 80, data: [comments]
  note: "This is a simple web app that stores and retrieves user comments."
} reply "Show comments (*)" { protocol: HTTP, data: [shown] }
insert: web -> db "Insert query with comments" { protocol: MySQL, port: 3306, data: [query] }
  reply "Retrieve comments" { protocol: MySQL, port: 80, data: [retrieved] }
clean: cleaner -> db "Serverless function periodically cleans DB" { protocol: MySQL, port: 3306, data: [clear_op] }
