model "First" { version: "1" }
model "Second" { version: "2" }
