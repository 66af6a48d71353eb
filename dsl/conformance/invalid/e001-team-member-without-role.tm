team {
  alice "Alice Ng" security_lead
  bob "Bob Li"
}
