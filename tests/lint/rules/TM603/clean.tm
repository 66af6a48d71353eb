# TM603 stays quiet here
agent helper "Ops agent" { external_tools: true, validates_tool_config: true }
agent local "Local agent"
