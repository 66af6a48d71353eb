data card "Card number" { classification secret }
