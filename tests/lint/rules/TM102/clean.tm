# TM102 stays quiet here
model "Shop" { scope: "Web shop" }
team {
  alice "Alice Ng" security_lead
  bob "Bob Li" architect
  carol "Carol Diaz" devops
  dan "Dan Ross" product_owner
}
