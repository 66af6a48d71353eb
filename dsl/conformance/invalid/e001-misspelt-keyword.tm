# A misspelt statement keyword at the top level.
boundary prod "Prod" { trust: high }
proces web "Web app"
datastor db "Orders"
