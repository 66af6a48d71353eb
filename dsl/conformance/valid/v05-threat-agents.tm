# Threat agents: skill, motive, where they enter and what they target.
boundary internet "Internet" { trust: untrusted  actor visitor "Visitor" }
boundary corp "Corporate network" {
  trust: medium
  process wiki "Wiki"
}

threat_agent fraudster "Card fraudster" { skill: medium, motive: financial, enters: [internet] }
threat_agent insider "Disgruntled admin" {
  description: "Has VPN access and a grudge"
  skill: high
  motive: revenge
  enters: corp
  targets: [wiki]
}
threat_agent apt "State actor" { skill: expert, motive: espionage, enters: [internet, corp] }
threat_agent kid "Script kiddie" { skill: low, motive: curiosity }
threat_agent activist { motive: ideology }
threat_agent crook { motive: fraud }
threat_agent vandal { motive: disruption }
threat_agent clumsy "Careless operator" { motive: accident }
