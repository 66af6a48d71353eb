data card "Card number" { classification: , pii: true }
