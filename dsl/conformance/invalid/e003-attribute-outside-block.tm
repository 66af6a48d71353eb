data card "Card" { classification: secret } pii: true
