# One namespace for every id: data, boundaries, elements, members, controls, named flows.
team { web "Web team" developer }
data web "Web data" { classification: public }
boundary prod "Prod" {
  process web "Web"
  process api "API"
}
boundary prod "Prod again"
login: api -> api "Self call"
login: api -> api "Again"
control api "API gateway" { on: [login] }
