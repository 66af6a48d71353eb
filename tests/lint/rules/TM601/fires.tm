# TM601 fires on each line marked `expect`
boundary internet "Internet" {
  trust: untrusted
  actor customer "Customer"
}
llm assistant "Support assistant"  # expect: TM601
llm summariser "Summariser" { untrusted_input: false }  # expect: TM601
customer -> summariser "Paste text"
