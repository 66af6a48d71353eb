# TM603 fires on each line marked `expect`
agent helper "Ops agent" { external_tools: true }  # expect: TM603
