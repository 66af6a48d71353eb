model "Trojan Source" { scope: "Bidi controls in labels, attributes and comments" }
team {
  alice "Alice‮" security_lead  # expect: TM801
  bob "Bob" developer
}
process web "Web ⁧admin⁩" { description: "ok" }  # expect: TM801 TM801
# a comment that hides code ⁦ } ⁩ from a reviewer  # expect: TM801 TM801
actor user "User" { description: "mark ‏ and embedding ‫" }  # expect: TM801 TM801
