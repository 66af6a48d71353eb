# Labels that try to break out of HTML and Markdown: the report must show them as text.
model "<script>window.__pwned = 1</script> Hostile | *model*" {
  description: "\"><img src=x onerror=\"window.__pwned=2\"> and [a link](javascript:alert(1)) and `code` and <b>bold</b>"
  scope: "| pipe | in a table | ![img](http://example.invalid/x.png) & &amp; $x$ ~~strike~~ # heading"
  version: "1.0 <i>"
  reviewed: 2026-01-01
  review_every: 30d
}

team {
  mallory "Mallory <svg onload=window.__pwned=3>" security_lead
}

data secret "Secret | *data* <img src=x onerror=window.__pwned=4>" { classification: secret, pii: true }

boundary net "Net \"><script>window.__pwned=5</script>" {
  trust: untrusted
  actor user "User [click](http://example.invalid) _under_"
}

boundary inside "Inside </table><script>window.__pwned=6</script>" {
  trust: high
  process app "App \"onmouseover=\"window.__pwned=7\" x=\"" { description: "- list item\n# heading\n1. numbered", owner: mallory }
  datastore store "Store `rm -rf /` **bold**" { stores: [secret], encrypted_at_rest: false }
}

user -> app "Send <iframe src=http://example.invalid>" { protocol: "https<script>", data: [secret] }
app -> store "Write | table | breaker" { protocol: sql, data: [secret] }

assume "Nothing <script>window.__pwned=8</script> happens" { on: [app] }
