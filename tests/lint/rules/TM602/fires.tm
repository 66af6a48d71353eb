# TM602 fires on each line marked `expect`
llm assistant "Support assistant" { content_filtering: true, executes_code: true }  # expect: TM602
