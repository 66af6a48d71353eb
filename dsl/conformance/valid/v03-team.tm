# Team members: id, optional name, one role or a list of roles, optional attributes.
team {
  alice "Alice Ng"   security_lead
  bob   "Bob Li"     [developer, architect]
  carol              sre { email: "carol@example.com", description: "Runs the on-call rota" }
  dan   "Dan Ross"   business_owner
  erin  "Erin Park"  [privacy, legal, compliance,]
  fay   "Fay Oduya"  qa
  gus   "Gus Marr"   [devops, operations, product_owner, data_owner, security]
}
