# Imported by v13-imports.tm: shared data and a threat agent.
data shared_token "Shared token" { classification: sensitive, credentials: true, lifetime: short }
threat_agent shared_thief "Token thief" { skill: medium, motive: financial }
import "more.tm"   # imports resolve relative to the importing file
