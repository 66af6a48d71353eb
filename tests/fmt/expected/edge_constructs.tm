model { version: "1" }

team {}
team {
  alice "A" lead {
    email: "x"
  }
  bob "B" dev
}

data x {}
data y {}

boundary b {}
boundary c {
  # nothing yet
}

data z { l: [[a, b], c], n: -5, d: 2026-01-01, t: 12w }
data w {
  l: [
    [
      a,
      b,
    ],
    c,
  ]  # after the list
  m: 1
}

a -> b "x" {
  p: 1
}

rule r1 {
  when: (a or b) == c
}
rule r2 {
  when: not (a == b) and true
}
rule r3 {
  when: crosses boundary or exits prod
}
rule r4 {
  when: x in [1, "two", y.z] and not not q
}

risk X1 on a  # why
risk X2 on a
