actor customer
process web
customer => web
data card { format: 'json' }
process api { port = 443 }
