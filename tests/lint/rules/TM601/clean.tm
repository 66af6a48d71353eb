# TM601 stays quiet here
llm assistant "Support assistant" { content_filtering: true }
llm summariser "Internal summariser" { untrusted_input: false }
process api "API"
api -> summariser "Summarise"
