# Imports: a project file (relative to this file), a nested import, a standard module, and a
# file imported twice (loaded once). Every imported id shares one namespace with this file's.
import "lib/shared.tm"
import "lib/more.tm"
import "std/aws.tm"

model "Imports" { description: "The entry file's header wins" }

boundary prod "Prod" { trust: high  process web "Web"  lambda job "Job" }
web -> job "Hand over" { data: [shared_token, more_data, aws_session], encrypted: true }
threat_agent local_thief { skill: low, motive: curiosity }
