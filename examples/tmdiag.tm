# tmdiag: the threat model of tmdiag itself, as it runs in CI on a pull request or on a developer's
# machine. What an attacker controls: models and the files they import, report templates, the
# configuration, the custom rules in models, and the Terraform (and plans) that import and drift read. What they must never reach: the runner's secrets
# and files outside the project, code execution, the report readers' browsers, and the integrity of
# earlier reports. docs/security.md explains each control and the limits.

model "tmdiag" {
  description: "Threat modeling as code: reads .tm models, checks them, enumerates threats, draws diagrams and writes reports"
  scope: "The tmdiag command line and language server reading untrusted models, templates and configuration; its outputs as readers open them. Python, pip and the CI system itself are out of scope"
  version: "0.1"
  owner: maya
  reviewed: 2026-11-27
  review_every: 180d
}

team {
  maya "Maya Okafor" security_lead
  theo "Theo Brandt" developer
  ines "Inés Duarte" sre
  ravi "Ravi Menon"  product_owner
}

data model_text "Model text" {
  classification: restricted, description: "Labels, descriptions, rules: written by anyone who can open a pull request"
}
data template  "Report templates" { classification: restricted, description: "Jinja templates given with --template" }
data ci_secret "CI secrets"       { classification: secret, credentials: true, lifetime: short, impact: critical }
data report    "Report files"     { classification: restricted, description: "report.html, report.md, dfd.svg, threats.json" }
data diagram   "Diagram source"   { classification: restricted, description: "DOT text handed to Graphviz" }
data terraform "Terraform" {
  classification: restricted
  description: ".tf files, variable files, plan and state JSON read by import terraform, drift and --against"
}

threat_agent contributor "Hostile contributor" {
  skill: high, motive: financial, enters: [outside]
  description: "Opens a pull request whose model, imports, templates or configuration attack the runner or the readers"
}

boundary outside "Untrusted input" {
  trust: untrusted
  kind: partner
  actor author "Model author" { description: "Anyone whose pull request CI checks", human: true }
}

boundary runner "CI runner or developer machine" {
  trust: medium
  kind: host
  owner: ines

  process ci "CI job" {
    description: "Checks out the pull request and runs tmdiag with a timeout"
    authenticates_source: true, least_privilege: true
    owner: ines
  }
  process cli "tmdiag command line" {
    description: "check, threats, diagram, report, fmt, import, drift"
    validates_input: true, sanitizes_input: true, checks_input_bounds: true, encodes_output: true
    handles_resource_consumption: true, handles_crashes: true, least_privilege: true
    owner: theo
  }
  process lsp "tmdiag language server" {
    description: "Parses every keystroke of an open model"
    validates_input: true, checks_input_bounds: true, handles_resource_consumption: true, handles_crashes: true
    owner: theo
  }
  external graphviz "Graphviz dot" { description: "Lays out the diagram in a subprocess with a time limit" }
  datastore checkout "Repository checkout" {
    description: "Models, imports, templates, tmdiag.toml, Terraform: all of it from the pull request"
    kind: file_system
    stores: [model_text, template, terraform]
  }
  datastore environment "Process environment" {
    description: "CI secrets the runner exports to every step"
    kind: secrets
    stores: [ci_secret]
    encrypted_at_rest: true
  }
  datastore out "Output folder" {
    description: "Where reports are written, atomically"
    kind: file_system
    stores: [report]
  }
}

boundary readers "Report readers" {
  trust: low
  kind: device
  actor reviewer "Reviewer's browser" { description: "Opens report.html and dfd.svg from a CI artifact", human: true }
  external docs "Docs site build" { description: "MkDocs (with plugins such as mkdocs-macros) rendering report.md" }
}

author -> ci "Open a pull request" {
  protocol: https, data: [model_text, template, terraform], authenticated: true, encrypted: true
}
ci -> checkout "Check out the pull request" { protocol: git, data: [model_text, template, terraform] }
read: checkout -> cli "Read models, imports, templates, configuration, Terraform" {
  protocol: file, data: [model_text, template, terraform]
}
# tmdiag: ignore[TM203] reason: the environment is inherited in memory by the process, never sent anywhere
environment -> cli    "Inherit the environment"    { protocol: process, data: [ci_secret] }
draw: cli -> graphviz "Lay out the diagram"        { protocol: pipe, data: [diagram] } reply "SVG" { data: [diagram] }
write: cli -> out     "Write the report"           { protocol: file, data: [report] }
checkout -> lsp       "Open a model in the editor" { protocol: lsp, data: [model_text] }
out -> reviewer       "Download the report"        { protocol: https, data: [report], encrypted: true }
out -> docs           "Build the docs site"        { protocol: https, data: [report], encrypted: true }

control sandbox "Sandboxed, confined templates" {
  kind: input_validation, on: [cli], owner: theo, automated: true
  description: "SandboxedEnvironment, a loader that refuses links out of the template folder, pipes and devices, bounded * and **"
}
control escaping "Model text made safe for every output" {
  kind: output_encoding, on: [write, read], owner: theo, automated: true
  description: "Autoescaped HTML, Markdown safe for CommonMark, Python-Markdown and mkdocs-macros, XML-legal text, bidi isolation, sanitised SVG, CSP"
}
control limits "Input limits" {
  kind: input_validation, on: [cli, lsp], owner: theo, automated: true
  description: "Regular files only; 16 MiB a file, 32 MiB and 1,000,000 tokens a model, 32 imports deep, 1,000 files; bounded strings and numbers"
}
control atomic "Atomic writes" {
  kind: other, on: [out], owner: ines, automated: true
  description: "Files staged beside their targets and renamed; a failed rename puts back the earlier files; leftovers of killed runs removed"
}

risk DO01 on cli {
  status: accepted, owner: ravi, until: 2027-05-31
  justification: "A template may still loop for a long time; CI jobs run with a timeout (docs/security.md)"
}

assume "Python, tmdiag's installed package and Graphviz are trusted; whoever can change them already runs code"
assume "CI runs tmdiag with the pull request's own permissions, never with secrets it does not need" { on: [cli] }
